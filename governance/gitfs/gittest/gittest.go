// Package gittest builds git repositories for tests and benchmarks: commits of
// whole trees on named branches, with a fixed author and a clock that
// advances one minute per commit, so that the same calls always produce the
// same commit hashes. Nothing is checked out; repositories live in memory or
// in a folder (bare or with an empty worktree).
//
//	b := gittest.InMemory()
//	b.Commit("eco_main", map[string][]byte{"eco.star": base})
//	b.Branch("Z0_T0_main", "eco_main")
//	b.Commit("Z0_T0_main", map[string][]byte{"eco.star": head})
package gittest

import (
	"fmt"
	"path"
	"sort"
	"strings"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/memory"
)

// Epoch is the author and committer time of the first commit a Builder makes;
// each later commit is one minute after the previous one.
var Epoch = time.Date(2025, time.January, 2, 3, 4, 5, 0, time.UTC)

// Author is the name and e-mail address on every commit.
const (
	AuthorName  = "DataSurface Test"
	AuthorEmail = "test@datasurface.invalid"
)

// Builder writes commits into a go-git repository.
type Builder struct {
	// Repo is the repository being built; open it with gitfs.New, or with
	// gitfs.Open on the folder given to Init.
	Repo    *git.Repository
	commits int
}

// InMemory returns a Builder over a new bare repository held in memory.
func InMemory() *Builder {
	r, err := git.Init(memory.NewStorage(), nil)
	if err != nil {
		// Initialising an empty memory storage has no failure mode but a
		// programming error in go-git itself.
		panic(fmt.Sprintf("gittest: initialising an in-memory repository: %v", err))
	}
	return &Builder{Repo: r}
}

// Init creates a repository in dir: bare, or with a .git folder and an empty
// worktree (nothing is ever checked out).
func Init(dir string, bare bool) (*Builder, error) {
	r, err := git.PlainInit(dir, bare)
	if err != nil {
		return nil, fmt.Errorf("gittest: initialising %s: %w", dir, err)
	}
	return &Builder{Repo: r}, nil
}

// File is one tree entry for CommitEntries: content and git file mode
// (filemode.Regular when zero). A non-zero Hash with nil Data makes the
// entry point at that object without writing anything: a submodule's
// commit, or a dangling entry for testing unreadable objects.
type File struct {
	Data []byte
	Mode filemode.FileMode
	Hash plumbing.Hash
}

// Commit records files (path → content, paths relative to the tree root, "/"
// separated) as the complete tree of a new commit on branch. The commit's
// parent is the branch's tip; a branch that does not exist yet starts a new
// history. The first branch committed to becomes HEAD.
func (b *Builder) Commit(branch string, files map[string][]byte) (plumbing.Hash, error) {
	entries := make(map[string]File, len(files))
	for p, data := range files {
		entries[p] = File{Data: data}
	}
	return b.CommitEntries(branch, entries)
}

// CommitEntries is Commit with file modes: executables, symbolic links (Data
// is the link target) and submodules.
func (b *Builder) CommitEntries(branch string, files map[string]File) (plumbing.Hash, error) {
	return b.commit(branch, nil, files)
}

// Merge records files as the tree of a merge commit on branch. Its parents
// are the branch's tip, then the tips of the others in order, as `git merge
// other1 other2` orders them (more than one other makes an octopus merge).
func (b *Builder) Merge(branch string, others []string, files map[string][]byte) (plumbing.Hash, error) {
	if len(others) == 0 {
		return plumbing.ZeroHash, fmt.Errorf("gittest: merging into %s: no branch to merge", branch)
	}
	entries := make(map[string]File, len(files))
	for p, data := range files {
		entries[p] = File{Data: data}
	}
	return b.commit(branch, others, entries)
}

// commit writes a commit on branch whose parents are the branch's tip (if
// it has one) and the tips of the other branches.
func (b *Builder) commit(branch string, others []string, files map[string]File) (plumbing.Hash, error) {
	tree, err := b.writeTree(files)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	ref := plumbing.NewBranchReferenceName(branch)
	var parents []plumbing.Hash
	if tip, err := b.Repo.Reference(ref, true); err == nil {
		parents = append(parents, tip.Hash())
	}
	for _, o := range others {
		tip, err := b.Repo.Reference(plumbing.NewBranchReferenceName(o), true)
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("gittest: merging %s into %s: %w", o, branch, err)
		}
		parents = append(parents, tip.Hash())
	}
	when := Epoch.Add(time.Duration(b.commits) * time.Minute)
	b.commits++
	sig := object.Signature{Name: AuthorName, Email: AuthorEmail, When: when}
	c := &object.Commit{
		Author:       sig,
		Committer:    sig,
		Message:      fmt.Sprintf("commit %d on %s\n", b.commits, branch),
		TreeHash:     tree,
		ParentHashes: parents,
	}
	h, err := b.store(c.Encode)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("gittest: writing commit on %s: %w", branch, err)
	}
	if err := b.Repo.Storer.SetReference(plumbing.NewHashReference(ref, h)); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("gittest: moving %s: %w", branch, err)
	}
	if head, err := b.Repo.Storer.Reference(plumbing.HEAD); err == nil && head.Type() == plumbing.SymbolicReference {
		if _, err := b.Repo.Storer.Reference(head.Target()); err != nil {
			// HEAD still names the unborn default branch: point it here.
			if err := b.Repo.Storer.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, ref)); err != nil {
				return plumbing.ZeroHash, fmt.Errorf("gittest: setting HEAD: %w", err)
			}
		}
	}
	return h, nil
}

// Branch creates branch at the commit rev resolves to (a branch, tag or hash).
func (b *Builder) Branch(branch, rev string) error {
	h, err := b.Repo.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		return fmt.Errorf("gittest: branch %s from %s: %w", branch, rev, err)
	}
	return b.Repo.Storer.SetReference(plumbing.NewHashReference(plumbing.NewBranchReferenceName(branch), *h))
}

// Tag creates a tag at the commit rev resolves to: an annotated tag object
// when annotated is true, else a lightweight tag.
func (b *Builder) Tag(tag, rev string, annotated bool) error {
	h, err := b.Repo.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		return fmt.Errorf("gittest: tag %s at %s: %w", tag, rev, err)
	}
	var opts *git.CreateTagOptions
	if annotated {
		opts = &git.CreateTagOptions{Tagger: &object.Signature{Name: AuthorName, Email: AuthorEmail, When: Epoch}, Message: "tag " + tag}
	}
	if _, err := b.Repo.CreateTag(tag, *h, opts); err != nil {
		return fmt.Errorf("gittest: tag %s: %w", tag, err)
	}
	return nil
}

// Repack packs every object into one packfile, as a clone holds them, so
// that benchmarks read objects the way CI does.
func (b *Builder) Repack() error {
	if err := b.Repo.RepackObjects(&git.RepackConfig{}); err != nil {
		return fmt.Errorf("gittest: repacking: %w", err)
	}
	return nil
}

// node is a folder being assembled into a tree object.
type node struct {
	files map[string]File
	dirs  map[string]*node
}

// writeTree writes the blobs and trees for files and returns the root tree's hash.
func (b *Builder) writeTree(files map[string]File) (plumbing.Hash, error) {
	root := &node{files: map[string]File{}, dirs: map[string]*node{}}
	for p, f := range files {
		if p != path.Clean(p) || strings.HasPrefix(p, "/") || p == "." || strings.HasPrefix(p, "../") {
			return plumbing.ZeroHash, fmt.Errorf("gittest: file path %q is not a clean relative path", p)
		}
		n := root
		elems := strings.Split(p, "/")
		for _, e := range elems[:len(elems)-1] {
			child, ok := n.dirs[e]
			if !ok {
				child = &node{files: map[string]File{}, dirs: map[string]*node{}}
				n.dirs[e] = child
			}
			n = child
		}
		n.files[elems[len(elems)-1]] = f
	}
	return b.writeNode(root)
}

func (b *Builder) writeNode(n *node) (plumbing.Hash, error) {
	t := &object.Tree{}
	for name, f := range n.files {
		mode := f.Mode
		if mode == filemode.Empty {
			mode = filemode.Regular
		}
		h := f.Hash
		if h.IsZero() || f.Data != nil {
			var err error
			if h, err = b.writeBlob(f.Data); err != nil {
				return plumbing.ZeroHash, err
			}
		}
		t.Entries = append(t.Entries, object.TreeEntry{Name: name, Mode: mode, Hash: h})
	}
	for name, child := range n.dirs {
		h, err := b.writeNode(child)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		t.Entries = append(t.Entries, object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: h})
	}
	sort.Sort(object.TreeEntrySorter(t.Entries))
	return b.store(t.Encode)
}

func (b *Builder) writeBlob(data []byte) (plumbing.Hash, error) {
	return b.store(func(o plumbing.EncodedObject) error {
		o.SetType(plumbing.BlobObject)
		w, err := o.Writer()
		if err != nil {
			return err
		}
		if _, err := w.Write(data); err != nil {
			w.Close()
			return err
		}
		return w.Close()
	})
}

// store encodes one object into the repository's object store.
func (b *Builder) store(encode func(plumbing.EncodedObject) error) (plumbing.Hash, error) {
	o := b.Repo.Storer.NewEncodedObject()
	if err := encode(o); err != nil {
		return plumbing.ZeroHash, err
	}
	return b.Repo.Storer.SetEncodedObject(o)
}

// WritePullRequest writes a bare repository into dir holding a pull request:
// base committed on baseBranch, and head committed on headBranch as a child
// of that commit. The objects are packed, as in a clone. It is the layout
// the change check reads: `dsl check --base baseBranch --head headBranch`.
func WritePullRequest(dir, baseBranch string, base map[string][]byte, headBranch string, head map[string][]byte) error {
	b, err := Init(dir, true)
	if err != nil {
		return err
	}
	if _, err := b.Commit(baseBranch, base); err != nil {
		return err
	}
	if err := b.Branch(headBranch, baseBranch); err != nil {
		return err
	}
	if _, err := b.Commit(headBranch, head); err != nil {
		return err
	}
	return b.Repack()
}
