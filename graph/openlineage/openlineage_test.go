package openlineage_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/graph/openlineage"
	"github.com/datasurface/datasurface-go/internal/schematest"
	"github.com/datasurface/datasurface-go/platforms"
	"github.com/datasurface/datasurface-go/starlark"
)

// validator checks events against the OpenLineage 2-0-2 spec and each facet
// against its own schema.
type validator struct {
	spec                      *jsonschema.Schema
	dataset, output, run, job []*jsonschema.Schema
}

// newValidator compiles the spec and the facet schemas of each place
// (schematest.Compile: references resolve offline, formats asserted).
func newValidator(t *testing.T) *validator {
	t.Helper()
	facet := func(name string) string { return "openlineage-facets-" + name + ".json" }
	all := schematest.Compile(t, "OpenLineage-2-0-2.json",
		facet("SchemaDatasetFacet"), facet("DocumentationDatasetFacet"), facet("OwnershipDatasetFacet"), facet("ColumnLineageDatasetFacet"),
		facet("OutputStatisticsOutputDatasetFacet"), facet("ErrorMessageRunFacet"), facet("JobTypeJobFacet"), facet("SQLJobFacet"))
	return &validator{spec: all[0], dataset: all[1:5], output: all[5:6], run: all[6:7], job: all[7:9]}
}

// validate checks one encoded event: the whole against the spec, then every
// facets object against the facet schemas of its place.
func (v *validator) validate(data []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	if err := v.spec.Validate(inst); err != nil {
		return err
	}
	ev := inst.(map[string]any)
	check := func(where string, facets any, schemas []*jsonschema.Schema) error {
		if facets == nil {
			return nil
		}
		for _, s := range schemas {
			if err := s.Validate(facets); err != nil {
				return errors.New(where + ": " + err.Error())
			}
		}
		return nil
	}
	var errs []error
	for _, side := range []string{"inputs", "outputs"} {
		list, _ := ev[side].([]any)
		for _, d := range list {
			d := d.(map[string]any)
			errs = append(errs, check(side+" facets", d["facets"], v.dataset), check(side+" outputFacets", d["outputFacets"], v.output))
		}
	}
	if run, ok := ev["run"].(map[string]any); ok {
		errs = append(errs, check("run facets", run["facets"], v.run))
	}
	if job, ok := ev["job"].(map[string]any); ok {
		errs = append(errs, check("job facets", job["facets"], v.job))
	}
	return errors.Join(errs...)
}

// broker evaluates a model and brokers it with the library's platforms.
func broker(t *testing.T, fsys fstest.MapFS, dir string) (*ecosystem.Ecosystem, *graph.Result) {
	t.Helper()
	var m *ecosystem.Ecosystem
	var err error
	if fsys != nil {
		m, err = starlark.Evaluate(context.Background(), fsys)
	} else {
		m, err = starlark.Evaluate(context.Background(), os.DirFS(dir))
	}
	if err != nil {
		t.Fatalf("evaluate: %v", err)
	}
	return m, platforms.Builtin().Broker(m).Graph
}

// tinyModel has a PostgreSQL source on a cron trigger, a sql_code
// transformer and a consumer of its output, on one sql platform; its
// ecosystem name has a blank, which namespaces must escape.
var tinyModel = fstest.MapFS{"eco.star": {Data: []byte(`
ecosystem(
    name = "Tiny Shop",
    repo = repo("github.com/example/tiny"),
    live_repo = repo("github.com/example/tiny", branch = "live"),
    platforms = [platform("Laptop", kind = "sql")],
    zones = [zone("Retail", repo = repo("github.com/example/tiny"), teams = [team("Sales", repo = repo("github.com/example/tiny"),
        datastores = [
            datastore("Shop", doc = "The shop's database.",
                capture = sql_snapshot(source = postgres("shop", host = "db.example", port = 5432, database = "shop"), trigger = cron("*/5 * * * *")),
                datasets = [dataset("orders", doc = "One row per order.", classification = "internal", columns = [
                    column("id", "bigint", key = True, doc = "The order number."),
                    column("amount", "decimal(10,2)", nullable = False),
                    column("lines", "array(struct(sku varchar(10), qty integer))"),
                ])]),
            datastore("Totals", capture = transformer_output(), datasets = [dataset("totals", classification = "internal", columns = [
                column("id", "bigint", key = True),
                column("total", "decimal(12,2)"),
            ])]),
        ],
        workspaces = [
            workspace("Summer", container = platform_managed(),
                groups = [dataset_group("inputs", platform = "Laptop", sinks = [sink("Shop", "orders")])],
                transformer = transformer("summarise", code = sql_code("SELECT id, amount AS total FROM orders"), output = "Totals")),
            workspace("Reports", container = platform_managed(),
                groups = [dataset_group("daily", platform = "Laptop", sinks = [sink("Totals", "totals")])]),
        ])])],
)
`)}}

var at = time.Date(2026, 9, 1, 12, 30, 0, 0, time.UTC)

func encode(t *testing.T, e openlineage.Event) []byte {
	t.Helper()
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestStaticEventsValidate exports the static graph of every platform of
// the examples and of a model with a SQL transformer, and validates every
// event against the published schemas.
func TestStaticEventsValidate(t *testing.T) {
	v := newValidator(t)
	root := filepath.Join("..", "..")
	for _, c := range []struct {
		name string
		fsys fstest.MapFS
		dir  string
	}{
		{"acme", nil, filepath.Join(root, "examples", "acme")},
		{"quickstart", nil, filepath.Join(root, "examples", "quickstart")},
		{"tiny", tinyModel, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, r := broker(t, c.fsys, c.dir)
			n := 0
			for _, p := range r.Pipelines {
				for _, e := range (openlineage.Facets{}).StaticEvents(m.Name, p, at) {
					n++
					if err := v.validate(encode(t, e)); err != nil {
						t.Errorf("platform %s, job %s: %v\n%s", p.Platform, e.Job.Name, err, encode(t, e))
					}
				}
			}
			if n == 0 {
				t.Fatal("no events: the test checks nothing")
			}
		})
	}
}

// TestValidatorRejects makes sure the validation above can fail: an unknown
// event type, and facets that break their own schemas.
func TestValidatorRejects(t *testing.T) {
	v := newValidator(t)
	m, r := broker(t, tinyModel, "")
	runs := &openlineage.Runs{Ecosystem: m.Name, Pipeline: r.Pipeline("Laptop")}
	good, err := runs.Fail(openlineage.StreamJob("Shop"), 1, at, errors.New("boom"))
	if err != nil {
		t.Fatal(err)
	}
	if err := v.validate(encode(t, good)); err != nil {
		t.Fatalf("the FAIL event itself does not validate: %v", err)
	}
	for name, mutate := range map[string]func(e *openlineage.RunEvent){
		"unknown event type":        func(e *openlineage.RunEvent) { e.EventType = "BEGIN" },
		"run ID not a UUID":         func(e *openlineage.RunEvent) { e.Run.RunID = "batch-1" },
		"error without language":    func(e *openlineage.RunEvent) { e.Run.Facets.ErrorMessage.ProgrammingLanguage = "" },
		"schema field without name": func(e *openlineage.RunEvent) { e.Inputs[0].Facets.Schema.Fields[0].Name = "" },
	} {
		e := good
		e.Run.Facets = &openlineage.RunFacets{ErrorMessage: &openlineage.ErrorMessageRunFacet{}}
		*e.Run.Facets.ErrorMessage = *good.Run.Facets.ErrorMessage
		e.Inputs = []openlineage.InputDataset{good.Inputs[0]}
		facets := *good.Inputs[0].Facets
		schema := *facets.Schema
		schema.Fields = slices.Clone(schema.Fields)
		facets.Schema = &schema
		e.Inputs[0].Facets = &facets
		mutate(&e)
		data := encode(t, e)
		if name == "error without language" || name == "schema field without name" {
			// An empty string is still a value: drop the key, as a broken
			// producer would.
			data = bytes.Replace(data, []byte(`,"programmingLanguage":""`), nil, 1)
			data = bytes.Replace(data, []byte(`"name":"",`), nil, 1)
		}
		if err := v.validate(data); err == nil {
			t.Errorf("%s: the event validates:\n%s", name, data)
		}
	}
}

// TestStaticGraph checks what the static events say about the tiny model:
// names, namespaces, facets and how the jobs chain.
func TestStaticGraph(t *testing.T) {
	m, r := broker(t, tinyModel, "")
	events := (openlineage.Facets{Producer: "https://example.com/dsl"}).StaticEvents(m.Name, r.Pipeline("Laptop"), at)
	byJob := map[string]openlineage.JobEvent{}
	var jobs []string
	for _, e := range events {
		byJob[e.Job.Name] = e
		jobs = append(jobs, e.Job.Name)
		if e.Job.Namespace != "datasurface://Tiny%20Shop/Laptop" {
			t.Errorf("job %s: namespace %q", e.Job.Name, e.Job.Namespace)
		}
		if e.Producer != "https://example.com/dsl" || e.Job.Facets.JobType.Producer != "https://example.com/dsl" {
			t.Errorf("job %s: producer not passed on", e.Job.Name)
		}
	}
	want := []string{"export:Reports.daily:Totals.totals", "export:Summer.inputs:Shop.orders", "ingest:Shop", "ingest:Totals", "transform:Summer"}
	if !slices.Equal(jobs, want) {
		t.Fatalf("jobs %v, want %v (triggers are not jobs)", jobs, want)
	}

	ingest := byJob["ingest:Shop"]
	in := ingest.Inputs[0]
	if in.Namespace != "datasurface://Tiny%20Shop" || in.Name != "Shop.orders" {
		t.Errorf("ingest input %s %s", in.Namespace, in.Name)
	}
	if in.Facets.DataSource == nil || in.Facets.DataSource.URI != "postgres://db.example:5432/shop" || in.Facets.DataSource.Name != "shop" {
		t.Errorf("data source %+v", in.Facets.DataSource)
	}
	if in.Facets.Ownership == nil || in.Facets.Ownership.Owners[0].Name != "team:Sales" {
		t.Errorf("ownership %+v", in.Facets.Ownership)
	}
	if in.Facets.Documentation == nil || in.Facets.Documentation.Description != "One row per order." {
		t.Errorf("documentation %+v", in.Facets.Documentation)
	}
	fields := in.Facets.Schema.Fields
	if len(fields) != 3 || fields[1].Type != "decimal(10,2)" || fields[0].Description != "The order number." || fields[2].OrdinalPosition != 3 ||
		len(fields[2].Fields) != 2 || fields[2].Fields[0].Name != "sku" || fields[2].Fields[0].Type != "varchar(10)" {
		t.Errorf("schema fields %+v", fields)
	}
	if out := ingest.Outputs[0]; out.Namespace != "datasurface://Tiny%20Shop/Laptop" || out.Name != "Shop.orders" {
		t.Errorf("ingest output %s %s", out.Namespace, out.Name)
	}
	if d := ingest.Job.Facets.Documentation.Description; !strings.Contains(d, "Started by cron */5 * * * *.") || !strings.Contains(d, "sql_snapshot") {
		t.Errorf("ingest documentation %q does not name the capture and the trigger", d)
	}
	if jt := ingest.Job.Facets.JobType; jt.ProcessingType != "BATCH" || jt.Integration != "DATASURFACE" || jt.JobType != "INGEST" {
		t.Errorf("job type %+v", jt)
	}

	// The chain: the export writes the view the transformer reads; the
	// transformer writes the model dataset the next ingest reads.
	export := byJob["export:Summer.inputs:Shop.orders"]
	transform := byJob["transform:Summer"]
	if export.Inputs[0].Name != "Shop.orders" || export.Outputs[0].Name != "Summer.inputs.Shop.orders" {
		t.Errorf("export %s -> %s", export.Inputs[0].Name, export.Outputs[0].Name)
	}
	if len(transform.Inputs) != 1 || transform.Inputs[0].Dataset.Name != export.Outputs[0].Name || transform.Inputs[0].Namespace != export.Outputs[0].Namespace {
		t.Errorf("transform inputs %+v do not join the export's output", transform.Inputs)
	}
	next := byJob["ingest:Totals"].Inputs[0]
	if len(transform.Outputs) != 1 || transform.Outputs[0].Name != next.Name || transform.Outputs[0].Namespace != next.Namespace {
		t.Errorf("transform outputs %+v do not join the next ingest's input %s %s", transform.Outputs, next.Namespace, next.Name)
	}
	if sql := transform.Job.Facets.SQL; sql == nil || sql.Query != "SELECT id, amount AS total FROM orders" {
		t.Errorf("SQL facet %+v", sql)
	}
	if byJob["ingest:Shop"].Job.Facets.SQL != nil {
		t.Error("an ingest job has a SQL facet")
	}
}

// TestStaticDeterministic: the same model and time give the same bytes,
// whatever the time zone of the time.
func TestStaticDeterministic(t *testing.T) {
	root := filepath.Join("..", "..")
	export := func(when time.Time) []byte {
		m, r := broker(t, nil, filepath.Join(root, "examples", "acme"))
		var b bytes.Buffer
		for _, p := range r.Pipelines {
			var events []openlineage.Event
			for _, e := range (openlineage.Facets{}).StaticEvents(m.Name, p, when) {
				events = append(events, e)
			}
			if err := openlineage.WriteLines(&b, events...); err != nil {
				t.Fatal(err)
			}
		}
		return b.Bytes()
	}
	a := export(at)
	b := export(at.In(time.FixedZone("UTC+5", 5*3600)))
	if !bytes.Equal(a, b) {
		t.Error("two exports of the same model differ")
	}
	if !bytes.Contains(a, []byte(`"eventTime":"2026-09-01T12:30:00Z"`)) {
		t.Errorf("event time not in UTC:\n%.300s", a)
	}
}

// TestRunEvents builds the START, COMPLETE and FAIL of a batch and of a
// transformer run, validates them, and checks what they carry.
func TestRunEvents(t *testing.T) {
	v := newValidator(t)
	m, r := broker(t, tinyModel, "")
	runs := &openlineage.Runs{Ecosystem: m.Name, Pipeline: r.Pipeline("Laptop")}
	job := openlineage.StreamJob("Shop")
	start, err := runs.Start(job, 7, at)
	if err != nil {
		t.Fatal(err)
	}
	complete, err := runs.Complete(job, 7, at.Add(time.Second), map[string]openlineage.Stats{"orders": {Rows: 42, Bytes: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	fail, err := runs.Fail(job, 8, at, errors.New(`source table "orders": connection refused`))
	if err != nil {
		t.Fatal(err)
	}
	tStart, err := runs.Start(openlineage.TransformJob("Summer"), 3, at)
	if err != nil {
		t.Fatal(err)
	}
	tDone, err := runs.Complete(openlineage.TransformJob("Summer"), 3, at, map[string]openlineage.Stats{"totals": {Rows: 5}})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []openlineage.RunEvent{start, complete, fail, tStart, tDone} {
		if err := v.validate(encode(t, e)); err != nil {
			t.Errorf("%s %s: %v\n%s", e.EventType, e.Job.Name, err, encode(t, e))
		}
	}
	if start.EventType != openlineage.Start || complete.EventType != openlineage.Complete || fail.EventType != openlineage.Fail {
		t.Errorf("event types %s %s %s", start.EventType, complete.EventType, fail.EventType)
	}
	if start.Run.RunID != complete.Run.RunID {
		t.Error("START and COMPLETE of one batch have different run IDs")
	}
	if start.Run.RunID == fail.Run.RunID {
		t.Error("batches 7 and 8 share a run ID")
	}
	if start.Run.RunID != openlineage.BatchRunID("Tiny Shop", "Laptop", job, 7) {
		t.Error("the run ID is not BatchRunID")
	}
	if start.Outputs[0].OutputFacets != nil {
		t.Error("START has output statistics")
	}
	if s := complete.Outputs[0].OutputFacets; s == nil || s.OutputStatistics.RowCount != 42 || s.OutputStatistics.Size != 1000 {
		t.Errorf("COMPLETE output statistics %+v", s)
	}
	if f := fail.Run.Facets; f == nil || f.ErrorMessage.Message != `source table "orders": connection refused` || f.ErrorMessage.ProgrammingLanguage != "GO" {
		t.Errorf("FAIL facets %+v", f)
	}
	if start.Inputs[0].Name != "Shop.orders" || start.Inputs[0].Facets.Schema == nil || start.Outputs[0].Namespace != "datasurface://Tiny%20Shop/Laptop" {
		t.Errorf("batch datasets %+v -> %+v", start.Inputs, start.Outputs)
	}
	if tStart.Job.Facets.SQL == nil || len(tDone.Outputs) != 1 || tDone.Outputs[0].OutputFacets.OutputStatistics.RowCount != 5 {
		t.Errorf("transformer run: %+v", tDone)
	}

	for _, bad := range []string{"ingest:Nope", "Shop", "export:Summer.inputs:Shop.orders", "trigger:ingest:Shop"} {
		if _, err := runs.Start(bad, 1, at); err == nil || !strings.Contains(err.Error(), "no stream or transformer job") {
			t.Errorf("job %q: error %v", bad, err)
		}
	}
	custom := &openlineage.Runs{Ecosystem: m.Name, Pipeline: r.Pipeline("Laptop"), RunID: func(string, int64) string { return "0190a6e8-0000-7000-8000-000000000001" }}
	if e, _ := custom.Start(job, 1, at); e.Run.RunID != "0190a6e8-0000-7000-8000-000000000001" {
		t.Errorf("RunID hook not used: %s", e.Run.RunID)
	}
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-([0-9a-f])[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestUUIDs(t *testing.T) {
	a, b := openlineage.NameUUID("x"), openlineage.NameUUID("x")
	if a != b || a == openlineage.NameUUID("y") {
		t.Errorf("NameUUID is not a function of the name: %s %s", a, b)
	}
	if m := uuidRE.FindStringSubmatch(a); m == nil || m[1] != "5" {
		t.Errorf("NameUUID %s is not a version 5 UUID", a)
	}
	r1, r2 := openlineage.NewRunID(), openlineage.NewRunID()
	if m := uuidRE.FindStringSubmatch(r1); m == nil || m[1] != "7" || r1 == r2 {
		t.Errorf("NewRunID %s %s: want distinct version 7 UUIDs", r1, r2)
	}
	// The pieces of a batch run ID cannot run into each other.
	if openlineage.BatchRunID("a", "b", "c", 12) == openlineage.BatchRunID("a", "b", "c1", 2) {
		t.Error("BatchRunID confuses job c batch 12 with job c1 batch 2")
	}
}

func TestContainerURI(t *testing.T) {
	for _, c := range []struct {
		c    ecosystem.Container
		want string
	}{
		{ecosystem.Container{Engine: "postgres", Host: "h", Port: 5432, Database: "d"}, "postgres://h:5432/d"},
		{ecosystem.Container{Engine: "MySQL", Host: "h", Database: "d"}, "mysql://h/d"},
		{ecosystem.Container{Engine: "kafka", Host: "k", Port: 9092}, "kafka://k:9092"},
		{ecosystem.Container{Engine: "sqlite", Database: "shop.db"}, "sqlite:shop.db"},
		{ecosystem.Container{Engine: "sqlite", Database: "my shop.db"}, "sqlite:my%20shop.db"},
		{ecosystem.Container{Name: "x"}, ""},
	} {
		if got := openlineage.ContainerURI(&c.c); got != c.want {
			t.Errorf("%+v: %q, want %q", c.c, got, c.want)
		}
	}
}
