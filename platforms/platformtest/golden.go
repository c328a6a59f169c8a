package platformtest

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/datasurface/datasurface-go/platforms"
)

// compareGolden compares artifacts with the files under dir, or rewrites
// dir with -update.
func compareGolden(t testing.TB, dir string, arts []platforms.Artifact) {
	t.Helper()
	existing, err := goldenFiles(dir)
	if err != nil {
		t.Fatalf("platformtest: reading golden files: %v", err)
	}
	if *update {
		for _, name := range existing {
			if !slices.ContainsFunc(arts, func(a platforms.Artifact) bool { return a.Name == name }) {
				if err := os.Remove(filepath.Join(dir, filepath.FromSlash(name))); err != nil {
					t.Fatalf("platformtest: %v", err)
				}
			}
		}
		for _, a := range arts {
			full := filepath.Join(dir, filepath.FromSlash(a.Name))
			if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
				t.Fatalf("platformtest: %v", err)
			}
			if err := os.WriteFile(full, a.Data, 0o644); err != nil {
				t.Fatalf("platformtest: %v", err)
			}
		}
		return
	}
	for _, a := range arts {
		want, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(a.Name)))
		if errors.Is(err, fs.ErrNotExist) {
			t.Errorf("platformtest: artifact %s is not in %s (run go test -update to accept it)", a.Name, dir)
			continue
		}
		if err != nil {
			t.Fatalf("platformtest: %v", err)
		}
		if diff := cmp.Diff(string(want), string(a.Data)); diff != "" {
			t.Errorf("platformtest: artifact %s differs from %s (-golden +rendered; go test -update accepts it):\n%s", a.Name, filepath.Join(dir, a.Name), diff)
		}
	}
	for _, name := range existing {
		if !slices.ContainsFunc(arts, func(a platforms.Artifact) bool { return a.Name == name }) {
			t.Errorf("platformtest: %s holds %s, which the platform no longer renders (go test -update removes it)", dir, name)
		}
	}
}

// goldenFiles lists the files under dir as slash-separated relative names,
// sorted; none when dir does not exist.
func goldenFiles(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == dir {
				return filepath.SkipDir
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	slices.Sort(out)
	return out, err
}
