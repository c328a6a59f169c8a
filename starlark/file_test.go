package starlark

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"
)

const loadsTeam = "load(\"//team.star\", \"t\")\n"

// wantUnreadable evaluates fsys, which must fail at once with one
// LOAD_UNREADABLE finding at line line of eco.star whose message contains want.
func wantUnreadable(t *testing.T, fsys fs.FS, line int, want string, opts ...Option) {
	t.Helper()
	start := time.Now()
	ds := diagnostics(t, fsys, append([]Option{WithTimeout(5 * time.Second)}, opts...)...)
	if time.Since(start) > 4*time.Second {
		t.Fatalf("evaluation took %v: it waited on the file instead of refusing it", time.Since(start))
	}
	if len(ds) != 1 {
		t.Fatalf("got %d findings, want 1: %v", len(ds), ds)
	}
	d := ds[0]
	if d.Rule != RuleLoadUnreadable || d.Pos.File != "eco.star" || d.Pos.Line != line || !strings.Contains(d.Message, want) {
		t.Fatalf("got %s %s: %s; want %s at eco.star:%d containing %q", d.Rule, d.Pos, d.Message, RuleLoadUnreadable, line, want)
	}
}

func TestFIFORefused(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "eco.star"), []byte(loadsTeam), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "team.star"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	t.Run("DirFS", func(t *testing.T) { wantUnreadable(t, os.DirFS(dir), 1, "FIFO") })
	t.Run("Root", func(t *testing.T) {
		root, err := os.OpenRoot(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer root.Close()
		wantUnreadable(t, root.FS(), 1, "FIFO")
	})
}

func TestEntryFIFORefused(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "eco.star"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	ds := diagnostics(t, os.DirFS(dir), WithTimeout(5*time.Second))
	if len(ds) != 1 || ds[0].Rule != RuleLoadUnreadable || !strings.Contains(ds[0].Message, "entry file") {
		t.Fatalf("got %v, want one LOAD_UNREADABLE about the entry file", ds)
	}
}

func TestSymlinkLeavingRootRefused(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "secret.star")
	if err := os.WriteFile(outside, []byte("t = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "eco.star"), []byte("# the team\n"+loadsTeam), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "team.star")); err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	// The finding points at the load() that names the link, line 2.
	wantUnreadable(t, root.FS(), 2, "escapes")
}

func TestNonRegularEntriesRefused(t *testing.T) {
	for name, tc := range map[string]struct {
		file *fstest.MapFile
		want string
	}{
		"directory": {&fstest.MapFile{Mode: fs.ModeDir | 0o755}, "directory"},
		"device":    {&fstest.MapFile{Mode: fs.ModeDevice | 0o644}, "device"},
		"socket":    {&fstest.MapFile{Mode: fs.ModeSocket | 0o644}, "socket"},
	} {
		t.Run(name, func(t *testing.T) {
			wantUnreadable(t, fstest.MapFS{"eco.star": {Data: []byte(loadsTeam)}, "team.star": tc.file}, 1, tc.want)
		})
	}
}

func TestFileSizeLimit(t *testing.T) {
	team := "t = \"" + strings.Repeat("x", 2000) + "\"\n"
	fsys := fstest.MapFS{"eco.star": {Data: []byte(loadsTeam)}, "team.star": {Data: []byte(team)}}
	wantUnreadable(t, fsys, 1, "more than the 1024-byte limit", WithMaxFileSize(1024))
	// Under the default limit the same file is read (and then fails only
	// because eco.star never calls ecosystem()).
	ds := diagnostics(t, fsys)
	if len(ds) != 1 || ds[0].Rule != RuleNoEcosystem {
		t.Fatalf("under the default limit: got %v, want only %s", ds, RuleNoEcosystem)
	}
}

// TestGrowingFileRefused: a file whose Stat says it is small but which
// keeps growing while it is read (appended to, or a special file posing as
// a regular one) is read no further than the size limit, and refused.
func TestGrowingFileRefused(t *testing.T) {
	ds := diagnostics(t, endlessFS{}, WithMaxFileSize(1<<20))
	if len(ds) != 1 || ds[0].Rule != RuleLoadUnreadable || !strings.Contains(ds[0].Message, "more than the 1048576-byte limit") {
		t.Fatalf("got %v, want one %s about the size limit", ds, RuleLoadUnreadable)
	}
}

// endlessFS serves eco.star as a regular file of 10 bytes that never ends.
// A reader that reads 64 MiB of it fails, so that a test of unbounded
// reading fails rather than exhausting the machine.
type endlessFS struct{}

func (endlessFS) Open(name string) (fs.File, error) {
	if name != "eco.star" {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &endlessFile{}, nil
}

type endlessFile struct{ read int }

func (*endlessFile) Stat() (fs.FileInfo, error) { return endlessInfo{}, nil }
func (*endlessFile) Close() error               { return nil }

func (f *endlessFile) Read(p []byte) (int, error) {
	if f.read > 64<<20 {
		return 0, errors.New("endlessFile: read 64 MiB")
	}
	for i := range p {
		p[i] = '#'
	}
	f.read += len(p)
	return len(p), nil
}

type endlessInfo struct{}

func (endlessInfo) Name() string       { return "eco.star" }
func (endlessInfo) Size() int64        { return 10 }
func (endlessInfo) Mode() fs.FileMode  { return 0o644 }
func (endlessInfo) ModTime() time.Time { return time.Time{} }
func (endlessInfo) IsDir() bool        { return false }
func (endlessInfo) Sys() any           { return nil }
