package graph

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// Consumer is a workspace that consumes some data, directly through a sink
// or through one or more transformers.
type Consumer struct {
	Workspace string             `json:"workspace"`
	Path      string             `json:"path"`
	Pos       ecosystem.Pos      `json:"pos"`
	Priority  ecosystem.Priority `json:"priority"`
	// Groups are the workspace's dataset groups whose sinks name the data,
	// or the transformer output it flows into, sorted.
	Groups []string `json:"groups"`
	// Via lists the workspaces whose transformers the data passes through on
	// the shortest way here, nearest the source first; empty when the
	// workspace consumes the data directly.
	Via []string `json:"via,omitempty"`
}

// ImpactReport lists everything that consumes a datastore, dataset or column.
type ImpactReport struct {
	// Target is what was asked about: STORE, STORE.DATASET or STORE.DATASET.COLUMN.
	Target string `json:"target"`
	Path   string `json:"path"`
	// Consumers is sorted by workspace name.
	Consumers []Consumer `json:"consumers"`
}

// Impact parses target as STORE, STORE.DATASET or STORE.DATASET.COLUMN and
// returns every workspace that consumes it, directly or through
// transformers, to any depth; the set is the one ecosystem.Consumers (or
// StoreConsumers) returns, with how each workspace is reached.
//
// Columns: a sink takes a whole dataset, and a transformer is assumed to
// depend on every column of what it consumes (the model does not say which
// columns its code reads), so a column's consumers are its dataset's.
func Impact(m *ecosystem.Ecosystem, target string) (*ImpactReport, error) {
	parts := strings.Split(target, ".")
	if len(parts) > 3 || slices.Contains(parts, "") {
		return nil, fmt.Errorf("impact: %q is not STORE, STORE.DATASET or STORE.DATASET.COLUMN", target)
	}
	s, ok := m.Datastore(parts[0])
	if !ok {
		return nil, fmt.Errorf("impact: datastore %q does not exist", parts[0])
	}
	r := &ImpactReport{Target: target, Path: s.Path()}
	var start [][2]string
	if len(parts) == 1 {
		for _, d := range s.Store.Datasets {
			start = append(start, [2]string{s.Store.Name, d.Name})
		}
	} else {
		d, ok := m.Dataset(parts[0], parts[1])
		if !ok {
			return nil, fmt.Errorf("impact: datastore %s has no dataset %q (it has %s)", parts[0], parts[1], someNames(s.Store.Datasets, func(d *ecosystem.Dataset) string { return d.Name }))
		}
		r.Path = d.Path()
		start = [][2]string{{parts[0], parts[1]}}
		if len(parts) == 3 {
			if d.Dataset.Column(parts[2]) == nil {
				return nil, fmt.Errorf("impact: dataset %s.%s has no column %q (it has %s)", parts[0], parts[1], parts[2], someNames(d.Dataset.Columns, func(c *ecosystem.Column) string { return c.Name }))
			}
			r.Path = ecosystem.JoinPath(r.Path, parts[2])
		}
	}
	r.Consumers = consumersOf(m, start)
	return r, nil
}

// consumersOf walks breadth first from the sinks that name the start
// datasets, through each consuming transformer's output, so each workspace
// is recorded with its shortest chain of transformers.
func consumersOf(m *ecosystem.Ecosystem, start [][2]string) []Consumer {
	type step struct {
		datasets [][2]string
		via      []string
	}
	seen := map[string]bool{}
	out := []Consumer{}
	queue := []step{{start, nil}}
	for len(queue) > 0 {
		st := queue[0]
		queue = queue[1:]
		groups := map[string][]string{}
		refs := map[string]ecosystem.WorkspaceRef{}
		var order []string
		for _, d := range st.datasets {
			for _, s := range m.ConsumersOf(d[0], d[1]) {
				name := s.Workspace.Name
				if seen[name] {
					continue
				}
				if _, ok := refs[name]; !ok {
					refs[name] = s.WorkspaceRef
					order = append(order, name)
				}
				groups[name] = append(groups[name], s.Group.Name)
			}
		}
		slices.Sort(order)
		for _, name := range order {
			seen[name] = true
			w := refs[name].Workspace
			gs := groups[name]
			slices.Sort(gs)
			out = append(out, Consumer{
				Workspace: name, Path: refs[name].Path(), Pos: w.Pos, Priority: w.Priority.Effective(),
				Groups: slices.Compact(gs), Via: st.via,
			})
			if w.Transformer == nil {
				continue
			}
			if o, ok := m.Datastore(w.Transformer.Output); ok {
				next := step{via: append(slices.Clone(st.via), name)}
				for _, d := range o.Store.Datasets {
					next.datasets = append(next.datasets, [2]string{o.Store.Name, d.Name})
				}
				queue = append(queue, next)
			}
		}
	}
	slices.SortFunc(out, func(a, b Consumer) int { return cmp.Compare(a.Workspace, b.Workspace) })
	return out
}

// Producer is a dataset upstream of a workspace.
type Producer struct {
	Store   string                `json:"store"`
	Dataset string                `json:"dataset"`
	Path    string                `json:"path"`
	Pos     ecosystem.Pos         `json:"pos"`
	Capture ecosystem.CaptureKind `json:"capture,omitempty"`
	// Transformer is the workspace whose transformer writes the store, when
	// it is a transformer's output.
	Transformer string `json:"transformer,omitempty"`
	// Via lists the workspaces whose transformers the data passes through on
	// its shortest way to the workspace, nearest the workspace first; empty
	// when the workspace consumes the dataset directly.
	Via []string `json:"via,omitempty"`
}

// UpstreamReport lists the producers upstream of a workspace.
type UpstreamReport struct {
	Workspace string `json:"workspace"`
	Path      string `json:"path"`
	// Producers is sorted by store, then dataset.
	Producers []Producer `json:"producers"`
}

// Upstream returns every dataset the named workspace consumes, directly or
// through transformers to any depth, with the transformers on the way.
func Upstream(m *ecosystem.Ecosystem, workspace string) (*UpstreamReport, error) {
	w, ok := m.Workspace(workspace)
	if !ok {
		return nil, fmt.Errorf("upstream: workspace %q does not exist", workspace)
	}
	r := &UpstreamReport{Workspace: workspace, Path: w.Path(), Producers: []Producer{}}
	type step struct {
		w   ecosystem.WorkspaceRef
		via []string
	}
	seenWS := map[string]bool{workspace: true}
	seenDS := map[[2]string]bool{}
	queue := []step{{w, nil}}
	for len(queue) > 0 {
		st := queue[0]
		queue = queue[1:]
		var next []string
		for _, g := range st.w.Workspace.Groups {
			for _, s := range g.Sinks {
				key := [2]string{s.Store, s.Dataset}
				d, ok := m.Dataset(s.Store, s.Dataset)
				if !ok || seenDS[key] {
					continue
				}
				seenDS[key] = true
				p := Producer{Store: s.Store, Dataset: s.Dataset, Path: d.Path(), Pos: d.Dataset.Pos, Capture: captureKind(d.Store), Via: st.via}
				if tw, ok := m.TransformerOf(s.Store); ok {
					p.Transformer = tw.Workspace.Name
					if !seenWS[tw.Workspace.Name] {
						seenWS[tw.Workspace.Name] = true
						next = append(next, tw.Workspace.Name)
					}
				}
				r.Producers = append(r.Producers, p)
			}
		}
		slices.Sort(next)
		for _, name := range next {
			tw, _ := m.Workspace(name)
			queue = append(queue, step{tw, append(slices.Clone(st.via), name)})
		}
	}
	slices.SortFunc(r.Producers, func(a, b Producer) int {
		return cmp.Or(cmp.Compare(a.Store, b.Store), cmp.Compare(a.Dataset, b.Dataset))
	})
	return r, nil
}

// WriteText writes the report for people, one consumer a line.
func (r *ImpactReport) WriteText(w io.Writer) error {
	b := newTextOut(w)
	fmt.Fprintf(b, "%s (%s): %d consuming workspace(s)\n", r.Target, r.Path, len(r.Consumers))
	for _, c := range r.Consumers {
		how := "directly"
		if len(c.Via) > 0 {
			how = "through " + strings.Join(c.Via, " -> ")
		}
		fmt.Fprintf(b, "  %s (%s, priority %s) groups %s, %s\n", c.Workspace, c.Path, c.Priority, strings.Join(c.Groups, ", "), how)
	}
	return b.Flush()
}

// WriteJSON writes the report as indented JSON.
func (r *ImpactReport) WriteJSON(w io.Writer) error { return writeIndented(w, r) }

// WriteText writes the report for people, one producer a line.
func (r *UpstreamReport) WriteText(w io.Writer) error {
	b := newTextOut(w)
	fmt.Fprintf(b, "%s (%s): %d upstream dataset(s)\n", r.Workspace, r.Path, len(r.Producers))
	for _, p := range r.Producers {
		fmt.Fprintf(b, "  %s.%s (%s", p.Store, p.Dataset, p.Path)
		if p.Capture != "" {
			fmt.Fprintf(b, ", %s", p.Capture)
		}
		if p.Transformer != "" {
			fmt.Fprintf(b, ", written by the transformer of %s", p.Transformer)
		}
		b.WriteString(")")
		if len(p.Via) > 0 {
			fmt.Fprintf(b, " through %s", strings.Join(p.Via, " <- "))
		}
		b.WriteString("\n")
	}
	return b.Flush()
}

// WriteJSON writes the report as indented JSON.
func (r *UpstreamReport) WriteJSON(w io.Writer) error { return writeIndented(w, r) }

func writeIndented(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// someNames lists up to ten names of a slice for an error message.
func someNames[T any](items []T, name func(T) string) string {
	const most = 10
	var names []string
	for i, it := range items {
		if i == most {
			names = append(names, fmt.Sprintf("and %d more", len(items)-most))
			break
		}
		names = append(names, name(it))
	}
	return listOrNone(names)
}
