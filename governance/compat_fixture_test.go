package governance

import (
	"context"
	"github.com/datasurface/datasurface-go/internal/diagtest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/starlark"
)

// The fixture format shared by the compatibility and policy tests.
//
// A fixture is a txtar archive of model files. Expected findings are
// comments on the line the finding must point at:
//
//	column("name", "varchar(20)"),  # want: COMPAT_TYPE_CHANGED "varchar\(40\) to varchar\(20\)"
//
// "want:" expectations hold for the check as the fixture states it;
// "want-reverse:" ones for a compatibility fixture run the other way round
// (current as base, previous as head). Several RULE "regexp" pairs may follow
// one marker. Each finding must match exactly one expectation (same file,
// line and rule, message matching the regexp) and each expectation exactly
// one finding, so a missing, extra or misplaced finding fails the test.
//
// A finding can point into a file the archive does not hold, the shared
// lib.star: a removal is placed at the head argument it was removed from,
// and for the store and team that model() builds that argument is in
// lib.star. A comment there would hold for every fixture, so the fixture
// names the line instead:
//
//	model(datasets = [  # want@lib.star:43: COMPAT_DATASET_REMOVED_IN_USE "dataset \"orders\""
//
// expects the finding at lib.star line 43, whatever line the comment is on.

// fixture is one parsed archive.
type fixture struct {
	name  string
	fsys  fstest.MapFS
	wants []diagtest.Want
}

// loadFixture reads an archive, adds the extra files (a shared lib.star) at
// the root, and collects the expectations of every .star file.
func loadFixture(t *testing.T, path string, extra map[string][]byte) *fixture {
	t.Helper()
	ar, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{name: path, fsys: fstest.MapFS{}}
	for name, data := range extra {
		f.fsys[name] = &fstest.MapFile{Data: data}
	}
	inArchive := map[string]bool{}
	for _, file := range ar.Files {
		inArchive[file.Name] = true
	}
	for _, file := range ar.Files {
		f.fsys[file.Name] = &fstest.MapFile{Data: file.Data}
		if !strings.HasSuffix(file.Name, ".star") {
			continue
		}
		wants, err := diagtest.Parse(file.Name, file.Data)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, w := range wants {
			if w.File != file.Name && inArchive[w.File] {
				t.Fatalf("%s: an expectation in %s names %s, a file of the archive: put the marker on that line instead", path, file.Name, w.File)
			}
			if w.Message == nil {
				t.Fatalf("%s: %s: give the message a finding must match (RULE \"regexp\")", path, w)
			}
		}
		f.wants = append(f.wants, wants...)
	}
	return f
}

// evaluate evaluates the model whose entry file is entry.
func (f *fixture) evaluate(t *testing.T, entry string) *ecosystem.Ecosystem {
	t.Helper()
	m, err := starlark.Evaluate(context.Background(), f.fsys, starlark.WithEntry(entry))
	if err != nil {
		t.Fatalf("%s: evaluating %s: %v", f.name, entry, err)
	}
	return m
}

// check matches findings against the expectations of one marker kind.
func (f *fixture) check(t *testing.T, kind string, got ecosystem.Diagnostics) {
	t.Helper()
	if !diagtest.Check(t, diagtest.OfKind(f.wants, kind), got) {
		for _, d := range got {
			t.Logf("finding: %s (path %s)", d.Error(), d.Path)
		}
	}
}

// fixtureFiles lists the archives under dir/<RULE_ID>/, by rule folder.
func fixtureFiles(t *testing.T, dir string) map[string][]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		files, err := filepath.Glob(filepath.Join(dir, e.Name(), "*.txtar"))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = files
	}
	return out
}
