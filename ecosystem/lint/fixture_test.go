package lint

import (
	"testing"
	"time"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/types"
)

// fixtureFile is the file every fixture object claims to come from.
const fixtureFile = "fixture.star"

// builder makes model objects with distinct, predictable source positions:
// each object is on a line of its own (in creation order), at column 1, and
// its i-th argument (0-based, in the order given to src) at column 10*(i+1).
// Tests can then tell "the nullable argument" from "the call".
type builder struct{ line int }

func (b *builder) src(args ...string) ecosystem.Source {
	b.line++
	pos := make([]ecosystem.Pos, len(args))
	for i := range args {
		pos[i] = ecosystem.Pos{File: fixtureFile, Line: b.line, Col: 10 * (i + 1)}
	}
	return ecosystem.Source{
		Pos:  ecosystem.Pos{File: fixtureFile, Line: b.line, Col: 1},
		Args: ecosystem.NewArgPositions(args, pos),
	}
}

// argPos returns the fixture position of a named argument, failing the test
// when the object was not built with that argument (so that a rule falling
// back to the call position cannot pass by accident).
func argPos(t *testing.T, s ecosystem.Source, name string) ecosystem.Pos {
	t.Helper()
	p, ok := s.Args.Lookup(name)
	if !ok {
		t.Fatalf("fixture object at %s has no argument %q", s.Pos, name)
	}
	return p
}

func (b *builder) repo(name, branch string) ecosystem.Repo {
	return ecosystem.Repo{Name: name, Branch: branch, Source: b.src("name", "branch")}
}

func (b *builder) column(name, typ string, key bool, classes ...string) *ecosystem.Column {
	return &ecosystem.Column{Name: name, Type: types.MustParse(typ), Key: key, Nullable: !key,
		Classifications: classes, Source: b.src("name", "type", "key", "nullable", "classification")}
}

func (b *builder) dataset(name string, classes []string, cols ...*ecosystem.Column) *ecosystem.Dataset {
	return &ecosystem.Dataset{Name: name, Columns: cols, Classifications: classes,
		Source: b.src("name", "columns", "partition_by", "classification", "deprecation", "compatibility")}
}

func (b *builder) postgres(name string, locations ...string) *ecosystem.Container {
	return &ecosystem.Container{Kind: ecosystem.DatabaseContainer, Name: name, Engine: "postgres",
		Host: name + ".acme.internal", Port: 5432, Database: name, Locations: locations,
		Source: b.src("name", "engine", "host", "port", "database", "locations")}
}

func (b *builder) cron(schedule string) *ecosystem.Trigger {
	return &ecosystem.Trigger{Kind: ecosystem.CronTrigger, Cron: schedule, Source: b.src("schedule")}
}

func (b *builder) capture(kind ecosystem.CaptureKind, from *ecosystem.Container, watermark string) *ecosystem.Capture {
	c := &ecosystem.Capture{Kind: kind, From: from, Ingestion: ecosystem.IngestStore, WatermarkColumn: watermark,
		Source: b.src("source", "trigger", "credential", "ingestion", "watermark", "topic")}
	if kind != ecosystem.TransformerOutput {
		c.Trigger = b.cron("*/5 * * * *")
		c.Credential = &ecosystem.Credential{Name: "reader", Kind: "user_password", Source: b.src("name", "kind")}
	}
	return c
}

func (b *builder) store(name string, c *ecosystem.Capture, sets ...*ecosystem.Dataset) *ecosystem.Datastore {
	return &ecosystem.Datastore{Name: name, Capture: c, Datasets: sets,
		Source: b.src("name", "capture", "datasets", "production", "deprecation", "approved_workspaces")}
}

func (b *builder) sink(store, dataset string) *ecosystem.Sink {
	return &ecosystem.Sink{Store: store, Dataset: dataset, Source: b.src("store", "dataset", "allow_deprecated")}
}

func (b *builder) group(name, platform string, sinks ...*ecosystem.Sink) *ecosystem.DatasetGroup {
	return &ecosystem.DatasetGroup{Name: name, Platform: platform, Sinks: sinks,
		Source: b.src("name", "sinks", "platform", "requirements")}
}

func (b *builder) workspace(name string, groups ...*ecosystem.DatasetGroup) *ecosystem.Workspace {
	return &ecosystem.Workspace{Name: name, Groups: groups,
		Source: b.src("name", "groups", "container", "priority", "transformer", "deprecation")}
}

func (b *builder) transformer(name, output string) *ecosystem.Transformer {
	return &ecosystem.Transformer{Name: name, Output: output,
		Code:    ecosystem.CodeRef{Kind: "sql", SQL: "select 1", Source: b.src("sql")},
		Trigger: b.cron("0 * * * *"),
		Source:  b.src("name", "code", "output", "trigger")}
}

func (b *builder) policy(kind ecosystem.PolicyKind, name string, allow, deny []string) *ecosystem.Policy {
	return &ecosystem.Policy{Kind: kind, Name: name, Allow: allow, Deny: deny, Source: b.src("name", "allow", "deny")}
}

// newFixture returns a small model that passes every rule and exercises
// every kind of object lint looks at:
//
//	vendor AWS (USA/us-east-1, USA/us-west-2), platforms Live and History,
//	an assignment Churn/live -> Live, zone USA with four policies;
//	team Sales: stores Customers (sql_snapshot; dataset customers classified
//	as a whole) and Orders (sql_watermark on updated_at, production; orders
//	classified as a whole, lines classified by column);
//	team Analytics: workspaces Churn (container, two groups), Enrich (a
//	transformer writing Enriched) and Report (consuming Enriched); store
//	Enriched captured as transformer output.
//
// Every call returns a fresh, unindexed model that tests may change before
// linting.
func newFixture() *ecosystem.Ecosystem {
	b := &builder{}
	m := &ecosystem.Ecosystem{
		Name:     "Acme",
		Repo:     b.repo("github.com/acme/eco", "main"),
		LiveRepo: b.repo("github.com/acme/eco", "live"),
		Source:   b.src("name", "repo", "live_repo", "vendors", "platforms", "zones", "assignments", "waivers", "compatibility", "doc", "tags"),
	}
	m.Vendors = []*ecosystem.Vendor{{
		Name: "AWS", Cloud: "aws", Meta: ecosystem.Meta{Doc: "Amazon Web Services"},
		Source: b.src("name", "cloud", "locations", "doc"),
		Locations: []*ecosystem.Location{{
			Name: "USA", Source: b.src("name", "locations"),
			Locations: []*ecosystem.Location{
				{Name: "us-east-1", Source: b.src("name", "locations")},
				{Name: "us-west-2", Source: b.src("name", "locations")},
			},
		}},
	}}
	m.Platforms = []*ecosystem.Platform{
		{Name: "Live", Kind: "local", Options: map[string]any{"milestoning": "live"}, Source: b.src("name", "kind", "options")},
		{Name: "History", Kind: "local", Options: map[string]any{"milestoning": "forensic"}, Source: b.src("name", "kind", "options")},
	}
	m.Assignments = []*ecosystem.Assignment{{Workspace: "Churn", Group: "live", Platform: "Live",
		Status: ecosystem.AssignmentActive, Source: b.src("workspace", "group", "platform", "status")}}

	customers := b.store("Customers",
		b.capture(ecosystem.SQLSnapshot, b.postgres("crm", "AWS:USA/us-east-1"), ""),
		b.dataset("customers", []string{"pc1"},
			b.column("id", "varchar(20)", true),
			b.column("full_name", "varchar(100)", false),
			b.column("updated_at", "timestamp", false)))
	orders := b.store("Orders",
		b.capture(ecosystem.SQLWatermark, b.postgres("shop", "AWS:USA/us-west-2"), "updated_at"),
		b.dataset("orders", []string{"public"},
			b.column("id", "integer", true),
			b.column("amount", "decimal(12,2)", false),
			b.column("updated_at", "timestamp", false)),
		b.dataset("lines", nil,
			b.column("order_id", "integer", true, "public"),
			b.column("line_no", "integer", true, "public"),
			b.column("updated_at", "timestamp", false, "public")))
	orders.Production = true
	sales := &ecosystem.Team{Name: "Sales", Repo: b.repo("github.com/acme/sales", "main"),
		Datastores: []*ecosystem.Datastore{customers, orders},
		Source:     b.src("name", "repo", "datastores", "workspaces", "waivers")}

	churn := b.workspace("Churn",
		b.group("live", "Live", b.sink("Customers", "customers"), b.sink("Orders", "orders")),
		b.group("history", "", b.sink("Orders", "lines")))
	churn.Container = b.postgres("analytics", "AWS:USA/us-east-1")
	churn.Groups[1].Requirements = &ecosystem.Requirements{Milestoning: ecosystem.Forensic, Latency: ecosystem.LatencyHours,
		Locations: []string{"AWS:USA"}, Source: b.src("milestoning", "latency", "locations")}
	enrich := b.workspace("Enrich", b.group("inputs", "History", b.sink("Customers", "customers")))
	enrich.Transformer = b.transformer("enrich", "Enriched")
	report := b.workspace("Report", b.group("main", "Live", b.sink("Enriched", "enriched")))
	enriched := b.store("Enriched", b.capture(ecosystem.TransformerOutput, nil, ""),
		b.dataset("enriched", []string{"internal"}, b.column("id", "varchar(20)", true), b.column("segment", "varchar(10)", false)))
	analytics := &ecosystem.Team{Name: "Analytics", Repo: b.repo("github.com/acme/analytics", "main"),
		Datastores: []*ecosystem.Datastore{enriched},
		Workspaces: []*ecosystem.Workspace{churn, enrich, report},
		Source:     b.src("name", "repo", "datastores", "workspaces", "waivers")}

	m.Zones = []*ecosystem.Zone{{
		Name: "USA", Repo: b.repo("github.com/acme/usa", "main"),
		Policies: []*ecosystem.Policy{
			b.policy(ecosystem.VendorPolicy, "AWS only", []string{"AWS"}, nil),
			b.policy(ecosystem.LocationPolicy, "US only", []string{"AWS:USA"}, nil),
			b.policy(ecosystem.PlatformPolicy, "Approved", []string{"Live", "History"}, nil),
			b.policy(ecosystem.ClassificationPolicy, "No MNPI", nil, []string{"mnpi"}),
		},
		Teams:  []*ecosystem.Team{sales, analytics},
		Source: b.src("name", "repo", "policies", "teams", "waivers"),
	}}
	m.Zones[0].Waivers = []*ecosystem.Waiver{{Rule: "DATASET_UNCLASSIFIED", Path: "USA/Sales", Reason: "classification review PROJ-1",
		Expires: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), Source: b.src("rule", "path", "reason", "expires")}}
	return m
}

// Navigation helpers for tests: they walk the model rather than use its
// lookups, so that tests may rename objects before the model is indexed.

func zone(m *ecosystem.Ecosystem) *ecosystem.Zone { return m.Zones[0] }

func team(m *ecosystem.Ecosystem, name string) *ecosystem.Team {
	for _, t := range zone(m).Teams {
		if t.Name == name {
			return t
		}
	}
	panic("fixture has no team " + name)
}

func store(m *ecosystem.Ecosystem, name string) *ecosystem.Datastore {
	for _, t := range zone(m).Teams {
		for _, s := range t.Datastores {
			if s.Name == name {
				return s
			}
		}
	}
	panic("fixture has no store " + name)
}

func dataset(m *ecosystem.Ecosystem, st, name string) *ecosystem.Dataset {
	for _, d := range store(m, st).Datasets {
		if d.Name == name {
			return d
		}
	}
	panic("fixture has no dataset " + st + "." + name)
}

func column(m *ecosystem.Ecosystem, st, ds, name string) *ecosystem.Column {
	if c := dataset(m, st, ds).Column(name); c != nil {
		return c
	}
	panic("fixture has no column " + name)
}

func workspace(m *ecosystem.Ecosystem, name string) *ecosystem.Workspace {
	for _, t := range zone(m).Teams {
		for _, w := range t.Workspaces {
			if w.Name == name {
				return w
			}
		}
	}
	panic("fixture has no workspace " + name)
}
