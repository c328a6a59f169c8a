package render

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/datasurface/datasurface-go/platforms"
)

func art(name, body string) platforms.Artifact {
	return platforms.Artifact{Name: name, Data: []byte(GeneratedHeader + "\n" + body)}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestWriteOverwritesItsOwnFiles: a second render writes over the first
// one's files, and removes from the owned folder what it no longer writes,
// but nothing else.
func TestRenderWriteOverwritesItsOwnFiles(t *testing.T) {
	dir := t.TempDir()
	first := []platforms.Artifact{art("k/p/a.yaml", "one"), art("k/p/b.yaml", "one"), art("other/c.py", "one")}
	w, err := Write(dir, first, WriteOptions{Owned: "k/p"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(w.Files, []string{"k/p/a.yaml", "k/p/b.yaml", "other/c.py"}) || len(w.Removed) != 0 {
		t.Fatalf("first write: %+v", w)
	}
	if err := os.WriteFile(filepath.Join(dir, "k", "p", "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err = Write(dir, []platforms.Artifact{art("k/p/a.yaml", "two")}, WriteOptions{Owned: "k/p"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(w.Removed, []string{"k/p/b.yaml"}) {
		t.Errorf("removed %v, want the earlier render's b.yaml only", w.Removed)
	}
	if got := readFile(t, filepath.Join(dir, "k", "p", "a.yaml")); !strings.HasSuffix(got, "two") {
		t.Errorf("a.yaml holds %q", got)
	}
	if got := readFile(t, filepath.Join(dir, "k", "p", "notes.txt")); got != "mine" {
		t.Errorf("a file people wrote changed: %q", got)
	}
	if got := readFile(t, filepath.Join(dir, "other", "c.py")); !strings.HasSuffix(got, "one") {
		t.Errorf("a file outside the owned folder changed: %q", got)
	}
	entries, err := os.ReadDir(filepath.Join(dir, "k", "p"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("a temporary file is left: %s", e.Name())
		}
	}
}

// TestWriteRefusesForeignFiles: a file dsl render did not write is not
// replaced, and nothing is written; with Force it is.
func TestRenderWriteRefusesForeignFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "k"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "k", "b.yaml"), []byte("hand-written"), 0o644); err != nil {
		t.Fatal(err)
	}
	arts := []platforms.Artifact{art("k/a.yaml", "new"), art("k/b.yaml", "new")}
	if _, err := Write(dir, arts, WriteOptions{}); err == nil || !strings.Contains(err.Error(), "k/b.yaml") || !strings.Contains(err.Error(), "--force") {
		t.Errorf("error %v, want one naming k/b.yaml and --force", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "k", "a.yaml")); !os.IsNotExist(err) {
		t.Errorf("a.yaml was written although the write was refused: %v", err)
	}
	if _, err := Write(dir, arts, WriteOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, filepath.Join(dir, "k", "b.yaml")); !strings.HasSuffix(got, "new") {
		t.Errorf("with Force, b.yaml holds %q", got)
	}
}

// TestWriteStaysInside: names that leave the folder are refused, and so is
// a link that points out of it.
func TestRenderWriteStaysInside(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"../x.yaml", "/abs.yaml", "a/../../x.yaml"} {
		if _, err := Write(dir, []platforms.Artifact{art(name, "x")}, WriteOptions{}); err == nil {
			t.Errorf("%q was accepted", name)
		}
	}
	outside := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dir, "k")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if _, err := Write(dir, []platforms.Artifact{art("k/a.yaml", "x")}, WriteOptions{Force: true}); err == nil {
		t.Error("a write through a link out of the folder was accepted")
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("files were written outside the folder: %v", entries)
	}
}
