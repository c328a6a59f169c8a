package graph

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// wantEdges compares a pipeline's edges with the expected "from -> to" list
// (in any order).
func wantEdges(t *testing.T, p *Pipeline, want ...string) {
	t.Helper()
	slices.Sort(want)
	if diff := cmp.Diff(want, p.EdgeStrings()); diff != "" {
		t.Errorf("platform %s edges (-want +got):\n%s", p.Platform, diff)
	}
}

func mustBuild(t *testing.T, m *ecosystem.Ecosystem, caps map[string]Capabilities) *Result {
	t.Helper()
	r := Build(m, caps)
	if len(r.Diagnostics) > 0 {
		t.Fatalf("unexpected diagnostics:\n%v", ecosystem.DiagnosticsError(r.Diagnostics))
	}
	return r
}

// singleAndMultiDataset is a model with a single-dataset store, a
// multi-dataset store ingested per dataset and one ingested as a whole.
func singleAndMultiDataset() *fixture {
	f := newFixture("P")
	tm := f.team(f.zone("Z"), "T")
	f.store(tm, "Cust", f.capture(ecosystem.SQLSnapshot, ecosystem.IngestStore, "*/5 * * * *"), "customers")
	f.store(tm, "Orders", f.capture(ecosystem.SQLWatermark, ecosystem.IngestDataset, ""), "orders", "lines")
	f.store(tm, "Prod", f.capture(ecosystem.SQLSnapshot, ecosystem.IngestStore, ""), "prices", "items")
	w := f.workspace(tm, "W", 0)
	f.group(w, "g", "P", nil, "Cust.customers", "Orders.orders", "Orders.lines", "Prod.items")
	return f
}

func TestStoreAndDatasetIngestion(t *testing.T) {
	r := mustBuild(t, singleAndMultiDataset().model(), capsFor("P"))
	p := r.Pipeline("P")
	wantEdges(t, p,
		"trigger:ingest:Cust -> ingest:Cust",
		"ingest:Cust -> export:W.g:Cust.customers",
		"ingest:Orders.lines -> export:W.g:Orders.lines",
		"ingest:Orders.orders -> export:W.g:Orders.orders",
		"ingest:Prod -> export:W.g:Prod.items",
	)
	// A store ingested as a whole captures all its datasets in one node,
	// even those no group consumes; one ingested per dataset only those needed.
	if got := p.Node("ingest:Prod").Datasets; !slices.Equal(got, []string{"items", "prices"}) {
		t.Errorf("ingest:Prod datasets = %v, want [items prices]", got)
	}
	if got := p.Node("ingest:Orders.orders"); got.Ingestion != ecosystem.IngestDataset || got.Capture != ecosystem.SQLWatermark {
		t.Errorf("ingest:Orders.orders = %+v, want dataset ingestion of a watermark capture", got)
	}
	if got := p.Node("trigger:ingest:Cust").Trigger; got != "cron */5 * * * *" {
		t.Errorf("trigger = %q", got)
	}
	if order := p.Order(); len(order) != len(p.Nodes) || order[len(order)-1].Kind != KindExport {
		t.Errorf("topological order %v does not end with an export", order)
	}
}

// transformerChain: Raw -> W1 (transformer) -> Mid -> W2 (transformer) ->
// Out, consumed by C on P while W1 and W2 are served by Q.
func transformerChain() *fixture { return transformerChainAt(0) }

// transformerChainAt builds the chain with every position moved down by
// offset lines, as if the model file had grown a header.
func transformerChainAt(offset int) *fixture {
	f := newFixture("P", "Q")
	f.line += offset
	tm := f.team(f.zone("Z"), "T")
	f.store(tm, "Raw", f.capture(ecosystem.SQLSnapshot, ecosystem.IngestStore, ""), "r")
	f.store(tm, "Mid", f.capture(ecosystem.TransformerOutput, ecosystem.IngestStore, ""), "m")
	f.store(tm, "Out", f.capture(ecosystem.TransformerOutput, ecosystem.IngestDataset, ""), "o1", "o2")
	w1 := f.workspace(tm, "W1", 0)
	f.group(w1, "in", "Q", nil, "Raw.r")
	f.transformer(w1, "Mid", "0 * * * *")
	w2 := f.workspace(tm, "W2", 0)
	f.group(w2, "in", "Q", nil, "Mid.m")
	f.transformer(w2, "Out", "")
	c := f.workspace(tm, "C", 0)
	f.group(c, "g", "P", nil, "Out.o1")
	return f
}

func TestTransformerChainOfTwo(t *testing.T) {
	r := mustBuild(t, transformerChain().model(), capsFor("P", "Q"))
	p := r.Pipeline("P")
	wantEdges(t, p,
		"ingest:Raw -> export:W1.in:Raw.r",
		"export:W1.in:Raw.r -> transform:W1",
		"trigger:transform:W1 -> transform:W1",
		"transform:W1 -> ingest:Mid",
		"ingest:Mid -> export:W2.in:Mid.m",
		"export:W2.in:Mid.m -> transform:W2",
		"transform:W2 -> ingest:Out.o1",
		"ingest:Out.o1 -> export:C.g:Out.o1",
	)
	for _, id := range []string{"export:W1.in:Raw.r", "export:W2.in:Mid.m"} {
		if n := p.Node(id); !n.Upstream || n.Status != "" {
			t.Errorf("%s on P: upstream=%v status=%q, want pulled in without a status", id, n.Upstream, n.Status)
		}
	}
	if n := p.Node("export:C.g:Out.o1"); n.Upstream || n.Status != ecosystem.AssignmentActive {
		t.Errorf("C's export: upstream=%v status=%q, want served and active", n.Upstream, n.Status)
	}
	// Q serves the transformer workspaces; nobody on Q consumes Out, so it
	// is not ingested there.
	q := r.Pipeline("Q")
	wantEdges(t, q,
		"ingest:Raw -> export:W1.in:Raw.r",
		"export:W1.in:Raw.r -> transform:W1",
		"trigger:transform:W1 -> transform:W1",
		"transform:W1 -> ingest:Mid",
		"ingest:Mid -> export:W2.in:Mid.m",
		"export:W2.in:Mid.m -> transform:W2",
	)
	if n := q.Node("export:W1.in:Raw.r"); n.Upstream || n.Status != ecosystem.AssignmentActive {
		t.Errorf("W1's export on Q: upstream=%v status=%q, want served", n.Upstream, n.Status)
	}
}

// TestTransformerFeedsTwoPlatforms: T's output D is consumed by C1 on P1
// and C2 on P2; T itself is served by P1, so P2 pulls T in.
func twoPlatforms() *fixture {
	f := newFixture("P1", "P2")
	tm := f.team(f.zone("Z"), "T")
	f.store(tm, "Raw", f.capture(ecosystem.CDC, ecosystem.IngestDataset, ""), "r")
	f.store(tm, "D", f.capture(ecosystem.TransformerOutput, ecosystem.IngestStore, ""), "d")
	tw := f.workspace(tm, "TW", 0)
	f.group(tw, "in", "P1", nil, "Raw.r")
	f.transformer(tw, "D", "")
	f.group(f.workspace(tm, "C1", 0), "g", "P1", nil, "D.d")
	f.group(f.workspace(tm, "C2", 0), "g", "P2", nil, "D.d")
	return f
}

func TestTransformerFeedsTwoPlatforms(t *testing.T) {
	r := mustBuild(t, twoPlatforms().model(), capsFor("P1", "P2"))
	chain := []string{
		"ingest:Raw.r -> export:TW.in:Raw.r",
		"export:TW.in:Raw.r -> transform:TW",
		"transform:TW -> ingest:D",
	}
	wantEdges(t, r.Pipeline("P1"), append(slices.Clone(chain), "ingest:D -> export:C1.g:D.d")...)
	wantEdges(t, r.Pipeline("P2"), append(slices.Clone(chain), "ingest:D -> export:C2.g:D.d")...)
	if !r.Pipeline("P2").Node("export:TW.in:Raw.r").Upstream {
		t.Error("P2 should pull in TW's export as upstream")
	}
	if r.Pipeline("P1").Node("export:TW.in:Raw.r").Upstream {
		t.Error("P1 serves TW's group: its export is not merely upstream")
	}
}

func TestSelfConsumingTransformerIsACycle(t *testing.T) {
	f := newFixture("P")
	tm := f.team(f.zone("Z"), "T")
	f.store(tm, "Raw", f.capture(ecosystem.SQLSnapshot, ecosystem.IngestStore, ""), "r")
	f.store(tm, "Own", f.capture(ecosystem.TransformerOutput, ecosystem.IngestStore, ""), "o")
	w := f.workspace(tm, "W", 0)
	g := f.group(w, "g", "P", nil, "Raw.r", "Own.o")
	f.transformer(w, "Own", "")
	r := Build(f.model(), capsFor("P"))
	if len(r.Diagnostics) != 1 {
		t.Fatalf("want one GRAPH_CYCLE, got:\n%v", ecosystem.DiagnosticsError(r.Diagnostics))
	}
	d := r.Diagnostics[0]
	wantMsg := "pipeline cycle transform:W -> ingest:Own -> export:W.g:Own.o -> transform:W: the transformer of workspace W consumes data it produces itself"
	if d.Rule != "GRAPH_CYCLE" || d.Message != wantMsg || d.Pos != g.Sinks[1].Pos || d.Path != "Z/T/W/g" {
		t.Errorf("got %v (path %s)\nwant GRAPH_CYCLE at %v: %s", d, d.Path, g.Sinks[1].Pos, wantMsg)
	}
	if len(d.Related) != 1 || d.Related[0].Pos != w.Transformer.Pos {
		t.Errorf("related = %v, want the transformer's position %v", d.Related, w.Transformer.Pos)
	}
	p := r.Pipeline("P")
	if p.Order() != nil || len(p.Cycles()) != 1 {
		t.Errorf("cyclic pipeline: order %v, cycles %v", p.Order(), p.Cycles())
	}
}

func TestTransformersFeedingEachOtherIsACycle(t *testing.T) {
	f := newFixture("P", "Q")
	tm := f.team(f.zone("Z"), "T")
	f.store(tm, "AOut", f.capture(ecosystem.TransformerOutput, ecosystem.IngestStore, ""), "a")
	f.store(tm, "BOut", f.capture(ecosystem.TransformerOutput, ecosystem.IngestDataset, ""), "b")
	a := f.workspace(tm, "A", 0)
	f.group(a, "g", "P", nil, "BOut.b")
	f.transformer(a, "AOut", "")
	b := f.workspace(tm, "B", 0)
	f.group(b, "g", "Q", nil, "AOut.a")
	f.transformer(b, "BOut", "")
	r := Build(f.model(), capsFor("P", "Q"))
	// Both pipelines contain the loop; it is reported once.
	if len(r.Diagnostics) != 1 {
		t.Fatalf("want one GRAPH_CYCLE, got:\n%v", ecosystem.DiagnosticsError(r.Diagnostics))
	}
	want := "pipeline cycle transform:A -> ingest:AOut -> export:B.g:AOut.a -> transform:B -> ingest:BOut.b -> export:A.g:BOut.b -> transform:A: the transformers of workspaces A, B feed each other in a loop"
	if got := r.Diagnostics[0].Message; got != want {
		t.Errorf("message\n got: %s\nwant: %s", got, want)
	}
}

// TestPrioritiesPropagate: a node takes the highest priority of the
// workspaces downstream, through shared ingestion and through transformers.
func priorities() *fixture {
	f := newFixture("P")
	tm := f.team(f.zone("Z"), "T")
	f.store(tm, "S", f.capture(ecosystem.SQLSnapshot, ecosystem.IngestStore, "0 * * * *"), "d")
	f.store(tm, "S2", f.capture(ecosystem.SQLWatermark, ecosystem.IngestDataset, ""), "a")
	f.store(tm, "TOut", f.capture(ecosystem.TransformerOutput, ecosystem.IngestStore, ""), "x")
	low := f.workspace(tm, "Low", ecosystem.PriorityLow)
	f.group(low, "g", "P", nil, "S.d", "S2.a")
	f.group(f.workspace(tm, "Crit", ecosystem.PriorityCritical), "g", "P", nil, "S.d")
	tw := f.workspace(tm, "TW", ecosystem.PriorityLow)
	f.group(tw, "in", "P", nil, "S2.a")
	f.transformer(tw, "TOut", "")
	f.group(f.workspace(tm, "High", ecosystem.PriorityHigh), "g", "P", nil, "TOut.x")
	return f
}

func TestPrioritiesPropagate(t *testing.T) {
	p := mustBuild(t, priorities().model(), capsFor("P")).Pipeline("P")
	want := map[string]ecosystem.Priority{
		"trigger:ingest:S":     ecosystem.PriorityCritical,
		"ingest:S":             ecosystem.PriorityCritical,
		"export:Crit.g:S.d":    ecosystem.PriorityCritical,
		"export:Low.g:S.d":     ecosystem.PriorityLow,
		"export:Low.g:S2.a":    ecosystem.PriorityLow,
		"ingest:S2.a":          ecosystem.PriorityHigh, // shared by Low and, through TW, High
		"export:TW.in:S2.a":    ecosystem.PriorityHigh,
		"transform:TW":         ecosystem.PriorityHigh,
		"ingest:TOut":          ecosystem.PriorityHigh,
		"export:High.g:TOut.x": ecosystem.PriorityHigh,
	}
	got := map[string]ecosystem.Priority{}
	for _, n := range p.Nodes {
		got[n.ID] = n.Priority
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("priorities (-want +got):\n%s", diff)
	}
}

// TestMigration: a group explicitly assigned to two platforms appears in
// both pipelines with each assignment's status; the platform it names is
// overridden.
func TestMigration(t *testing.T) {
	f := newFixture("Old", "New", "Named")
	tm := f.team(f.zone("Z"), "T")
	f.store(tm, "S", f.capture(ecosystem.SQLSnapshot, ecosystem.IngestStore, ""), "d")
	f.group(f.workspace(tm, "W", 0), "g", "Named", nil, "S.d")
	f.assign("W", "g", "Old", ecosystem.AssignmentRetiring)
	f.assign("W", "g", "New", ecosystem.AssignmentMigrating)
	r := mustBuild(t, f.model(), capsFor("Old", "New", "Named"))
	ga := r.Assignments.Group("W", "g")
	want := []Served{
		{Platform: "New", Status: ecosystem.AssignmentMigrating, Pos: f.e.Assignments[1].Pos},
		{Platform: "Old", Status: ecosystem.AssignmentRetiring, Pos: f.e.Assignments[0].Pos},
	}
	if ga.Basis != BasisAssignment || !cmp.Equal(ga.Served, want) {
		t.Errorf("basis %s, served %+v; want assignment, %+v", ga.Basis, ga.Served, want)
	}
	for platform, status := range map[string]ecosystem.AssignmentStatus{"Old": ecosystem.AssignmentRetiring, "New": ecosystem.AssignmentMigrating} {
		p := r.Pipeline(platform)
		wantEdges(t, p, "ingest:S -> export:W.g:S.d")
		if got := p.Node("export:W.g:S.d").Status; got != status {
			t.Errorf("%s: status %q, want %q", platform, got, status)
		}
	}
	if n := len(r.Pipeline("Named").Nodes); n != 0 {
		t.Errorf("the named platform is overridden by the assignments, yet has %d nodes", n)
	}
}

func TestNodeModelGivesPlatformsTheModelObjects(t *testing.T) {
	f := singleAndMultiDataset()
	m := f.model()
	p := mustBuild(t, m, capsFor("P")).Pipeline("P")
	n := p.Node("ingest:Prod")
	if n.Model.Store.Store.Name != "Prod" || len(n.Model.Datasets) != 2 || n.Model.Datasets[0].Name != "items" {
		t.Errorf("ingest:Prod model = %+v", n.Model)
	}
	e := p.Node("export:W.g:Orders.lines")
	if e.Model.Workspace.Workspace.Name != "W" || e.Model.Sink.Dataset != "lines" || e.Model.Group.Name != "g" {
		t.Errorf("export model = %+v", e.Model)
	}
	if got := e.Container; got != "database W_db (postgres)" {
		t.Errorf("container = %q", got)
	}
	if preds := p.Predecessors(e.ID); len(preds) != 1 || preds[0].ID != "ingest:Orders.lines" {
		t.Errorf("predecessors of %s = %v", e.ID, preds)
	}
	if succ := p.Successors("trigger:ingest:Cust"); len(succ) != 1 || succ[0].ID != "ingest:Cust" {
		t.Errorf("successors = %v", succ)
	}
	if got := p.Directed().Nodes().Len(); got != len(p.Nodes) {
		t.Errorf("gonum graph has %d nodes, want %d", got, len(p.Nodes))
	}
	if !strings.HasPrefix(p.Node("ingest:Cust").Path, "Z/T/Cust") {
		t.Errorf("path = %q", p.Node("ingest:Cust").Path)
	}
}
