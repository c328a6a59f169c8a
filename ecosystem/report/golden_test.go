package report

import (
	"bytes"
	"fmt"
	"github.com/datasurface/datasurface-go/internal/diagtest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"

	"github.com/datasurface/datasurface-go/ecosystem"
)

var update = diagtest.Update // -update rewrites the golden files

// goldenCases are the reports whose every format is kept in a golden txtar
// archive, one file per format.
var goldenCases = []struct {
	name   string
	report func() *Report
}{
	{"full", fixtureReport},
	{"clean", cleanReport},
}

// TestGolden compares each format's output with testdata/NAME.txtar.
// Regenerate with: go test ./ecosystem/report -run TestGolden -update
func TestGolden(t *testing.T) {
	for _, gc := range goldenCases {
		t.Run(gc.name, func(t *testing.T) {
			file := filepath.Join("testdata", gc.name+".txtar")
			got := &txtar.Archive{Comment: []byte(fmt.Sprintf(
				"Output of every format for the %q report of fixture_test.go.\n"+
					"Regenerate with: go test ./ecosystem/report -run TestGolden -update\n", gc.name))}
			for _, f := range Formats() {
				got.Files = append(got.Files, txtar.File{Name: string(f), Data: render(t, f, gc.report())})
			}
			if *update {
				if err := os.WriteFile(file, txtar.Format(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if len(want.Files) != len(got.Files) {
				t.Fatalf("%s holds %d formats, the package renders %d: run with -update", file, len(want.Files), len(got.Files))
			}
			for i, g := range got.Files {
				w := want.Files[i]
				if w.Name != g.Name || !bytes.Equal(w.Data, g.Data) {
					t.Errorf("%s: format %s differs from the golden section %q (-want +got):\n%s", file, g.Name, w.Name, lineDiff(string(w.Data), string(g.Data)))
				}
			}
		})
	}
}

// TestDeterministic checks that the output depends on the findings and rules
// only, not on their order, and that rendering twice gives the same bytes.
func TestDeterministic(t *testing.T) {
	for _, f := range Formats() {
		t.Run(string(f), func(t *testing.T) {
			first := render(t, f, fixtureReport())
			again := render(t, f, fixtureReport())
			if !bytes.Equal(first, again) {
				t.Fatal("two renderings of the same report differ")
			}
			reversed := fixtureReport()
			slices.Reverse(reversed.Diagnostics)
			slices.Reverse(reversed.Rules)
			if got := render(t, f, reversed); !bytes.Equal(first, got) {
				t.Fatalf("reversing the input changed the output (-want +got):\n%s", lineDiff(string(first), string(got)))
			}
		})
	}
}

// TestWriteLeavesReportAlone checks that rendering does not sort or
// otherwise change the caller's report.
func TestWriteLeavesReportAlone(t *testing.T) {
	r := fixtureReport()
	for _, f := range Formats() {
		render(t, f, r)
	}
	if want := fixtureDiagnostics(); !slices.EqualFunc(r.Diagnostics, want, func(a, b ecosystem.Diagnostic) bool { return a.Compare(b) == 0 }) {
		t.Errorf("Write reordered or changed the report's diagnostics:\n got %v\nwant %v", r.Diagnostics, want)
	}
	if want := fixtureRules(); !slices.EqualFunc(r.Rules, want, func(a, b ecosystem.Rule) bool { return a.ID == b.ID }) {
		t.Errorf("Write reordered the report's rules")
	}
}

// render writes r in format f and fails the test on error.
func render(t testing.TB, f Format, r *Report, opts ...Option) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, f, r, opts...); err != nil {
		t.Fatalf("Write(%s): %v", f, err)
	}
	return b.Bytes()
}

// lineDiff shows how got differs from want, line by line.
func lineDiff(want, got string) string {
	return cmp.Diff(strings.Split(want, "\n"), strings.Split(got, "\n"))
}
