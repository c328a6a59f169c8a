package governance

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
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
	wants map[string][]expectation // by marker kind: "want", "want-reverse"
}

// expectation is one expected finding.
type expectation struct {
	file string
	line int
	rule string
	re   *regexp.Regexp
}

func (e expectation) String() string {
	return fmt.Sprintf("%s:%d: %s %q", e.file, e.line, e.rule, e.re)
}

var (
	markerRE = regexp.MustCompile(`\b(want|want-reverse)(?:@([^\s:@]+):([0-9]+))?:`)
	wantRE   = regexp.MustCompile(`([A-Z][A-Z0-9_]*)\s+"((?:[^"\\]|\\.)*)"`)
)

// loadFixture reads an archive, adds the extra files (a shared lib.star) at
// the root, and collects the expectations of every .star file.
func loadFixture(t *testing.T, path string, extra map[string][]byte) *fixture {
	t.Helper()
	ar, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{name: path, fsys: fstest.MapFS{}, wants: map[string][]expectation{}}
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
		for i, line := range strings.Split(string(file.Data), "\n") {
			comment := strings.Index(line, "#")
			if comment < 0 {
				continue
			}
			line = line[comment:]
			marks := markerRE.FindAllStringSubmatchIndex(line, -1)
			for j, mk := range marks {
				kind, end := line[mk[2]:mk[3]], len(line)
				if j+1 < len(marks) {
					end = marks[j+1][0]
				}
				at, atLine := file.Name, i+1
				if mk[4] >= 0 {
					at = line[mk[4]:mk[5]]
					if inArchive[at] {
						t.Fatalf("%s: %s:%d: marker %q names %s, a file of the archive: put the marker on that line instead", path, file.Name, i+1, line[mk[0]:mk[1]], at)
					}
					atLine, _ = strconv.Atoi(line[mk[6]:mk[7]])
				}
				pairs := wantRE.FindAllStringSubmatch(line[mk[1]:end], -1)
				if len(pairs) == 0 {
					t.Fatalf("%s: %s:%d: marker %q holds no RULE \"regexp\" pair", path, file.Name, i+1, line[mk[0]:end])
				}
				for _, p := range pairs {
					re, err := regexp.Compile(strings.ReplaceAll(p[2], `\"`, `"`))
					if err != nil {
						t.Fatalf("%s: %s:%d: %v", path, file.Name, i+1, err)
					}
					f.wants[kind] = append(f.wants[kind], expectation{file: at, line: atLine, rule: p[1], re: re})
				}
			}
		}
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
	wants := slices.Clone(f.wants[kind])
	used := make([]bool, len(wants))
	for _, d := range got {
		t.Logf("finding: %s (path %s)", d.Error(), d.Path)
		found := false
		for i, w := range wants {
			if !used[i] && d.Pos.File == w.file && d.Pos.Line == w.line && d.Rule == w.rule && w.re.MatchString(d.Message) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			t.Errorf("unexpected finding: %s (path %s)", d.Error(), d.Path)
		}
	}
	for i, w := range wants {
		if !used[i] {
			t.Errorf("missing finding (%s): %s", kind, w)
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
