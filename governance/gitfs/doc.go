// Package gitfs presents one revision of a git repository as a read-only
// io/fs.FS, so that the model evaluator can load a model straight from git:
// no worktree, no checkout, bare repositories welcome.
//
// Open a repository once, then ask for as many revisions as needed:
//
//	repo, err := gitfs.Open("/path/to/model-repo")
//	base, err := repo.FS("eco_main")
//	head, err := repo.FS("HEAD")
//
// Revisions are resolved exactly as `git rev-parse REV^{commit}` resolves
// them: a branch, remote-tracking branch, tag or other ref, a full or
// abbreviated (at least four digits, unambiguous) commit hash, or git
// describe output, followed by ~N, ^N, ^{} and ^{commit} steps such as
// HEAD~1, main^2 or v1.2^{}. The git forms that do not name one commit, or
// that need state gitfs does not read (@{upstream}, @{5}, REV:PATH,
// ^{tree}, ^{/text}, ranges), are refused with an error naming the
// revision and the forms supported.
//
// A revision FS reads blobs on demand (opening a file reads that file only)
// and implements fs.ReadFileFS, fs.ReadDirFS, fs.StatFS and fs.SubFS. Its ContentHash method returns a file's blob hash without reading
// the blob, which the evaluator's module cache uses to recognise files that
// did not change between two revisions.
//
// Symbolic links and submodules are listed but cannot be opened: a model is
// read from the tree exactly as committed, and following a link could leave
// the model root.
//
// All access to the repository's object store is serialised by the
// Repository, so one Repository and its FS values may be used from several
// goroutines.
package gitfs
