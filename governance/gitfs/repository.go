package gitfs

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Repository is a git repository opened for reading revisions. It is safe for
// concurrent use: every read of the object store holds its lock, because
// go-git's storages do not promise concurrent reads.
type Repository struct {
	repo *git.Repository
	// where names the repository in error messages: its path, or "in-memory
	// repository" for one handed to New.
	where string
	mu    sync.Mutex
}

// Open opens the git repository at path: a worktree (the folder holding .git,
// or any folder below it) or a bare repository. No worktree is needed and
// nothing is checked out.
func Open(path string) (*Repository, error) {
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("gitfs: %s: no such folder (want the path of a git repository)", path)
		}
		return nil, fmt.Errorf("gitfs: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("gitfs: %s is a file, not a git repository (want the folder holding .git, or a bare repository)", path)
	}
	// go-git's search for a .git folder in parent folders does not recognise
	// a bare repository, so look at path itself first (bare, or holding
	// .git), then search upwards like git does from inside a worktree.
	r, err := git.PlainOpenWithOptions(path, &git.PlainOpenOptions{EnableDotGitCommonDir: true})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		r, err = git.PlainOpenWithOptions(path, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	}
	if err != nil {
		if errors.Is(err, git.ErrRepositoryNotExists) {
			return nil, fmt.Errorf("gitfs: %s is not a git repository (no .git folder here or above, and not a bare repository)", path)
		}
		if errors.Is(err, git.ErrUnknownExtension) || errors.Is(err, git.ErrUnsupportedExtensionRepositoryFormatVersion) {
			return nil, fmt.Errorf("gitfs: opening %s: %w: %s", path, err, extensionHint(err.Error()))
		}
		return nil, fmt.Errorf("gitfs: opening %s: %w", path, err)
	}
	return &Repository{repo: r, where: path}, nil
}

// extensionHint says what made a clone use a git extension that go-git
// (the git library gitfs reads with) refuses, and how to clone without it.
func extensionHint(msg string) string {
	msg = strings.ToLower(msg)
	switch {
	case strings.Contains(msg, "partialclone"):
		return "the clone is partial (made with --filter by an older git); clone without a filter (in actions/checkout, leave filter unset)"
	case strings.Contains(msg, "worktreeconfig"):
		return "git sparse-checkout turned it on; clone without sparse checkout (in actions/checkout, leave sparse-checkout unset)"
	case strings.Contains(msg, "objectformat"):
		return "the repository uses another hash than SHA-1 (git init --object-format), which gitfs cannot read"
	}
	return "gitfs cannot read a repository that uses this git extension; clone it again without the option that turned it on"
}

// New wraps a repository already opened with go-git, for example one cloned
// into memory. The caller must not use r concurrently with the returned
// Repository.
func New(r *git.Repository) *Repository {
	return &Repository{repo: r, where: "in-memory repository"}
}

// FS resolves rev to a commit and returns that commit's tree as a file
// system. rev is resolved exactly as `git rev-parse REV^{commit}` resolves
// it: a branch, remote-tracking branch, tag (lightweight, annotated, or a
// tag of a tag) or ref, a full or abbreviated commit hash, or git describe
// output, followed by any of ~N, ^N, ^{} and ^{commit} (HEAD~1, main^2,
// v1.2^{}). Other git revision syntax (@{upstream}, @{5}, REV:PATH,
// ^{tree}, ^{/text}, ranges) is refused rather than half-resolved. An
// unknown revision is an error that names it and lists some of the
// repository's branches.
func (r *Repository) FS(rev string) (*FS, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if strings.TrimSpace(rev) == "" {
		return nil, fmt.Errorf("gitfs: empty revision (want a branch, tag or commit of %s, such as %s)", r.where, r.someBranchesLocked())
	}
	rv, err := parseRevision(rev)
	if err != nil {
		return nil, fmt.Errorf("gitfs: revision %q of %s: %w", rev, r.where, err)
	}
	commit, err := r.resolveLocked(rv)
	if err != nil {
		return nil, err
	}
	tree, err := commit.Tree()
	if err != nil {
		return nil, fmt.Errorf("gitfs: revision %q of %s: reading the tree %s of commit %s: %w", rev, r.where, commit.TreeHash, commit.Hash, r.objectErrorLocked(err))
	}
	root := newDir(tree)
	return &FS{
		repo:    r,
		rev:     rev,
		commit:  commit.Hash,
		modTime: commit.Committer.When,
		root:    root,
		dirs:    map[string]*dir{"": root},
	}, nil
}

// shallowNoteLocked explains a failure in a shallow clone, where the
// revision usually exists upstream but its commits were not fetched; it is
// empty for a complete clone.
func (r *Repository) shallowNoteLocked() string {
	if shallow, err := r.repo.Storer.Shallow(); err == nil && len(shallow) > 0 {
		return "; the clone is shallow (its history is cut), so older commits and other branches may be missing: fetch the whole history (git fetch --unshallow, or fetch-depth: 0 in actions/checkout)"
	}
	return ""
}

// isPartialLocked reports whether the repository is a partial clone (made
// with --filter): git records the promisor remote in the configuration.
func (r *Repository) isPartialLocked() bool {
	cfg, err := r.repo.Config()
	if err != nil || cfg.Raw == nil {
		return false
	}
	if cfg.Raw.Section("extensions").Option("partialClone") != "" {
		return true
	}
	for _, s := range cfg.Raw.Section("remote").Subsections {
		if strings.EqualFold(s.Option("promisor"), "true") {
			return true
		}
	}
	return false
}

// missingNoteLocked explains an object the repository does not have: a
// partial clone fetches them lazily over the network, which gitfs does
// not do; a shallow clone lacks old history; anything else is an
// incomplete or damaged repository.
func (r *Repository) missingNoteLocked() string {
	switch {
	case r.isPartialLocked():
		return "; the clone is partial (made with --filter, so it fetches files and folders only when git needs them), and gitfs reads only what is present: clone without a filter (in actions/checkout, leave filter unset)"
	case r.shallowNoteLocked() != "":
		return r.shallowNoteLocked()
	}
	return "; the repository is incomplete or damaged (git fsck says more)"
}

// objectErrorLocked explains an error reading an object: a missing one
// says why it may be missing.
func (r *Repository) objectErrorLocked(err error) error {
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return fmt.Errorf("the object is missing%s", r.missingNoteLocked())
	}
	return err
}

// maxListedBranches bounds how many branch names an error message lists.
const maxListedBranches = 5

// someBranchesLocked describes the repository's branches for error
// messages: a few names, sorted, local branches first, then remote-tracking
// ones (origin/main), which is what a CI clone usually has.
func (r *Repository) someBranchesLocked() string {
	refs, err := r.repo.References()
	if err != nil {
		return "its branches cannot be listed: " + err.Error()
	}
	var local, remote []string
	_ = refs.ForEach(func(ref *plumbing.Reference) error {
		switch name := ref.Name(); {
		case name.IsBranch():
			local = append(local, name.Short())
		case name.IsRemote() && !strings.HasSuffix(name.String(), "/HEAD"):
			remote = append(remote, name.Short())
		}
		return nil
	})
	slices.Sort(local)
	slices.Sort(remote)
	names := append(local, remote...)
	if len(names) == 0 {
		return "the repository has no branches yet"
	}
	more := ""
	if len(names) > maxListedBranches {
		more = fmt.Sprintf(" (and %d more)", len(names)-maxListedBranches)
		names = names[:maxListedBranches]
	}
	return "branches: " + strings.Join(names, ", ") + more
}

// readTree decodes the tree object with the given hash.
func (r *Repository) readTree(h plumbing.Hash) (*object.Tree, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t, err := r.repo.TreeObject(h)
	if err != nil {
		return nil, r.objectErrorLocked(err)
	}
	return t, nil
}

// readBlob reads the whole content of the blob with the given hash.
func (r *Repository) readBlob(h plumbing.Hash) ([]byte, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	obj, err := r.repo.Storer.EncodedObject(plumbing.BlobObject, h)
	if err != nil {
		return nil, r.objectErrorLocked(err)
	}
	rd, err := obj.Reader()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	// Sizing the buffer from the object header reads each blob with one
	// allocation; MinRead spare keeps ReadFrom from growing it at EOF.
	var b bytes.Buffer
	b.Grow(int(obj.Size()) + bytes.MinRead)
	if _, err := b.ReadFrom(rd); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// blobSize returns the size of the blob with the given hash without reading
// its content.
func (r *Repository) blobSize(h plumbing.Hash) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	obj, err := r.repo.Storer.EncodedObject(plumbing.BlobObject, h)
	if err != nil {
		return 0, r.objectErrorLocked(err)
	}
	return obj.Size(), nil
}
