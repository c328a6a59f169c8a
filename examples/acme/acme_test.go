package acme_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/ecosystem/lint"
	"github.com/datasurface/datasurface-go/starlark"
	"github.com/datasurface/datasurface-go/types"
)

// model evaluates the Acme model from this folder.
func model(t *testing.T) *ecosystem.Ecosystem {
	t.Helper()
	m, err := starlark.Evaluate(context.Background(), os.DirFS("."))
	if err != nil {
		t.Fatalf("the Acme model does not evaluate:\n%v", err)
	}
	return m
}

func TestCounts(t *testing.T) {
	m := model(t)
	var teams, empty, stores, datasets, columns, workspaces, groups, sinks int
	for _, z := range m.Zones {
		for _, tm := range z.Teams {
			teams++
			if tm.IsEmpty() {
				empty++
			}
			stores += len(tm.Datastores)
			for _, s := range tm.Datastores {
				datasets += len(s.Datasets)
				for _, d := range s.Datasets {
					columns += len(d.Columns)
				}
			}
			workspaces += len(tm.Workspaces)
			for _, w := range tm.Workspaces {
				groups += len(w.Groups)
				for _, g := range w.Groups {
					sinks += len(g.Sinks)
				}
			}
		}
	}
	for _, c := range []struct {
		what      string
		got, want int
	}{
		{"zones", len(m.Zones), 2},
		{"teams", teams, 8},
		{"declared, empty teams", empty, 2},
		{"datastores", stores, 10},
		{"datasets", datasets, 17},
		{"columns", columns, 126},
		{"workspaces", workspaces, 8},
		{"dataset groups", groups, 12},
		{"sinks", sinks, 22},
		{"vendors", len(m.Vendors), 3},
		{"platforms", len(m.Platforms), 3},
		{"assignments", len(m.Assignments), 2},
	} {
		if c.got != c.want {
			t.Errorf("%d %s, want %d", c.got, c.what, c.want)
		}
	}
	if n := len(m.Datastores()); n != stores {
		t.Errorf("Datastores() lists %d stores, the walk found %d", n, stores)
	}
}

func TestCoverage(t *testing.T) {
	m := model(t)

	// Every capture kind.
	kinds := map[ecosystem.CaptureKind]bool{}
	for _, r := range m.Datastores() {
		if r.Store.Capture != nil {
			kinds[r.Store.Capture.Kind] = true
		}
	}
	for _, k := range []ecosystem.CaptureKind{ecosystem.SQLSnapshot, ecosystem.SQLWatermark, ecosystem.CDC, ecosystem.StreamingTopic, ecosystem.TransformerOutput} {
		if !kinds[k] {
			t.Errorf("no datastore is captured by %s", k)
		}
	}

	// Every type family, and every float and block format by name.
	families := map[types.Family]bool{}
	typeNames := map[string]bool{}
	for _, r := range m.Datastores() {
		for _, d := range r.Store.Datasets {
			for _, c := range d.Columns {
				families[c.Type.Family()] = true
				typeNames[c.Type.String()] = true
			}
		}
	}
	for _, f := range types.Families() {
		if !families[f] {
			t.Errorf("no column has a type of the %s family", f)
		}
	}
	for _, name := range []string{"float16", "bfloat16", "float32", "float64", "float128", "float256",
		"fp8_e4m3", "fp8_e5m2", "fp8_e4m3fnuz", "fp8_e5m2fnuz", "fp6_e2m3", "fp6_e3m2", "fp4_e2m1", "e8m0",
		"mxfp8_e4m3", "mxfp8_e5m2", "mxfp6_e2m3", "mxfp6_e3m2", "mxfp4_e2m1", "mxint8"} {
		if !typeNames[name] {
			t.Errorf("no column has type %s", name)
		}
	}

	// Every policy kind in every zone.
	for _, z := range m.Zones {
		if z.IsEmpty() {
			t.Errorf("zone %s is empty", z.Name)
		}
		policyKinds := map[ecosystem.PolicyKind]bool{}
		for _, p := range z.Policies {
			policyKinds[p.Kind] = true
		}
		for _, k := range []ecosystem.PolicyKind{ecosystem.VendorPolicy, ecosystem.CloudPolicy, ecosystem.LocationPolicy,
			ecosystem.PlatformPolicy, ecosystem.ClassificationPolicy, ecosystem.StoragePolicy} {
			if !policyKinds[k] {
				t.Errorf("zone %s has no %s policy", z.Name, k)
			}
		}
	}

	// Every priority, and groups that name a platform beside groups that state requirements.
	priorities := map[ecosystem.Priority]bool{}
	var named, required int
	for _, r := range m.Workspaces() {
		priorities[r.Workspace.Priority.Effective()] = true
		for _, g := range r.Workspace.Groups {
			if g.Platform != "" {
				named++
			}
			if g.Requirements != nil {
				required++
			}
		}
	}
	for _, p := range []ecosystem.Priority{ecosystem.PriorityLow, ecosystem.PriorityNormal, ecosystem.PriorityHigh, ecosystem.PriorityCritical} {
		if !priorities[p] {
			t.Errorf("no workspace has priority %s", p)
		}
	}
	if named == 0 || required == 0 {
		t.Errorf("%d groups name a platform and %d state requirements; want some of each", named, required)
	}
}

func TestSampleObjects(t *testing.T) {
	m := model(t)

	if m.Name != "Acme" || m.Repo.String() != "github.com/acme/eco@main" || m.LiveRepo.String() != "github.com/acme/eco@live" {
		t.Errorf("ecosystem %s owned by %v, live %v", m.Name, m.Repo, m.LiveRepo)
	}
	if m.Location("AcmeDC:USA/NJ/DC1") == nil || m.Location("AWS:EU/eu-central-1") == nil {
		t.Error("nested locations AcmeDC:USA/NJ/DC1 and AWS:EU/eu-central-1 are not declared")
	}
	if p := m.Platform("HistorySQL"); p == nil || p.Kind != "legacy" || p.Options["milestoning"] != "forensic" {
		t.Errorf("platform HistorySQL = %+v", p)
	}
	if got := m.Team("USA", "Marketing"); got == nil || !got.IsEmpty() || got.Repo.String() != "github.com/acme/marketing@main" {
		t.Errorf("team USA/Marketing = %+v, want declared with its repo on main and empty", got)
	}

	// A column-classified production dataset.
	cust, ok := m.Dataset("Customers", "customers")
	if !ok {
		t.Fatal("no dataset Customers.customers")
	}
	if !cust.Store.Production || len(cust.Dataset.Classifications) != 0 || !slices.Equal(cust.Dataset.PrimaryKey(), []string{"id"}) {
		t.Errorf("Customers.customers: production %v, classifications %q, key %q", cust.Store.Production, cust.Dataset.Classifications, cust.Dataset.PrimaryKey())
	}
	if c := cust.Dataset.Column("name"); c == nil || c.Nullable || c.Type.String() != "nvarchar(100)" || !slices.Equal(c.Classifications, []string{"pc1"}) {
		t.Errorf("customers.name = %+v", c)
	}
	if c := cust.Dataset.Column("email"); c == nil || !c.Nullable {
		t.Errorf("customers.email = %+v, want nullable by default", c)
	}

	// The watermark capture with producer approvals.
	orders, _ := m.Datastore("Orders")
	if c := orders.Store.Capture; c == nil || c.Kind != ecosystem.SQLWatermark || c.WatermarkColumn != "updated_at" ||
		c.Ingestion != ecosystem.IngestDataset || c.From.Engine != "mysql" || c.Credential.Kind != "iam_role" {
		t.Errorf("Orders capture = %+v", orders.Store.Capture)
	}
	if !slices.Equal(orders.Store.ApprovedWorkspaces, []string{"RevenueReport", "FeatureBuilder"}) {
		t.Errorf("Orders approved workspaces = %q", orders.Store.ApprovedWorkspaces)
	}
	ol, _ := m.Dataset("Orders", "order_lines")
	if !slices.Equal(ol.Dataset.PrimaryKey(), []string{"order_id", "line_no"}) {
		t.Errorf("order_lines key = %q", ol.Dataset.PrimaryKey())
	}
	if o, _ := m.Dataset("Orders", "orders"); !slices.Equal(o.Dataset.PartitionBy, []string{"ordered_on"}) {
		t.Errorf("orders partitioned by %q", o.Dataset.PartitionBy)
	}

	// Deprecation: a dataset, a store and a workspace.
	if d, _ := m.Dataset("Customers", "customers_v1"); !d.Dataset.IsDeprecated() || !strings.Contains(d.Dataset.Deprecation.Reason, "Replaced by customers") {
		t.Errorf("customers_v1 deprecation = %+v", d.Dataset.Deprecation)
	}
	if s, _ := m.Datastore("LegacyLeads"); !s.Store.IsDeprecated() {
		t.Error("LegacyLeads is not deprecated")
	}
	if w, _ := m.Workspace("TradeBlotter"); !w.Workspace.IsDeprecated() || w.Workspace.Priority != ecosystem.PriorityLow {
		t.Errorf("TradeBlotter = %+v, want deprecated with low priority", w.Workspace)
	}
	var allowed *ecosystem.Sink
	for _, s := range m.ConsumersOf("Customers", "customers_v1") {
		allowed = s.Sink
	}
	if allowed == nil || !allowed.AllowDeprecated {
		t.Errorf("the sink of customers_v1 = %+v, want one that allows deprecated data", allowed)
	}

	// The streaming capture and the BACKWARD dataset.
	ticks, _ := m.Dataset("MarketTicks", "ticks")
	if c := ticks.Store.Capture; c.Kind != ecosystem.StreamingTopic || c.Topic != "market.ticks" || c.From.Kind != ecosystem.TopicContainer {
		t.Errorf("MarketTicks capture = %+v", c)
	}
	if ticks.Dataset.Compatibility != ecosystem.Backward || m.EffectiveCompatibility() != ecosystem.Full {
		t.Errorf("ticks compatibility %q, ecosystem %q", ticks.Dataset.Compatibility, m.EffectiveCompatibility())
	}

	// The transformer chain: FeatureBuilder -> CustomerFeatures -> ChurnScoring -> ChurnScores -> RetentionCampaigns.
	fb, ok := m.TransformerOf("CustomerFeatures")
	if !ok || fb.Workspace.Name != "FeatureBuilder" || fb.Workspace.Transformer.Code.Kind != "git" {
		t.Errorf("CustomerFeatures is written by %+v", fb.Workspace)
	}
	cs, ok := m.TransformerOf("ChurnScores")
	if !ok || cs.Workspace.Name != "ChurnScoring" || cs.Workspace.Transformer.Code.Func != "acme.dev/churn.Score" ||
		cs.Workspace.Transformer.Trigger.Kind != ecosystem.ExternalTrigger {
		t.Errorf("ChurnScores is written by %+v", cs.Workspace)
	}
	var consumers []string
	for _, r := range m.Consumers("Customers", "customers") {
		consumers = append(consumers, r.Workspace.Name)
	}
	if want := []string{"ChurnScoring", "Exploration", "FeatureBuilder", "RetentionCampaigns", "RevenueReport"}; !slices.Equal(consumers, want) {
		t.Errorf("consumers of Customers.customers = %q, want %q (through both transformers)", consumers, want)
	}

	// The waiver: owned by the Analytics team, valid through its expiry day.
	analytics := m.Team("USA", "Analytics")
	if len(analytics.Waivers) != 1 {
		t.Fatalf("Analytics has %d waivers, want 1", len(analytics.Waivers))
	}
	w := analytics.Waivers[0]
	if w.Rule != "DEPRECATED_DATA_USED" || w.Path != "USA/Analytics/Exploration" || w.Expires.Format(time.DateOnly) != "2030-06-30" {
		t.Errorf("waiver = %+v", w)
	}
	if w.Expired(time.Date(2030, 6, 30, 23, 59, 0, 0, time.UTC)) || !w.Expired(time.Date(2030, 7, 1, 0, 0, 0, 0, time.UTC)) {
		t.Error("the waiver is not valid exactly through 2030-06-30")
	}

	// Documentation and tags.
	sales := m.Team("USA", "Sales")
	if sales.Doc == "" || sales.Tags["cost_center"] != "CC-1001" {
		t.Errorf("Sales doc %q tags %v", sales.Doc, sales.Tags)
	}
	if eu := m.Zone("EU"); eu.Tags["regulation"] != "GDPR" {
		t.Errorf("EU tags = %v", eu.Tags)
	}
}

// position returns the file:line:col at which needle starts in file, found
// by reading the file, so that the test follows edits of the model.
func position(t *testing.T, file, needle string) ecosystem.Pos {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(b), needle)
	if i < 0 || strings.Index(string(b)[i+1:], needle) >= 0 {
		t.Fatalf("%s: %q does not occur exactly once", file, needle)
	}
	before := string(b)[:i]
	line := strings.Count(before, "\n") + 1
	col := i - strings.LastIndex(before, "\n")
	return ecosystem.Pos{File: file, Line: line, Col: col}
}

func TestPositions(t *testing.T) {
	m := model(t)
	cust, _ := m.Dataset("Customers", "customers")
	ticks, _ := m.Datastore("MarketTicks")
	email := cust.Dataset.Column("email")
	fraud, _ := m.Workspace("FraudMonitoring")
	for _, c := range []struct {
		what string
		got  ecosystem.Pos
		want ecosystem.Pos
	}{
		{"ecosystem", m.Pos, position(t, "eco.star", "ecosystem(\n")},
		{"zone EU", m.Zone("EU").Pos, position(t, "zones/eu.star", "zone(")},
		{"dataset customers", cust.Dataset.Pos, position(t, "teams/sales.star", "dataset(\n                    \"customers\",")},
		{"column email", email.Pos, position(t, "teams/sales.star", `column("email"`)},
		{"type of column email", email.ArgPos("type"), position(t, "teams/sales.star", `"varchar(254)"`)},
		{"store MarketTicks", ticks.Store.Pos, position(t, "teams/trading.star", "datastore(\n            \"MarketTicks\"")},
		{"priority of FraudMonitoring", fraud.Workspace.ArgPos("priority"), position(t, "teams/risk.star", `"critical"`)},
	} {
		if c.got != c.want {
			t.Errorf("%s at %v, want %v", c.what, c.got, c.want)
		}
	}
}

func TestLint(t *testing.T) {
	diags := lint.Lint(model(t))
	for _, d := range diags {
		t.Log(d.Error())
	}
	if n := diags.Count(ecosystem.Error); n != 0 {
		t.Errorf("lint reports %d errors, want none", n)
	}
	// The one intended warning: Exploration reads the deprecated customers_v1.
	var deprecated []ecosystem.Diagnostic
	for _, d := range diags {
		if d.Rule == "DEPRECATED_DATA_USED" {
			deprecated = append(deprecated, d)
		}
	}
	if len(deprecated) != 1 || !strings.HasPrefix(deprecated[0].Path, "USA/Analytics/Exploration") {
		t.Errorf("DEPRECATED_DATA_USED findings = %v, want one for USA/Analytics/Exploration", deprecated)
	}
}
