package gitfs

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"slices"
	"strings"
	"time"
)

// file is an open regular file: its blob, read in full when opened.
type file struct {
	info *fileInfo
	r    *bytes.Reader
}

func newFile(info *fileInfo, data []byte) *file { return &file{info: info, r: bytes.NewReader(data)} }

// Compile-time checks: an open file can also seek and read at an offset,
// which costs nothing since the blob is in memory.
var (
	_ io.ReadSeeker = (*file)(nil)
	_ io.ReaderAt   = (*file)(nil)
)

func (f *file) Stat() (fs.FileInfo, error)                   { return f.info, nil }
func (f *file) Read(p []byte) (int, error)                   { return f.r.Read(p) }
func (f *file) ReadAt(p []byte, off int64) (int, error)      { return f.r.ReadAt(p, off) }
func (f *file) Seek(offset int64, whence int) (int64, error) { return f.r.Seek(offset, whence) }
func (f *file) Close() error                                 { return nil }

// dirFile is an open directory, listed through fs.ReadDirFile.
type dirFile struct {
	fsys    *FS
	name    string
	dir     *dir
	listing []fs.DirEntry // built on the first ReadDir call
	offset  int
	listed  bool
}

var _ fs.ReadDirFile = (*dirFile)(nil)

func (d *dirFile) Stat() (fs.FileInfo, error) { return d.fsys.Stat(d.name) }

func (d *dirFile) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.name, Err: errors.New("is a directory")}
}

func (d *dirFile) Close() error { return nil }

// ReadDir follows the fs.ReadDirFile contract: n > 0 returns at most n entries
// and io.EOF at the end; n <= 0 returns all remaining entries and a nil error.
func (d *dirFile) ReadDir(n int) ([]fs.DirEntry, error) {
	if !d.listed {
		d.listing, d.listed = d.fsys.dirEntries(d.name, d.dir), true
	}
	rest := d.listing[d.offset:]
	if n <= 0 {
		d.offset = len(d.listing)
		return rest, nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(rest))
	d.offset += n
	return rest[:n:n], nil
}

// dirEntries lists a directory sorted by name.
func (f *FS) dirEntries(name string, d *dir) []fs.DirEntry {
	out := make([]fs.DirEntry, len(d.entries))
	for i, e := range d.entries {
		child := e.Name
		if name != "." {
			child = name + "/" + e.Name
		}
		out[i] = &dirEntry{fsys: f, path: child, name: e.Name, mode: fileMode(e.Mode)}
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out
}

// dirEntry is one entry of a listing; Info reads the object header only when asked.
type dirEntry struct {
	fsys *FS
	path string
	name string
	mode fs.FileMode
}

func (e *dirEntry) Name() string               { return e.name }
func (e *dirEntry) IsDir() bool                { return e.mode.IsDir() }
func (e *dirEntry) Type() fs.FileMode          { return e.mode.Type() }
func (e *dirEntry) Info() (fs.FileInfo, error) { return e.fsys.Stat(e.path) }
func (e *dirEntry) String() string             { return fs.FormatDirEntry(e) }

// fileInfo describes a tree entry. Every entry carries the commit's
// committer time as its modification time, so listings are deterministic.
type fileInfo struct {
	name    string
	size    int64
	mode    fs.FileMode
	modTime time.Time
}

func (i *fileInfo) Name() string       { return i.name }
func (i *fileInfo) Size() int64        { return i.size }
func (i *fileInfo) Mode() fs.FileMode  { return i.mode }
func (i *fileInfo) ModTime() time.Time { return i.modTime }
func (i *fileInfo) IsDir() bool        { return i.mode.IsDir() }
func (i *fileInfo) Sys() any           { return nil }
func (i *fileInfo) String() string     { return fs.FormatFileInfo(i) }
