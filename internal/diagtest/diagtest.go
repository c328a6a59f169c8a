// Package diagtest holds the test helpers shared by the packages whose tests
// are data-driven: expected findings written as comments in model files,
// golden files regenerated with -update, and readable diffs.
//
// An expectation is a comment on the line a finding must point at:
//
//	column("name", "varchar(20)"),  # want: COMPAT_TYPE_CHANGED "varchar\(40\) to varchar\(20\)"
//
// Several RULE or RULE "regexp" items may follow one marker; the regexp, when
// given, must match the finding's message. A marker may carry a kind
// ("want-reverse:" for a check run the other way round) and may name another
// file and line ("want@lib.star:43:") for findings in a shared file whose
// comments would hold for every test.
package diagtest

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// Update is the -update flag of every test binary that uses golden files:
// with it, Golden rewrites the files from the current output.
var Update = flag.Bool("update", false, "rewrite golden files and generated documents from the current output")

// Want is one expected finding.
type Want struct {
	Kind    string // the marker: "want", "want-reverse", ...
	File    string
	Line    int
	Rule    string
	Message *regexp.Regexp // nil: any message
}

func (w Want) String() string {
	s := fmt.Sprintf("%s:%d: %s", w.File, w.Line, w.Rule)
	if w.Message != nil {
		s += fmt.Sprintf(" %q", w.Message)
	}
	return s
}

var (
	markerRE = regexp.MustCompile(`\b(want(?:-[a-z]+)?)(?:@([^\s:@]+):([0-9]+))?:`)
	itemRE   = regexp.MustCompile(`([A-Z][A-Z0-9_]*)(?:\s+"((?:[^"\\]|\\.)*)")?`)
)

// Parse reads the expectations in the comments of one file.
func Parse(file string, src []byte) ([]Want, error) {
	var out []Want
	for i, line := range strings.Split(string(src), "\n") {
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
			at, atLine := file, i+1
			if mk[4] >= 0 {
				at = line[mk[4]:mk[5]]
				atLine, _ = strconv.Atoi(line[mk[6]:mk[7]])
			}
			items := itemRE.FindAllStringSubmatch(line[mk[1]:end], -1)
			if len(items) == 0 {
				return nil, fmt.Errorf("%s:%d: marker %q names no rule", file, i+1, line[mk[0]:end])
			}
			for _, it := range items {
				w := Want{Kind: kind, File: at, Line: atLine, Rule: it[1]}
				if it[2] != "" {
					re, err := regexp.Compile(strings.ReplaceAll(it[2], `\"`, `"`))
					if err != nil {
						return nil, fmt.Errorf("%s:%d: %v", file, i+1, err)
					}
					w.Message = re
				}
				out = append(out, w)
			}
		}
	}
	return out, nil
}

// OfKind returns the expectations of one marker kind.
func OfKind(wants []Want, kind string) []Want {
	var out []Want
	for _, w := range wants {
		if w.Kind == kind {
			out = append(out, w)
		}
	}
	return out
}

// Check pairs every finding with its own expectation (same file, line and
// rule, message matching) and fails the test for each finding left over and
// each expectation left unmatched. It reports whether all matched.
func Check(t testing.TB, wants []Want, got ecosystem.Diagnostics) bool {
	t.Helper()
	used := make([]bool, len(wants))
	ok := true
	for _, d := range got {
		found := false
		for i, w := range wants {
			if !used[i] && d.Pos.File == w.File && d.Pos.Line == w.Line && d.Rule == w.Rule && (w.Message == nil || w.Message.MatchString(d.Message)) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			t.Errorf("unexpected finding: %s (path %q)", d.Error(), d.Path)
			ok = false
		}
	}
	for i, w := range wants {
		if !used[i] {
			t.Errorf("missing finding: %s", w)
			ok = false
		}
	}
	return ok
}

// Golden compares got with the file at path, or rewrites the file with -update.
func Golden(t testing.TB, path string, got []byte) {
	t.Helper()
	if *Update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if d := Diff(string(want), string(got)); d != "" {
		t.Errorf("%s differs (run with -update to accept; -want +got):\n%s", path, d)
	}
}

// Diff returns a line diff of two texts (-want +got), or "" when equal.
func Diff(want, got string) string {
	if want == got {
		return ""
	}
	return cmp.Diff(strings.Split(want, "\n"), strings.Split(got, "\n"))
}

// Rules returns the sorted rule IDs of the expectations, for tests that
// check every rule has a fixture.
func Rules(wants []Want) []string {
	var ids []string
	for _, w := range wants {
		ids = append(ids, w.Rule)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}
