package graph

import (
	"slices"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// Result is the broker's whole output for one model: the assignments, one
// pipeline per declared platform, and every problem found on the way.
type Result struct {
	Assignments *Assignments
	// Pipelines holds one pipeline per declared platform, sorted by
	// platform name; a platform that serves no group has an empty one.
	Pipelines []*Pipeline
	// Diagnostics holds the assignment problems and the cycles, sorted.
	Diagnostics ecosystem.Diagnostics
}

// Pipeline returns the named platform's pipeline, or nil when no such
// platform is declared.
func (r *Result) Pipeline(platform string) *Pipeline {
	i, ok := slices.BinarySearchFunc(r.Pipelines, platform, func(p *Pipeline, name string) int {
		return strings.Compare(p.Platform, name)
	})
	if !ok {
		return nil
	}
	return r.Pipelines[i]
}

// Build assigns every dataset group of m to platforms (see Assign) and
// builds the pipeline of every declared platform (see BuildPipelines).
func Build(m *ecosystem.Ecosystem, caps map[string]Capabilities) *Result {
	a := Assign(m, caps)
	ps, diags := BuildPipelines(a)
	r := &Result{Assignments: a, Pipelines: ps}
	r.Diagnostics = append(slices.Clone(a.Diagnostics), diags...)
	r.Diagnostics.Sort()
	return r
}

// BuildPipelines builds the pipeline of every platform the model declares,
// sorted by platform name, and reports each cycle once (GRAPH_CYCLE) however
// many pipelines contain it.
func BuildPipelines(a *Assignments) ([]*Pipeline, ecosystem.Diagnostics) {
	m := a.Model()
	var out []*Pipeline
	var diags ecosystem.Diagnostics
	seen := map[string]bool{}
	for _, name := range declaredPlatforms(m) {
		p := BuildPipeline(a, name)
		out = append(out, p)
		for _, d := range cycleDiagnostics(p) {
			if !seen[d.Message] {
				seen[d.Message] = true
				diags = append(diags, d)
			}
		}
	}
	diags.Sort()
	return out, diags
}

// BuildPipeline builds one platform's pipeline: for every group the platform
// serves, an export node per sink, fed by the ingestion of the sink's
// dataset (one node per store when the store is ingested as a whole, one per
// dataset otherwise) and its trigger; when the ingested store is a
// transformer's output, the transformer's node, its trigger and its whole
// workspace's exports (pulled in, even when other platforms serve those
// groups), and so on up the chain. Only what the served groups need is
// built: a transformer output nobody on this platform consumes is not
// ingested here. Node priorities are then propagated (see Node.Priority).
func BuildPipeline(a *Assignments, platform string) *Pipeline {
	b := &builder{m: a.Model(), nodes: map[string]*Node{}, edges: map[Edge]struct{}{}}
	groups := a.ForPlatform(platform)
	for _, ga := range groups {
		s, _ := ga.ServedBy(platform)
		b.group(ga.Ref, ga.DatasetGroup, &s)
	}
	p := newPipeline(platform, b.m.Platform(platform), groups, b.nodes, b.edges)
	propagatePriorities(p)
	return p
}

// builder accumulates one pipeline's nodes and edges. Every method creates
// its node before following the node's inputs, so a loop in the model ends
// on the node already made and shows up as a cycle rather than recursing
// forever.
type builder struct {
	m     *ecosystem.Ecosystem
	nodes map[string]*Node
	edges map[Edge]struct{}
}

func (b *builder) edge(from, to string) { b.edges[Edge{from, to}] = struct{}{} }

// group adds the exports of one group and what feeds them. served is nil
// when the group is only pulled in because its transformer feeds a group
// this platform serves.
func (b *builder) group(w ecosystem.WorkspaceRef, g *ecosystem.DatasetGroup, served *Served) {
	for _, s := range g.Sinks {
		d, ok := b.m.Dataset(s.Store, s.Dataset)
		if !ok {
			continue // an unresolved sink; lint reports it
		}
		id := exportID(w.Workspace.Name, g.Name, s.Store, s.Dataset)
		n, exists := b.nodes[id]
		if !exists {
			n = &Node{
				ID:        id,
				Kind:      KindExport,
				Priority:  w.Workspace.Priority.Effective(),
				Path:      ecosystem.GroupPath(w.Zone.Name, w.Team.Name, w.Workspace.Name, g.Name),
				Pos:       s.Pos,
				Store:     s.Store,
				Workspace: w.Workspace.Name,
				Group:     g.Name,
				Dataset:   s.Dataset,
				Container: describeContainer(w.Workspace.Container),
				Model: NodeModel{
					Store:     d.StoreRef,
					Datasets:  []*ecosystem.Dataset{d.Dataset},
					Workspace: w,
					Group:     g,
					Sink:      s,
				},
			}
			b.nodes[id] = n
		}
		switch {
		case served != nil:
			n.Status, n.Upstream = served.Status, false
		case n.Status == "":
			n.Upstream = true
		}
		if exists {
			continue
		}
		b.edge(b.ingest(d.StoreRef, d.Dataset), id)
		if w.Workspace.Transformer != nil {
			b.edge(id, b.transform(w))
		}
	}
}

// ingest returns the ingest node that captures a dataset, adding it, its
// trigger and, for a transformer's output, the transformer.
func (b *builder) ingest(r ecosystem.StoreRef, d *ecosystem.Dataset) string {
	s := r.Store
	mode := ecosystem.IngestStore
	var capture ecosystem.CaptureKind
	var trigger *ecosystem.Trigger
	pos := s.Pos
	if s.Capture != nil {
		capture, trigger, pos = s.Capture.Kind, s.Capture.Trigger, s.Capture.Pos
		if s.Capture.Ingestion != "" {
			mode = s.Capture.Ingestion
		}
	}
	id := ingestStoreID(s.Name)
	if mode == ecosystem.IngestDataset {
		id = ingestDatasetID(s.Name, d.Name)
	}
	if _, exists := b.nodes[id]; exists {
		return id
	}
	n := &Node{ID: id, Kind: KindIngest, Store: s.Name, Capture: capture, Ingestion: mode, Pos: pos, Model: NodeModel{Store: r}}
	if mode == ecosystem.IngestDataset {
		n.Path, n.Pos = ecosystem.DatasetPath(r.Zone.Name, r.Team.Name, s.Name, d.Name), d.Pos
		n.Datasets, n.Model.Datasets = []string{d.Name}, []*ecosystem.Dataset{d}
	} else {
		n.Path = r.Path()
		n.Model.Datasets = slices.Clone(s.Datasets)
		slices.SortFunc(n.Model.Datasets, func(x, y *ecosystem.Dataset) int { return strings.Compare(x.Name, y.Name) })
		for _, ds := range n.Model.Datasets {
			n.Datasets = append(n.Datasets, ds.Name)
		}
	}
	b.nodes[n.ID] = n
	if trigger != nil {
		b.trigger(trigger, n.ID, n.Path, NodeModel{Store: r, Trigger: trigger}, func(t *Node) { t.Store = s.Name })
	}
	if tw, ok := b.m.TransformerOf(s.Name); ok {
		b.edge(b.transform(tw), n.ID)
	}
	return n.ID
}

// transform returns the node of a workspace's transformer, adding it, its
// trigger and the exports of every group of its workspace, which are its
// inputs.
func (b *builder) transform(w ecosystem.WorkspaceRef) string {
	id := transformID(w.Workspace.Name)
	if _, exists := b.nodes[id]; exists {
		return id
	}
	t := w.Workspace.Transformer
	n := &Node{
		ID:          id,
		Kind:        KindTransform,
		Priority:    w.Workspace.Priority.Effective(),
		Path:        w.Path(),
		Pos:         t.Pos,
		Workspace:   w.Workspace.Name,
		Transformer: t.Name,
		Code:        describeCode(t.Code),
		Output:      t.Output,
		Model:       NodeModel{Workspace: w},
	}
	if out, ok := b.m.Datastore(t.Output); ok {
		n.Model.Output = out
	}
	b.nodes[id] = n
	if t.Trigger != nil {
		b.trigger(t.Trigger, id, n.Path, NodeModel{Workspace: w, Trigger: t.Trigger}, func(tn *Node) { tn.Workspace = w.Workspace.Name })
	}
	for _, g := range w.Workspace.Groups {
		b.group(w, g, nil)
	}
	return id
}

// trigger adds the trigger node that starts target.
func (b *builder) trigger(t *ecosystem.Trigger, target, path string, model NodeModel, owner func(*Node)) {
	n := &Node{ID: triggerID(target), Kind: KindTrigger, Path: path, Pos: t.Pos, Trigger: describeTrigger(t), Model: model}
	owner(n)
	b.nodes[n.ID] = n
	b.edge(n.ID, target)
}
