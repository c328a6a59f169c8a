package graph

import (
	"bytes"
	"github.com/datasurface/datasurface-go/internal/diagtest"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/datasurface/datasurface-go/ecosystem"
)

var update = diagtest.Update // -update rewrites the golden files

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-golden +got; go test -update accepts it):\n%s", path, diff)
	}
}

func render(t *testing.T, f Format, ps ...*Pipeline) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, f, ps...); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// shapes are the models of the shape tests, each with the platforms whose
// pipelines its golden DOT file holds.
var shapes = []struct {
	name      string
	model     func() *fixture
	platforms []string
}{
	{"store-and-dataset-ingestion", singleAndMultiDataset, []string{"P"}},
	{"transformer-chain", transformerChain, []string{"P", "Q"}},
	{"transformer-feeds-two-platforms", twoPlatforms, []string{"P1", "P2"}},
	{"priorities", priorities, []string{"P"}},
	{"migration", migrationFixture, []string{"New", "Old"}},
}

func migrationFixture() *fixture {
	f := newFixture("Old", "New")
	tm := f.team(f.zone("Z"), "T")
	f.store(tm, "S", f.capture(ecosystem.SQLSnapshot, ecosystem.IngestDataset, "0 0 * * *"), "d", "e")
	f.group(f.workspace(tm, "W", ecosystem.PriorityHigh), "g", "", nil, "S.d", "S.e")
	f.assign("W", "g", "Old", ecosystem.AssignmentRetiring)
	f.assign("W", "g", "New", ecosystem.AssignmentMigrating)
	return f
}

func TestGoldenDOT(t *testing.T) {
	for _, s := range shapes {
		t.Run(s.name, func(t *testing.T) {
			r := mustBuild(t, s.model().model(), capsFor(s.platforms...))
			var ps []*Pipeline
			for _, p := range s.platforms {
				ps = append(ps, r.Pipeline(p))
			}
			golden(t, s.name+".dot", render(t, FormatDOT, ps...))
		})
	}
}

func TestGoldenJSONAndMermaid(t *testing.T) {
	r := mustBuild(t, transformerChain().model(), capsFor("P", "Q"))
	golden(t, "transformer-chain.json", render(t, FormatJSON, r.Pipelines...))
	golden(t, "transformer-chain.mmd", render(t, FormatMermaid, r.Pipelines...))
}

// TestOutputIsDeterministic builds the same model from scratch several
// times: every format gives the same bytes each time, whatever the order
// of map iteration inside.
func TestOutputIsDeterministic(t *testing.T) {
	var first map[Format][]byte
	for range 10 {
		r := mustBuild(t, transformerChain().model(), capsFor("P", "Q"))
		got := map[Format][]byte{}
		for _, f := range Formats {
			got[f] = render(t, f, r.Pipelines...)
		}
		if first == nil {
			first = got
			continue
		}
		for _, f := range Formats {
			if !bytes.Equal(first[f], got[f]) {
				t.Fatalf("%s output differs between two builds of the same model", f)
			}
		}
	}
}

func TestParseFormat(t *testing.T) {
	for _, s := range []string{"json", "DOT", "mermaid"} {
		if _, err := ParseFormat(s); err != nil {
			t.Errorf("ParseFormat(%q): %v", s, err)
		}
	}
	if _, err := ParseFormat("svg"); err == nil || err.Error() != `unknown graph format "svg": want json, dot, mermaid` {
		t.Errorf("ParseFormat(svg): %v", err)
	}
	if err := Write(&bytes.Buffer{}, "svg"); err == nil {
		t.Error("Write accepted an unknown format")
	}
}

func TestMermaidEscapesLabels(t *testing.T) {
	if got := mermaidText("a \"b\" <c>\nd"); got != "a #quot;b#quot; #lt;c#gt;<br/>d" {
		t.Errorf("mermaidText = %q", got)
	}
}
