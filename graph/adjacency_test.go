package graph

import (
	"testing"

	"gonum.org/v1/gonum/graph/topo"
)

// TestDirectedIsAGonumGraph: the pipeline's gonum view answers as a gonum
// directed graph should, and gonum's algorithms (which sort the slices
// iterators hand out) leave the pipeline intact.
func TestDirectedIsAGonumGraph(t *testing.T) {
	p := mustBuild(t, transformerChain().model(), capsFor("P", "Q")).Pipeline("P")
	g := p.Directed()
	id := func(s string) int64 { return int64(p.byID[s]) }
	from, to := id("ingest:Raw"), id("export:W1.in:Raw.r")
	if !g.HasEdgeFromTo(from, to) || g.HasEdgeFromTo(to, from) || !g.HasEdgeBetween(to, from) {
		t.Error("edge ingest:Raw -> export:W1.in:Raw.r is not seen the right way round")
	}
	if e := g.Edge(from, to); e == nil || p.NodeOf(e.From()).ID != "ingest:Raw" || p.NodeOf(e.To()).ID != "export:W1.in:Raw.r" {
		t.Errorf("Edge = %v", e)
	}
	if g.Edge(to, from) != nil || g.Node(-1) != nil || g.Node(int64(len(p.Nodes))) != nil || g.From(-1).Len() != 0 {
		t.Error("missing edges and nodes must be nil or empty")
	}
	if preds := g.To(id("transform:W1")); preds.Len() != 2 {
		t.Errorf("transform:W1 has %d predecessors, want 2 (its export and its trigger)", preds.Len())
	}
	for range 2 {
		if _, err := topo.Sort(g); err != nil {
			t.Fatal(err)
		}
	}
	for i, n := range p.Nodes {
		if got := p.NodeOf(g.Node(int64(i))); got != n {
			t.Fatalf("after gonum's sort, node %d is %s, want %s", i, got.ID, n.ID)
		}
	}
}
