package graph

import (
	"bytes"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// planHead is transformerChain with changes of every kind: C becomes
// critical and consumes Out.o2 too, W1's trigger moves, Raw is captured by
// watermark, W2's group moves from Q to P, and a platform R appears.
func planHead() *fixture {
	f := transformerChain()
	f.platform("R", "test")
	tm := f.e.Zones[0].Teams[0]
	raw := tm.Datastores[0]
	raw.Capture.Kind = ecosystem.SQLWatermark
	for _, w := range tm.Workspaces {
		switch w.Name {
		case "C":
			w.Priority = ecosystem.PriorityCritical
			w.Groups[0].Sinks = append(w.Groups[0].Sinks, &ecosystem.Sink{Store: "Out", Dataset: "o2"})
		case "W1":
			w.Transformer.Trigger.Cron = "30 * * * *"
		case "W2":
			w.Groups[0].Platform = "P"
		}
	}
	f.group(f.workspace(tm, "Newcomer", 0), "g", "R", nil, "Raw.r")
	return f
}

func TestDiff(t *testing.T) {
	base := mustBuild(t, transformerChain().model(), capsFor("P", "Q"))
	head := mustBuild(t, planHead().model(), capsFor("P", "Q", "R"))
	plan := Diff(base.Pipelines, head.Pipelines)

	byName := map[string]PlatformPlan{}
	for _, pp := range plan.Platforms {
		byName[pp.Platform] = pp
	}
	ids := func(ns []*Node) []string {
		var out []string
		for _, n := range ns {
			out = append(out, n.ID)
		}
		return out
	}
	p := byName["P"]
	if diff := cmp.Diff([]string{"export:C.g:Out.o2", "ingest:Out.o2"}, ids(p.Added)); diff != "" {
		t.Errorf("P added (-want +got):\n%s", diff)
	}
	changes := map[string][]AttrChange{}
	for _, c := range p.Changed {
		changes[c.ID] = c.Changes
	}
	wantChanges := map[string][]AttrChange{
		"ingest:Raw":           {{"priority", "normal", "critical"}, {"capture", "sql_snapshot", "sql_watermark"}},
		"trigger:transform:W1": {{"priority", "normal", "critical"}, {"trigger", "cron 0 * * * *", "cron 30 * * * *"}},
		"export:W2.in:Mid.m":   {{"priority", "normal", "critical"}, {"status", "", "active"}, {"upstream", "pulled in for a transformer", ""}},
	}
	for id, want := range wantChanges {
		if diff := cmp.Diff(want, changes[id]); diff != "" {
			t.Errorf("P changes of %s (-want +got):\n%s", id, diff)
		}
	}
	// Every node of P's chain now serves a critical workspace.
	for _, id := range []string{"export:C.g:Out.o1", "ingest:Out.o1", "transform:W2", "ingest:Mid", "export:W1.in:Raw.r", "transform:W1"} {
		if got := changes[id]; len(got) != 1 || got[0] != (AttrChange{"priority", "normal", "critical"}) {
			t.Errorf("P change of %s = %v, want priority normal -> critical", id, got)
		}
	}
	if want := []Edge{{"ingest:Out.o2", "export:C.g:Out.o2"}, {"transform:W2", "ingest:Out.o2"}}; !cmp.Equal(want, p.EdgesAdded) {
		t.Errorf("P edges added = %v, want %v", p.EdgesAdded, want)
	}
	// Q no longer serves W2, and nobody on Q needs Mid.
	q := byName["Q"]
	if diff := cmp.Diff([]string{"export:W2.in:Mid.m", "ingest:Mid", "transform:W2"}, ids(q.Removed)); diff != "" {
		t.Errorf("Q removed (-want +got):\n%s", diff)
	}
	if r := byName["R"]; r.Change != "added" || len(r.Added) != 2 || len(r.EdgesAdded) != 1 {
		t.Errorf("R = %+v, want an added platform with two nodes and an edge", r)
	}
	if names := []string{plan.Platforms[0].Platform, plan.Platforms[1].Platform, plan.Platforms[2].Platform}; !slices.IsSorted(names) {
		t.Errorf("platforms not sorted: %v", names)
	}

	var text, js bytes.Buffer
	if err := plan.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if err := plan.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	golden(t, "plan.txt", text.Bytes())
	golden(t, "plan.json", js.Bytes())
}

func TestDiffOfTheSameModelIsEmpty(t *testing.T) {
	a := mustBuild(t, transformerChain().model(), capsFor("P", "Q"))
	// Every position differs, which a plan ignores.
	moved := transformerChainAt(50)
	b := mustBuild(t, moved.model(), capsFor("P", "Q"))
	if a.Pipelines[0].Nodes[0].Pos == b.Pipelines[0].Nodes[0].Pos {
		t.Fatal("the moved fixture did not move")
	}
	plan := Diff(a.Pipelines, b.Pipelines)
	if !plan.Empty() {
		t.Errorf("plan of identical models is not empty: %+v", plan.Platforms)
	}
	var text bytes.Buffer
	if err := plan.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if text.String() != "No changes: every platform's pipeline is unchanged.\n" {
		t.Errorf("text = %q", text.String())
	}
	if removed := Diff(a.Pipelines, nil); len(removed.Platforms) != 2 || removed.Platforms[0].Change != "removed" {
		t.Errorf("diff against nothing = %+v", removed.Platforms)
	}
}
