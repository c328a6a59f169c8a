package graph

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/datasurface/datasurface-go/ecosystem"
)

func TestImpactThroughTransformers(t *testing.T) {
	m := transformerChain().model()
	r, err := Impact(m, "Raw")
	if err != nil {
		t.Fatal(err)
	}
	type short struct {
		Workspace string
		Groups    []string
		Via       []string
	}
	var got []short
	for _, c := range r.Consumers {
		got = append(got, short{c.Workspace, c.Groups, c.Via})
	}
	want := []short{
		{"C", []string{"g"}, []string{"W1", "W2"}},
		{"W1", []string{"in"}, nil},
		{"W2", []string{"in"}, []string{"W1"}},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("consumers of Raw (-want +got):\n%s", diff)
	}
	if r.Path != "Z/T/Raw" {
		t.Errorf("path = %q", r.Path)
	}
	// A column's consumers are its dataset's: a transformer is assumed to
	// read every column of what it consumes.
	col, err := Impact(m, "Raw.r.value")
	if err != nil {
		t.Fatal(err)
	}
	if col.Path != "Z/T/Raw/r/value" || !cmp.Equal(col.Consumers, r.Consumers) {
		t.Errorf("column impact %+v, want the dataset's consumers", col)
	}
	var b strings.Builder
	if err := col.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	wantText := `Raw.r.value (Z/T/Raw/r/value): 3 consuming workspace(s)
  C (Z/T/C, priority normal) groups g, through W1 -> W2
  W1 (Z/T/W1, priority normal) groups in, directly
  W2 (Z/T/W2, priority normal) groups in, through W1
`
	if diff := cmp.Diff(wantText, b.String()); diff != "" {
		t.Errorf("text (-want +got):\n%s", diff)
	}
}

// TestImpactMatchesEcosystemConsumers: the workspaces are exactly those
// ecosystem.Consumers and StoreConsumers return, on every dataset of the
// fixtures.
func TestImpactMatchesEcosystemConsumers(t *testing.T) {
	for _, f := range []*fixture{transformerChain(), twoPlatforms(), priorities(), singleAndMultiDataset()} {
		m := f.model()
		for _, s := range m.Datastores() {
			names := func(ws []ecosystem.WorkspaceRef) []string {
				var out []string
				for _, w := range ws {
					out = append(out, w.Workspace.Name)
				}
				return out
			}
			check := func(target string, want []string) {
				r, err := Impact(m, target)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, c := range r.Consumers {
					got = append(got, c.Workspace)
				}
				if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("Impact(%s) (-ecosystem +graph):\n%s", target, diff)
				}
			}
			check(s.Store.Name, names(m.StoreConsumers(s.Store.Name)))
			for _, d := range s.Store.Datasets {
				check(s.Store.Name+"."+d.Name, names(m.Consumers(s.Store.Name, d.Name)))
			}
		}
	}
}

func TestImpactErrors(t *testing.T) {
	m := transformerChain().model()
	for target, want := range map[string]string{
		"Nope":        `impact: datastore "Nope" does not exist`,
		"Raw.x":       `impact: datastore Raw has no dataset "x" (it has r)`,
		"Raw.r.x":     `impact: dataset Raw.r has no column "x" (it has id, value)`,
		"Raw..r":      `impact: "Raw..r" is not STORE, STORE.DATASET or STORE.DATASET.COLUMN`,
		"a.b.c.d":     `impact: "a.b.c.d" is not STORE, STORE.DATASET or STORE.DATASET.COLUMN`,
		"":            `impact: "" is not STORE, STORE.DATASET or STORE.DATASET.COLUMN`,
		"Out.o1.nope": `impact: dataset Out.o1 has no column "nope" (it has id, value)`,
	} {
		if _, err := Impact(m, target); err == nil || err.Error() != want {
			t.Errorf("Impact(%q) = %v, want %q", target, err, want)
		}
	}
}

func TestUpstream(t *testing.T) {
	m := transformerChain().model()
	r, err := Upstream(m, "C")
	if err != nil {
		t.Fatal(err)
	}
	type short struct {
		Store, Dataset, Transformer string
		Via                         []string
	}
	var got []short
	for _, p := range r.Producers {
		got = append(got, short{p.Store, p.Dataset, p.Transformer, p.Via})
	}
	want := []short{
		{"Mid", "m", "W1", []string{"W2"}},
		{"Out", "o1", "W2", nil},
		{"Raw", "r", "", []string{"W2", "W1"}},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("upstream of C (-want +got):\n%s", diff)
	}
	var b strings.Builder
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	wantText := `C (Z/T/C): 3 upstream dataset(s)
  Mid.m (Z/T/Mid/m, transformer_output, written by the transformer of W1) through W2
  Out.o1 (Z/T/Out/o1, transformer_output, written by the transformer of W2)
  Raw.r (Z/T/Raw/r, sql_snapshot) through W2 <- W1
`
	if diff := cmp.Diff(wantText, b.String()); diff != "" {
		t.Errorf("text (-want +got):\n%s", diff)
	}
	if _, err := Upstream(m, "Nobody"); err == nil || err.Error() != `upstream: workspace "Nobody" does not exist` {
		t.Errorf("unknown workspace: %v", err)
	}
}

// TestTextViewsEscapeModelText: the views people read show control
// characters escaped and start no line with a workflow command, whatever
// the (unlinted) model names hold.
func TestTextViewsEscapeModelText(t *testing.T) {
	r := &ImpactReport{Target: "S\x1b[31m", Path: "Z/T/S", Consumers: []Consumer{{Workspace: "\n::error::W", Path: "Z/T/W"}}}
	var b strings.Builder
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "\x1b") || strings.Contains(out, "\n::error") {
		t.Errorf("raw model text in the view: %q", out)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "::") {
			t.Errorf("line starts a workflow command: %q", line)
		}
	}
}
