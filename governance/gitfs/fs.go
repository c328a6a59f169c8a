package gitfs

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// FS is the tree of one commit as a read-only file system. Directories are
// decoded when first visited and remembered; file contents are read from the
// object store each time a file is opened or read, never in advance.
type FS struct {
	repo    *Repository
	rev     string
	commit  plumbing.Hash
	modTime time.Time
	// prefix is where this FS's root lies in the commit's tree ("" for the
	// whole tree, "model" after Sub("model")), for error messages.
	prefix string
	root   *dir

	mu   sync.Mutex
	dirs map[string]*dir // decoded directories, by path relative to root ("" is root)
}

// dir is a decoded tree object: its entries in git order and an index by name.
type dir struct {
	hash    plumbing.Hash
	entries []object.TreeEntry
	byName  map[string]int
}

// newDir indexes a tree's entries. Entries whose names are not a single valid
// path element (a corrupt or hostile tree could hold "..", "." or a name with
// a slash) are dropped, so that no name this FS returns escapes its root.
func newDir(t *object.Tree) *dir {
	d := &dir{hash: t.Hash, entries: make([]object.TreeEntry, 0, len(t.Entries)), byName: make(map[string]int, len(t.Entries))}
	for _, e := range t.Entries {
		if e.Name == "." || e.Name == ".." || strings.Contains(e.Name, "/") || !fs.ValidPath(e.Name) {
			continue
		}
		d.byName[e.Name] = len(d.entries)
		d.entries = append(d.entries, e)
	}
	return d
}

// Compile-time checks of the interfaces FS promises.
var (
	_ fs.FS         = (*FS)(nil)
	_ fs.ReadFileFS = (*FS)(nil)
	_ fs.ReadDirFS  = (*FS)(nil)
	_ fs.StatFS     = (*FS)(nil)
	_ fs.SubFS      = (*FS)(nil)
)

// Revision returns the revision the FS was resolved from, as given.
func (f *FS) Revision() string { return f.rev }

// Commit returns the full hash of the commit whose tree the FS presents.
func (f *FS) Commit() string { return f.commit.String() }

// String describes the FS for messages: the revision and its abbreviated commit.
func (f *FS) String() string {
	s := fmt.Sprintf("%s (commit %s)", f.rev, f.commit.String()[:12])
	if f.prefix != "" {
		s += " folder " + f.prefix
	}
	return s
}

// Open opens the named file or directory. Opening a file reads its blob.
func (f *FS) Open(name string) (fs.File, error) {
	e, d, err := f.lookup("open", name)
	if err != nil {
		return nil, err
	}
	if d != nil {
		return &dirFile{fsys: f, name: name, dir: d}, nil
	}
	if err := f.checkRegular("open", name, e); err != nil {
		return nil, err
	}
	data, err := f.repo.readBlob(e.Hash)
	if err != nil {
		return nil, f.objectError("open", name, e.Hash, err)
	}
	return newFile(f.info(name, e, int64(len(data))), data), nil
}

// ReadFile reads the named file's blob. The caller owns the returned slice.
func (f *FS) ReadFile(name string) ([]byte, error) {
	e, d, err := f.lookup("read", name)
	if err != nil {
		return nil, err
	}
	if d != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("is a directory")}
	}
	if err := f.checkRegular("read", name, e); err != nil {
		return nil, err
	}
	data, err := f.repo.readBlob(e.Hash)
	if err != nil {
		return nil, f.objectError("read", name, e.Hash, err)
	}
	return data, nil
}

// ReadDir lists the named directory, sorted by name as fs.ReadDir requires
// (git orders directories as if their names ended in a slash).
func (f *FS) ReadDir(name string) ([]fs.DirEntry, error) {
	_, d, err := f.lookup("readdir", name)
	if err != nil {
		return nil, err
	}
	if d == nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a directory")}
	}
	return f.dirEntries(name, d), nil
}

// Stat describes the named file or directory. A file's size is read from its
// object header, not from its content.
func (f *FS) Stat(name string) (fs.FileInfo, error) {
	e, d, err := f.lookup("stat", name)
	if err != nil {
		return nil, err
	}
	if d != nil {
		return f.info(name, e, 0), nil
	}
	size := int64(0)
	if e.Mode.IsFile() {
		if size, err = f.repo.blobSize(e.Hash); err != nil {
			return nil, f.objectError("stat", name, e.Hash, err)
		}
	}
	return f.info(name, e, size), nil
}

// ContentHash returns the git blob hash of the named file, without reading
// the file. Two revisions that hold the same content at a path return the
// same hash, which is what the evaluator's module cache keys on.
func (f *FS) ContentHash(name string) (string, error) {
	e, d, err := f.lookup("hash", name)
	if err != nil {
		return "", err
	}
	if d != nil {
		return "", &fs.PathError{Op: "hash", Path: name, Err: errors.New("is a directory")}
	}
	if err := f.checkRegular("hash", name, e); err != nil {
		return "", err
	}
	return e.Hash.String(), nil
}

// Sub returns the FS rooted at the named directory, for a model that lives in
// a folder of the repository. The result still implements ContentHash.
func (f *FS) Sub(name string) (fs.FS, error) {
	_, d, err := f.lookup("sub", name)
	if err != nil {
		return nil, err
	}
	if d == nil {
		return nil, &fs.PathError{Op: "sub", Path: name, Err: errors.New("not a directory")}
	}
	if name == "." {
		return f, nil
	}
	return &FS{
		repo: f.repo, rev: f.rev, commit: f.commit, modTime: f.modTime,
		prefix: path.Join(f.prefix, name),
		root:   d,
		dirs:   map[string]*dir{"": d},
	}, nil
}

// lookup finds name in the tree. It returns the entry and, when the entry is
// a directory, the decoded directory. The root "." has a synthetic entry.
func (f *FS) lookup(op, name string) (object.TreeEntry, *dir, error) {
	if !fs.ValidPath(name) {
		return object.TreeEntry{}, nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	if name == "." {
		return object.TreeEntry{Name: ".", Mode: filemode.Dir, Hash: f.root.hash}, f.root, nil
	}
	d := f.root
	rest := name
	walked := ""
	for {
		elem, tail, more := strings.Cut(rest, "/")
		i, ok := d.byName[elem]
		if !ok {
			return object.TreeEntry{}, nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
		}
		e := d.entries[i]
		walked = path.Join(walked, elem)
		if e.Mode == filemode.Dir {
			sub, err := f.subdir(walked, e.Hash)
			if err != nil {
				return object.TreeEntry{}, nil, f.objectError(op, name, e.Hash, err)
			}
			if !more {
				return e, sub, nil
			}
			d, rest = sub, tail
			continue
		}
		if more {
			// A file in the middle of the path: like os.Open, the path does not exist.
			return object.TreeEntry{}, nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
		}
		return e, nil, nil
	}
}

// subdir returns the decoded directory at p (relative to the root), reading
// its tree object on first use.
func (f *FS) subdir(p string, h plumbing.Hash) (*dir, error) {
	f.mu.Lock()
	d, ok := f.dirs[p]
	f.mu.Unlock()
	if ok {
		return d, nil
	}
	t, err := f.repo.readTree(h)
	if err != nil {
		return nil, err
	}
	d = newDir(t)
	f.mu.Lock()
	if prev, ok := f.dirs[p]; ok {
		d = prev // another goroutine decoded it first; keep one copy
	} else {
		f.dirs[p] = d
	}
	f.mu.Unlock()
	return d, nil
}

// checkRegular refuses entries that are not plain files: symbolic links and
// submodules have no content a model could load.
func (f *FS) checkRegular(op, name string, e object.TreeEntry) error {
	switch {
	case e.Mode.IsFile() && e.Mode != filemode.Symlink:
		return nil
	case e.Mode == filemode.Symlink:
		return &fs.PathError{Op: op, Path: name, Err: fmt.Errorf("is a symbolic link in %s; links are not followed in a git revision (commit the file itself)", f)}
	case e.Mode == filemode.Submodule:
		return &fs.PathError{Op: op, Path: name, Err: fmt.Errorf("is a git submodule in %s; submodules are not read (commit the files into this repository)", f)}
	}
	return &fs.PathError{Op: op, Path: name, Err: fmt.Errorf("has unsupported git file mode %s in %s", e.Mode, f)}
}

// objectError reports an object the store cannot deliver: a missing or
// corrupt object, or a failing read of the store.
func (f *FS) objectError(op, name string, h plumbing.Hash, err error) error {
	return &fs.PathError{Op: op, Path: name, Err: fmt.Errorf("unreadable git object %s in %s: %w", h, f, err)}
}

// info builds the FileInfo of an entry.
func (f *FS) info(name string, e object.TreeEntry, size int64) *fileInfo {
	return &fileInfo{name: path.Base(name), size: size, mode: fileMode(e.Mode), modTime: f.modTime}
}

// fileMode maps git's file modes to io/fs modes. Files are read-only.
func fileMode(m filemode.FileMode) fs.FileMode {
	switch m {
	case filemode.Dir:
		return fs.ModeDir | 0o555
	case filemode.Executable:
		return 0o555
	case filemode.Symlink:
		return fs.ModeSymlink | 0o444
	case filemode.Submodule:
		return fs.ModeIrregular | 0o444
	}
	return 0o444
}
