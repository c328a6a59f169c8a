package openlineage

import (
	"fmt"
	"strings"
	"time"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/graph"
)

// StaticEvents describes a platform's pipeline as OpenLineage JobEvents
// (the spec's static metadata events): one per ingest, export and transform
// node, in node ID order, each naming its inputs and outputs with their
// facets. Trigger nodes are not jobs: a trigger is described in the
// documentation facet of the job it starts. at is every event's time; the
// same pipeline and time always give the same events.
//
//   - An ingest job reads model datasets (DatasetNamespace, "Store.dataset",
//     with schema, documentation, ownership and data source facets) and
//     writes the platform's copies (PlatformNamespace, same names).
//   - An export job reads the platform's copy and writes the workspace
//     group's view (PlatformNamespace, "Workspace.group.Store.dataset").
//   - A transform job reads its workspace's views and writes the model
//     datasets of its output store, which an ingest job then reads: the
//     chain runs from sources to every consumer.
func (f Facets) StaticEvents(ecosystemName string, p *graph.Pipeline, at time.Time) []JobEvent {
	var out []JobEvent
	for _, n := range p.Nodes {
		if n.Kind == graph.KindTrigger {
			continue
		}
		job, in, outs := f.nodeJob(ecosystemName, p, n)
		out = append(out, JobEvent{
			EventTime: at,
			Producer:  f.base("").Producer,
			SchemaURL: JobEventSchemaURL,
			Job:       job,
			Inputs:    in,
			Outputs:   outs,
		})
	}
	return out
}

// nodeJob returns a pipeline node's job with its facets, and its inputs and
// outputs, as StaticEvents describes them.
func (f Facets) nodeJob(eco string, p *graph.Pipeline, n *graph.Node) (Job, []InputDataset, []OutputDataset) {
	ns := PlatformNamespace(eco, p.Platform)
	job := Job{Namespace: ns, Name: n.ID, Facets: &JobFacets{}}
	var in []InputDataset
	var out []OutputDataset
	processing := "BATCH"
	var doc strings.Builder
	switch n.Kind {
	case graph.KindIngest:
		for _, d := range n.Model.Datasets {
			in = append(in, InputDataset{f.ModelDataset(eco, ecosystem.DatasetRef{StoreRef: n.Model.Store, Dataset: d})})
			out = append(out, OutputDataset{Dataset: f.PlatformDataset(eco, p.Platform, n.Store, d)})
		}
		if n.Capture == ecosystem.StreamingTopic {
			processing = "STREAMING"
		}
		capture := string(n.Capture)
		if capture == "" {
			capture = "no capture"
		}
		fmt.Fprintf(&doc, "Ingests %s of store %s (%s) into platform %s.", strings.Join(n.Datasets, ", "), n.Store, capture, p.Platform)
	case graph.KindExport:
		if len(n.Model.Datasets) == 1 {
			d := n.Model.Datasets[0]
			in = append(in, InputDataset{f.PlatformDataset(eco, p.Platform, n.Store, d)})
			out = append(out, OutputDataset{Dataset: f.ViewDataset(eco, p.Platform, n.Workspace, n.Group, n.Store, d)})
		}
		fmt.Fprintf(&doc, "Delivers %s to group %s of workspace %s", StoreDatasetName(n.Store, n.Dataset), n.Group, n.Workspace)
		if n.Container != "" {
			fmt.Fprintf(&doc, ", container %s", n.Container)
		}
		doc.WriteString(".")
	case graph.KindTransform:
		for _, pre := range p.Predecessors(n.ID) {
			if pre.Kind == graph.KindExport && len(pre.Model.Datasets) == 1 {
				in = append(in, InputDataset{f.ViewDataset(eco, p.Platform, pre.Workspace, pre.Group, pre.Store, pre.Model.Datasets[0])})
			}
		}
		if o := n.Model.Output; o.Store != nil {
			for _, d := range sortedDatasets(o.Store.Datasets) {
				out = append(out, OutputDataset{Dataset: f.ModelDataset(eco, ecosystem.DatasetRef{StoreRef: o, Dataset: d})})
			}
		}
		fmt.Fprintf(&doc, "Runs transformer %s of workspace %s (%s), which writes store %s.", n.Transformer, n.Workspace, n.Code, n.Output)
		if w := n.Model.Workspace.Workspace; w != nil && w.Transformer != nil && w.Transformer.Code.Kind == "sql" && w.Transformer.Code.SQL != "" {
			job.Facets.SQL = &SQLJobFacet{BaseFacet: f.base(sqlFacetURL), Query: w.Transformer.Code.SQL}
		}
	}
	for _, pre := range p.Predecessors(n.ID) {
		if pre.Kind == graph.KindTrigger {
			fmt.Fprintf(&doc, " Started by %s.", pre.Trigger)
		}
	}
	if n.Path != "" {
		fmt.Fprintf(&doc, " Model path: %s.", n.Path)
	}
	job.Facets.Documentation = &DocumentationJobFacet{BaseFacet: f.base(jobDocumentationFacetURL), Description: doc.String()}
	job.Facets.JobType = &JobTypeJobFacet{BaseFacet: f.base(jobTypeFacetURL), ProcessingType: processing, Integration: Integration, JobType: strings.ToUpper(string(n.Kind))}
	return job, in, out
}

// StreamJob returns the job name of a stream of the sql platform: the ID of
// its ingest node, "ingest:" and the stream ("Store" or "Store.dataset").
func StreamJob(stream string) string { return "ingest:" + stream }

// TransformJob returns the job name of a workspace's transformer: the ID of
// its transform node, "transform:" and the workspace.
func TransformJob(workspace string) string { return "transform:" + workspace }

// Stats is what a run wrote to one output dataset.
type Stats struct {
	// Rows is the number of rows the run wrote (inserted, changed or
	// removed): the outputStatistics facet's rowCount.
	Rows int64
	// Bytes is the size written, or 0 when unknown (then left out).
	Bytes int64
}

// Runs builds the run events of one platform's pipeline: the START,
// COMPLETE and FAIL of a batch of a stream (an ingest node) or of a run of
// a transformer (a transform node). Jobs and datasets are those of
// StaticEvents. Runs is safe for concurrent use once set up.
type Runs struct {
	Facets
	// Ecosystem is the model's name, for the namespaces.
	Ecosystem string
	// Pipeline is the platform's pipeline.
	Pipeline *graph.Pipeline
	// RunID, when set, gives the run ID of a job's run number; by default
	// BatchRunID.
	RunID func(job string, run int64) string
}

// Start returns the START event of run number run of a job (StreamJob or
// TransformJob): the job, its inputs and its outputs with their facets. It
// is an error when the pipeline has no such job.
func (r *Runs) Start(job string, run int64, at time.Time) (RunEvent, error) {
	return r.event(Start, job, run, at, nil, nil)
}

// Complete returns the COMPLETE event of a run: Start's event with, for
// each output dataset named in written (by its dataset name), an
// outputStatistics facet.
func (r *Runs) Complete(job string, run int64, at time.Time, written map[string]Stats) (RunEvent, error) {
	return r.event(Complete, job, run, at, written, nil)
}

// Fail returns the FAIL event of a run: Start's event with an errorMessage
// run facet holding cause's text. Errors of the sql platform never hold a
// secret; a caller with other errors must make sure of that.
func (r *Runs) Fail(job string, run int64, at time.Time, cause error) (RunEvent, error) {
	if cause == nil {
		cause = fmt.Errorf("the run failed without an error message")
	}
	return r.event(Fail, job, run, at, nil, cause)
}

func (r *Runs) event(typ EventType, jobName string, run int64, at time.Time, written map[string]Stats, cause error) (RunEvent, error) {
	if r.Pipeline == nil {
		return RunEvent{}, fmt.Errorf("openlineage: Runs has no pipeline")
	}
	n := r.Pipeline.Node(jobName)
	if n == nil || (n.Kind != graph.KindIngest && n.Kind != graph.KindTransform) {
		return RunEvent{}, fmt.Errorf("openlineage: platform %s has no stream or transformer job %q: want %q or %q", r.Pipeline.Platform, jobName, StreamJob("STREAM"), TransformJob("WORKSPACE"))
	}
	job, in, out := r.nodeJob(r.Ecosystem, r.Pipeline, n)
	runID := BatchRunID(r.Ecosystem, r.Pipeline.Platform, jobName, run)
	if r.RunID != nil {
		runID = r.RunID(jobName, run)
	}
	e := RunEvent{
		EventTime: at,
		Producer:  r.base("").Producer,
		SchemaURL: RunEventSchemaURL,
		EventType: typ,
		Run:       Run{RunID: runID},
		Job:       job,
		Inputs:    in,
		Outputs:   out,
	}
	for i := range e.Outputs {
		name := e.Outputs[i].Name[strings.LastIndexByte(e.Outputs[i].Name, '.')+1:]
		if s, ok := written[name]; ok {
			e.Outputs[i].OutputFacets = &OutputDatasetFacets{OutputStatistics: &OutputStatisticsOutputDatasetFacet{
				BaseFacet: r.base(outputStatisticsFacetURL), RowCount: s.Rows, Size: s.Bytes,
			}}
		}
	}
	if cause != nil {
		e.Run.Facets = &RunFacets{ErrorMessage: &ErrorMessageRunFacet{BaseFacet: r.base(errorMessageFacetURL), Message: cause.Error(), ProgrammingLanguage: "GO"}}
	}
	return e, nil
}
