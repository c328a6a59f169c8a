package sqlplatform

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/internal/safetext"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
)

// A stream is one ingest node of the pipeline: a store captured as one
// unit, or one dataset of a store captured on its own. It runs batches
// numbered 1, 2, 3 ... of its own (docs/SQL_PLATFORM.md, "Streams and
// batches").
type stream struct {
	// name is the ingest node's ID without "ingest:": "Store" or
	// "Store.dataset".
	name    string
	node    *graph.Node
	store   ecosystem.StoreRef
	capture *ecosystem.Capture
	// datasets are sorted by name.
	datasets []*datasetPlan
	// views are the consumer views of the stream's datasets, sorted by name.
	views []viewSpec
	// triggeredTransformer says the stream ingests a transformer's output
	// and carries that transformer's own trigger: when it fires, the
	// transformer runs whether or not its inputs moved.
	triggeredTransformer bool
}

// datasetPlan is one dataset of a stream with its physical names.
type datasetPlan struct {
	name  string
	model *ecosystem.Dataset
	// path is the dataset's model path, for messages.
	path    string
	columns []column
	// key holds the indexes of the key columns; empty for a keyless
	// dataset, which keys on all columns.
	key            []int
	merge, staging string
	// fingerprint identifies the schema a batch staged with: columns,
	// types, key and milestoning. A batch resumed under another schema
	// stages again.
	fingerprint string
}

// keyless reports whether the dataset has no key columns.
func (ds *datasetPlan) keyless() bool { return len(ds.key) == 0 }

// streamName is the stream of an ingest node.
func streamName(n *graph.Node) string { return strings.TrimPrefix(n.ID, "ingest:") }

// planStreams returns the streams of pipeline p in the order the platform
// runs them (graph.Pipeline.Order), with their datasets' physical names in
// a store of dialect d. A model column type the store cannot hold is an
// error (Accept reports it first, as SQL_TYPE_UNSUPPORTED).
func planStreams(p *graph.Pipeline, d dialect.Dialect, m ecosystem.Milestoning) ([]*stream, error) {
	order := p.Order()
	if order == nil && len(p.Nodes) > 0 {
		return nil, fmt.Errorf("platform %s: the pipeline has a cycle (%s): fix the model (dsl lint reports it)", p.Platform, strings.Join(p.Cycles()[0], " -> "))
	}
	var out []*stream
	var errs []error
	for _, n := range order {
		if n.Kind != graph.KindIngest {
			continue
		}
		s := &stream{name: streamName(n), node: n, store: n.Model.Store}
		if s.store.Store != nil {
			s.capture = s.store.Store.Capture
		}
		for _, ds := range n.Model.Datasets {
			plan, err := planDataset(d, s, ds, m)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			s.datasets = append(s.datasets, plan)
		}
		slices.SortFunc(s.datasets, func(a, b *datasetPlan) int { return strings.Compare(a.name, b.name) })
		out = append(out, s)
	}
	byStoreDataset := map[[2]string]*stream{}
	for _, s := range out {
		for _, ds := range s.datasets {
			byStoreDataset[[2]string{s.node.Store, ds.name}] = s
		}
	}
	for _, n := range p.Nodes {
		if n.Kind != graph.KindExport {
			continue
		}
		s := byStoreDataset[[2]string{n.Store, n.Dataset}]
		if s == nil {
			continue
		}
		s.views = append(s.views, viewsOf(d, n, s, m)...)
	}
	for _, s := range out {
		slices.SortFunc(s.views, func(a, b viewSpec) int { return strings.Compare(a.ref.Name, b.ref.Name) })
		s.views = slices.CompactFunc(s.views, func(a, b viewSpec) bool { return a.ref.Name == b.ref.Name })
	}
	return out, errors.Join(errs...)
}

// planDataset makes the plan of one dataset of stream s.
func planDataset(d dialect.Dialect, s *stream, ds *ecosystem.Dataset, m ecosystem.Milestoning) (*datasetPlan, error) {
	plan := &datasetPlan{
		name:    ds.Name,
		model:   ds,
		path:    s.node.Path,
		merge:   MergeTableName(d, s.node.Store, ds.Name),
		staging: StagingTableName(d, s.node.Store, ds.Name),
	}
	if r := s.store; r.Zone != nil && r.Team != nil {
		plan.path = ecosystem.DatasetPath(r.Zone.Name, r.Team.Name, s.node.Store, ds.Name)
	}
	cols, err := modelColumns(d, ds)
	if err != nil {
		return nil, fmt.Errorf("dataset %s.%s: %w", s.node.Store, ds.Name, err)
	}
	plan.columns = cols
	for i, c := range ds.Columns {
		if c.Key {
			plan.key = append(plan.key, i)
		}
	}
	h := sha256.New()
	fmt.Fprintf(h, "milestoning %s\n", m)
	for _, c := range ds.Columns {
		fmt.Fprintf(h, "%q %s key=%t nullable=%t\n", c.Name, typeString(c.Type), c.Key, c.Nullable)
	}
	plan.fingerprint = hex.EncodeToString(h.Sum(nil)[:12])
	return plan, nil
}

// selectStreams returns the stream named name, or all of them for "". An
// unknown name is an error listing the streams.
func selectStreams(all []*stream, name string) ([]*stream, error) {
	if name == "" {
		return all, nil
	}
	names := make([]string, len(all))
	for i, s := range all {
		if s.name == name {
			return []*stream{s}, nil
		}
		names[i] = s.name
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no stream %q: the platform's pipeline ingests nothing", safetext.Line(name))
	}
	return nil, fmt.Errorf("no stream %q: the platform's streams are %s", safetext.Line(name), strings.Join(names, ", "))
}
