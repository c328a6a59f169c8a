package lint

import (
	"strings"
	"testing"
	"time"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/types"
)

// A rule case breaks (or, with no wants, bends without breaking) the fixture
// and lists every finding the result must have, no more and no less.
type ruleCase struct {
	name string
	edit func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want
}

func runCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := newFixture()
			// New objects go on lines far below the fixture's, so their
			// positions are distinct too.
			wants := c.edit(t, m, &builder{line: 1000})
			expectExactly(t, m, wants...)
		})
	}
}

func TestFixtureIsClean(t *testing.T) {
	expectExactly(t, newFixture())
}

func TestNames(t *testing.T) {
	runCases(t, []ruleCase{
		{"column with a hyphen", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			c := column(m, "Customers", "customers", "full_name")
			c.Name = "full-name"
			return []want{{Rule: "NAME_INVALID", Path: "USA/Sales/Customers/customers/full-name", Pos: argPos(t, c.Source, "name"),
				Msg: []string{`column name "full-name"`, `contains "-" at offset 4`}, Hint: `"full_name"`}}
		}},
		{"dataset starting with a digit", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			d := dataset(m, "Orders", "lines")
			d.Name = "2lines"
			sink := workspace(m, "Churn").Groups[1].Sinks[0]
			return []want{
				{Rule: "NAME_INVALID", Path: "USA/Sales/Orders/2lines", Pos: argPos(t, d.Source, "name"),
					Msg: []string{`dataset name "2lines"`, `starts with "2"`}, Hint: `"x2lines"`},
				// The rename breaks the sink that named the dataset: every
				// consequence is reported, not only the first problem.
				{Rule: "SINK_UNRESOLVED", Path: "USA/Analytics/Churn/history", Pos: argPos(t, sink.Source, "dataset"), Hint: `did you mean "2lines"?`},
			}
		}},
		{"reserved word in any case", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			g := workspace(m, "Churn").Groups[1]
			g.Name = "Order"
			return []want{{Rule: "NAME_INVALID", Path: "USA/Analytics/Churn/Order", Pos: argPos(t, g.Source, "name"),
				Msg: []string{`dataset group name "Order"`, "ORDER is a reserved word"}, Hint: `"Order_"`}}
		}},
		{"too long and empty", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			long := "T" + strings.Repeat("x", 128)
			tm := team(m, "Sales")
			tm.Name = long
			z := zone(m)
			m.Platforms[1].Name = ""
			return []want{
				{Rule: "NAME_INVALID", Path: "USA/" + long, Pos: argPos(t, tm.Source, "name"), Msg: []string{"129 characters long, more than the 128 allowed"}},
				{Rule: "NAME_INVALID", Path: "platforms", Pos: argPos(t, m.Platforms[1].Source, "name"), Msg: []string{`platform name "" is not a valid SQL identifier: it is empty`}},
				// History is now nameless, so the group and the policy naming it no longer resolve.
				{Rule: "PLATFORM_UNRESOLVED", Path: "USA/Analytics/Enrich/inputs", Pos: argPos(t, workspace(m, "Enrich").Groups[0].Source, "platform"), Msg: []string{`"History"`}},
				{Rule: "PLATFORM_UNRESOLVED", Path: "USA", Pos: argPos(t, z.Policies[2].Source, "allow"), Msg: []string{`"History"`}},
			}
		}},
		{"location with a slash", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			l := m.Vendors[0].Locations[0].Locations[1]
			l.Name = "us/west-2"
			return []want{
				{Rule: "NAME_INVALID", Path: "vendors/AWS/USA/us/west-2", Pos: argPos(t, l.Source, "name"), Msg: []string{`location name "us/west-2" under vendor "AWS" is invalid`}},
				{Rule: "LOCATION_UNRESOLVED", Path: "USA/Sales/Orders", Pos: argPos(t, store(m, "Orders").Capture.From.Source, "locations"), Msg: []string{`"AWS:USA/us-west-2"`}},
			}
		}},
		{"synthetic model names are valid", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			m.Name = "SynthEco"
			team(m, "Sales").Name = "Z0_T0"
			dataset(m, "Customers", "customers").Name = "ds0"
			for _, s := range workspace(m, "Churn").Groups[0].Sinks {
				if s.Store == "Customers" {
					s.Dataset = "ds0"
				}
			}
			for _, s := range workspace(m, "Enrich").Groups[0].Sinks {
				s.Dataset = "ds0"
			}
			workspace(m, "Report").Groups[0].Name = "dsg"
			return nil
		}},
	})
}

func TestRepos(t *testing.T) {
	runCases(t, []ruleCase{
		{"team repo without branch", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			r := &team(m, "Sales").Repo
			r.Branch = ""
			return []want{{Rule: "REPO_INVALID", Path: "USA/Sales", Pos: argPos(t, r.Source, "branch"), Msg: []string{`team "Sales" repo`, "github.com/acme/sales has no branch"}}}
		}},
		{"zone without repo", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			z := zone(m)
			z.Repo = ecosystem.Repo{}
			return []want{{Rule: "REPO_INVALID", Path: "USA", Pos: argPos(t, z.Source, "repo"), Msg: []string{`zone "USA" repo: no repository is given`}}}
		}},
		{"git code reference without name", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			tr := workspace(m, "Enrich").Transformer
			tr.Code = ecosystem.CodeRef{Kind: "git", Path: "enrich.sql", Repo: ecosystem.Repo{Branch: "main", Source: b.src("name", "branch")}}
			return []want{{Rule: "REPO_INVALID", Path: "USA/Analytics/Enrich", Pos: argPos(t, tr.Code.Repo.Source, "name"), Msg: []string{"the repository has no name"}}}
		}},
		{"no live repo is fine", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			m.LiveRepo = ecosystem.Repo{}
			return nil
		}},
	})
}

func TestLiveRepo(t *testing.T) {
	runCases(t, []ruleCase{
		{"live repo is the owner", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			m.LiveRepo.Branch = "main"
			return []want{{Rule: "LIVE_REPO_SAME_AS_OWNER", Path: "", Pos: argPos(t, m.Source, "live_repo"),
				Msg: []string{"live_repo github.com/acme/eco@main is the same repository and branch as repo github.com/acme/eco@main"}, Related: argPos(t, m.Source, "repo")}}
		}},
		{"same name, other case is another repo", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			m.LiveRepo = ecosystem.Repo{Name: "github.com/acme/ECO", Branch: "main"}
			return nil
		}},
	})
}

func TestDuplicates(t *testing.T) {
	runCases(t, []ruleCase{
		{"column differing in case", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			d := dataset(m, "Customers", "customers")
			first := d.Columns[0]
			c := b.column("ID", "integer", false)
			d.Columns = append(d.Columns, c)
			return []want{{Rule: "DUPLICATE_NAME", Path: "USA/Sales/Customers/customers/ID", Pos: argPos(t, c.Source, "name"),
				Msg: []string{`column "id" and "ID" in dataset "Customers.customers" differ only in letter case`}, Related: argPos(t, first.Source, "name")}}
		}},
		{"datastore in two teams", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			orig := store(m, "Customers")
			s := b.store("Customers", b.capture(ecosystem.SQLSnapshot, b.postgres("crm2", "AWS:USA"), ""),
				b.dataset("other", []string{"public"}, b.column("id", "integer", true)))
			a := team(m, "Analytics")
			a.Datastores = append(a.Datastores, s)
			return []want{{Rule: "DUPLICATE_NAME", Path: "USA/Analytics/Customers", Pos: argPos(t, s.Source, "name"),
				Msg: []string{`datastore "Customers" is declared twice in the ecosystem (the first is USA/Sales/Customers)`}, Related: argPos(t, orig.Source, "name")}}
		}},
		{"workspace in two teams", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			w := b.workspace("Report", b.group("g", "", b.sink("Orders", "orders")))
			s := team(m, "Sales")
			s.Workspaces = append(s.Workspaces, w)
			// Sales comes before Analytics in the model, so the new
			// workspace is the first and the fixture's the repeat.
			orig := team(m, "Analytics").Workspaces[2]
			return []want{{Rule: "DUPLICATE_NAME", Path: "USA/Analytics/Report", Pos: argPos(t, orig.Source, "name"),
				Msg: []string{`workspace "Report" is declared twice in the ecosystem (the first is USA/Sales/Report)`}, Related: argPos(t, w.Source, "name")}}
		}},
		{"siblings: dataset, group, vendor, policy, location, sink, assignment", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			orders := store(m, "Orders")
			ds := b.dataset("Lines", []string{"public"}, b.column("id", "integer", true), b.column("updated_at", "timestamp", false))
			orders.Datasets = append(orders.Datasets, ds)
			churn := workspace(m, "Churn")
			g := b.group("live", "Live", b.sink("Orders", "orders"))
			churn.Groups = append(churn.Groups, g)
			z := zone(m)
			pol := b.policy(ecosystem.CloudPolicy, "AWS only", []string{"aws"}, nil)
			z.Policies = append(z.Policies, pol)
			usa := m.Vendors[0].Locations[0]
			loc := &ecosystem.Location{Name: "us-east-1", Source: b.src("name", "locations")}
			usa.Locations = append(usa.Locations, loc)
			sink := b.sink("Customers", "customers")
			live := churn.Groups[0]
			live.Sinks = append(live.Sinks, sink)
			as := &ecosystem.Assignment{Workspace: "Churn", Group: "live", Platform: "Live", Source: b.src("workspace", "group", "platform", "status")}
			m.Assignments = append(m.Assignments, as)
			return []want{
				{Rule: "DUPLICATE_NAME", Path: "USA/Sales/Orders/Lines", Pos: argPos(t, ds.Source, "name"), Msg: []string{`dataset "lines" and "Lines" in datastore "Orders"`}},
				{Rule: "DUPLICATE_NAME", Path: "USA/Analytics/Churn/live", Pos: argPos(t, g.Source, "name"), Msg: []string{`dataset group "live" is declared twice in workspace "Churn"`}},
				{Rule: "DUPLICATE_NAME", Path: "USA", Pos: argPos(t, pol.Source, "name"), Msg: []string{`policy "AWS only" is declared twice in zone "USA"`}},
				{Rule: "DUPLICATE_NAME", Path: "vendors/AWS/USA/us-east-1", Pos: argPos(t, loc.Source, "name"), Msg: []string{`location "us-east-1" is declared twice in vendor "AWS"`}},
				{Rule: "DUPLICATE_NAME", Path: "USA/Analytics/Churn/live", Pos: sink.Pos, Msg: []string{`sink Customers.customers is listed twice in dataset group "live"`}},
				{Rule: "DUPLICATE_NAME", Path: "assignments/Churn/live/Live", Pos: as.Pos, Msg: []string{`assigned to platform "Live" twice`}},
			}
		}},
		{"same dataset name in two stores is fine", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			c := store(m, "Customers")
			c.Datasets = append(c.Datasets, b.dataset("orders", []string{"public"}, b.column("id", "integer", true)))
			return nil
		}},
	})
}

func TestReferences(t *testing.T) {
	runCases(t, []ruleCase{
		{"sink to unknown store and dataset", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			live := workspace(m, "Churn").Groups[0]
			s0, s1 := live.Sinks[0], live.Sinks[1]
			s0.Store = "Custmers"
			s1.Dataset = "order"
			return []want{
				{Rule: "SINK_UNRESOLVED", Path: "USA/Analytics/Churn/live", Pos: argPos(t, s0.Source, "store"),
					Msg: []string{`sink Custmers.customers in dataset group "live" of workspace "Churn" names datastore "Custmers", which is not declared`}, Hint: `did you mean "Customers"?`},
				{Rule: "SINK_UNRESOLVED", Path: "USA/Analytics/Churn/live", Pos: argPos(t, s1.Source, "dataset"),
					Msg: []string{`names dataset "order", which datastore "Orders" does not have`}, Hint: `did you mean "orders"?`, Related: store(m, "Orders").Pos},
			}
		}},
		{"unresolvable locations", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			src := store(m, "Customers").Capture.From
			src.Locations = []string{"AWS:USA/us-east-9"}
			churn := workspace(m, "Churn")
			churn.Container.Locations = []string{"GCP:USA"}
			req := churn.Groups[1].Requirements
			req.Locations = []string{"USA"}
			return []want{
				{Rule: "LOCATION_UNRESOLVED", Path: "USA/Sales/Customers", Pos: argPos(t, src.Source, "locations"),
					Msg: []string{`capture source "crm" of datastore "Customers" names location "AWS:USA/us-east-9": vendor "AWS" declares no such location`}, Hint: `did you mean "AWS:USA/us-east-1"?`},
				{Rule: "LOCATION_UNRESOLVED", Path: "USA/Analytics/Churn", Pos: argPos(t, churn.Container.Source, "locations"),
					Msg: []string{`container "analytics" of workspace "Churn" names location "GCP:USA": vendor "GCP" is not declared`}},
				{Rule: "LOCATION_UNRESOLVED", Path: "USA/Analytics/Churn/history", Pos: argPos(t, req.Source, "locations"),
					Msg: []string{`names location "USA": it is not a location key`}, Hint: "Vendor:Path"},
			}
		}},
		{"unknown platforms", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			g := workspace(m, "Churn").Groups[0]
			g.Platform = "Lvie"
			m.Assignments[0].Platform = "Histroy"
			pol := zone(m).Policies[2]
			pol.Deny = []string{"Batch"}
			return []want{
				{Rule: "PLATFORM_UNRESOLVED", Path: "USA/Analytics/Churn/live", Pos: argPos(t, g.Source, "platform"), Msg: []string{`dataset group "live" of workspace "Churn" names platform "Lvie"`}, Hint: `did you mean "Live"?`},
				{Rule: "PLATFORM_UNRESOLVED", Path: "assignments/Churn/live/Histroy", Pos: argPos(t, m.Assignments[0].Source, "platform"), Hint: `did you mean "History"?`},
				{Rule: "PLATFORM_UNRESOLVED", Path: "USA", Pos: argPos(t, pol.Source, "deny"), Msg: []string{`platform policy "Approved" of zone "USA" (deny) names platform "Batch"`}},
			}
		}},
		{"assignment to unknown workspace and group", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			a0 := m.Assignments[0]
			a0.Workspace = "Chrun"
			a1 := &ecosystem.Assignment{Workspace: "Churn", Group: "lives", Platform: "History", Source: b.src("workspace", "group", "platform", "status")}
			m.Assignments = append(m.Assignments, a1)
			return []want{
				{Rule: "ASSIGNMENT_UNRESOLVED", Path: "assignments/Chrun/live/Live", Pos: argPos(t, a0.Source, "workspace"), Msg: []string{`names workspace "Chrun", which is not declared`}, Hint: `did you mean "Churn"?`},
				{Rule: "ASSIGNMENT_UNRESOLVED", Path: "assignments/Churn/lives/History", Pos: argPos(t, a1.Source, "group"), Msg: []string{`names dataset group "lives", which workspace "Churn" does not have`}, Hint: `did you mean "live"?`},
			}
		}},
		{"policies naming unknown vendors and locations", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			z := zone(m)
			z.Policies[0].Allow = []string{"AWS", "Azure"}
			z.Policies[1].Deny = []string{"AWS:EU"}
			return []want{
				{Rule: "POLICY_REFERENCE_UNRESOLVED", Path: "USA", Pos: argPos(t, z.Policies[0].Source, "allow"), Msg: []string{`vendor policy "AWS only" of zone "USA" allows vendor "Azure"`}},
				{Rule: "POLICY_REFERENCE_UNRESOLVED", Path: "USA", Pos: argPos(t, z.Policies[1].Source, "deny"), Msg: []string{`location policy "US only" of zone "USA" denies location "AWS:EU": vendor "AWS" declares no such location`}},
			}
		}},
		{"a bare vendor in a location policy is fine", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			zone(m).Policies[1].Allow = []string{"AWS"}
			return nil
		}},
		{"transformer output unknown", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			tr := workspace(m, "Enrich").Transformer
			tr.Output = "Enrichd"
			return []want{
				{Rule: "TRANSFORMER_OUTPUT_UNRESOLVED", Path: "USA/Analytics/Enrich", Pos: argPos(t, tr.Source, "output"), Msg: []string{`writes datastore "Enrichd", which is not declared`}, Hint: `did you mean "Enriched"?`},
				// Nothing writes Enriched any more.
				{Rule: "TRANSFORMER_OUTPUT_CAPTURE", Path: "USA/Analytics/Enriched", Pos: argPos(t, store(m, "Enriched").Source, "capture"), Msg: []string{"no transformer names it as output"}},
			}
		}},
	})
}

func TestSchema(t *testing.T) {
	runCases(t, []ruleCase{
		{"no columns", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			d := dataset(m, "Customers", "customers")
			d.Columns = nil
			return []want{{Rule: "DATASET_NO_COLUMNS", Path: "USA/Sales/Customers/customers", Pos: argPos(t, d.Source, "columns"), Msg: []string{`dataset "customers" of datastore "Customers" has no columns`}}}
		}},
		{"no primary key", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			d := dataset(m, "Customers", "customers")
			d.Columns[0].Key = false
			return []want{{Rule: "DATASET_NO_PRIMARY_KEY", Path: "USA/Sales/Customers/customers", Pos: argPos(t, d.Source, "columns"),
				Msg: []string{"has no primary key: none of its 3 columns is marked key = True"}, Hint: `column("id", ..., key = True)`}}
		}},
		{"nullable key column", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			c := column(m, "Orders", "lines", "line_no")
			c.Nullable = true
			return []want{{Rule: "KEY_COLUMN_NULLABLE", Path: "USA/Sales/Orders/lines/line_no", Pos: argPos(t, c.Source, "nullable"),
				Msg: []string{`key column "line_no" of dataset "Orders.lines" is nullable`}, Related: argPos(t, c.Source, "key")}}
		}},
		{"unknown partition column", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			d := dataset(m, "Orders", "orders")
			d.PartitionBy = []string{"updated_at", "amuont"}
			return []want{{Rule: "PARTITION_COLUMN_UNKNOWN", Path: "USA/Sales/Orders/orders", Pos: argPos(t, d.Source, "partition_by"),
				Msg: []string{`partitioned by "amuont", which is not one of its columns`}, Hint: `did you mean "amount"?`}}
		}},
		{"column without type", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			c := column(m, "Customers", "customers", "full_name")
			c.Type = nil
			return []want{{Rule: "COLUMN_TYPE_MISSING", Path: "USA/Sales/Customers/customers/full_name", Pos: argPos(t, c.Source, "type"), Msg: []string{`column "full_name" of dataset "Customers.customers" has no data type`}}}
		}},
	})
}

func TestClassification(t *testing.T) {
	runCases(t, []ruleCase{
		{"unclassified dataset of a non-production store", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			d := dataset(m, "Customers", "customers")
			d.Classifications = nil
			return []want{{Rule: "DATASET_UNCLASSIFIED", Path: "USA/Sales/Customers/customers", Pos: d.Pos, Msg: []string{`dataset "customers" of datastore "Customers" has no classification`}}}
		}},
		{"partly classified columns", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			d := dataset(m, "Enriched", "enriched")
			d.Classifications = nil
			d.Columns[0].Classifications = []string{"internal"}
			return []want{{Rule: "DATASET_UNCLASSIFIED", Path: "USA/Analytics/Enriched/enriched", Pos: d.Columns[1].Pos, Msg: []string{"is classified by column, but columns segment have no classification"}}}
		}},
		{"unclassified production dataset", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			d := dataset(m, "Orders", "orders")
			d.Classifications = nil
			c := column(m, "Orders", "lines", "updated_at")
			c.Classifications = nil
			s := store(m, "Orders")
			return []want{
				{Rule: "PRODUCTION_UNCLASSIFIED", Path: "USA/Sales/Orders/orders", Pos: d.Pos, Msg: []string{`production dataset "orders" of datastore "Orders" has no classification`}, Related: argPos(t, s.Source, "production")},
				{Rule: "PRODUCTION_UNCLASSIFIED", Path: "USA/Sales/Orders/lines", Pos: c.Pos, Msg: []string{"columns updated_at have no classification"}},
			}
		}},
		{"classified at both levels", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			d := dataset(m, "Orders", "orders")
			c := column(m, "Orders", "orders", "amount")
			c.Classifications = []string{"pc2"}
			return []want{{Rule: "CLASSIFICATION_BOTH_LEVELS", Path: "USA/Sales/Orders/orders", Pos: argPos(t, d.Source, "classification"),
				Msg: []string{`dataset "orders" of datastore "Orders" is classified as public and so are its columns amount`}, Related: argPos(t, c.Source, "classification")}}
		}},
	})
}

func TestCapture(t *testing.T) {
	runCases(t, []ruleCase{
		{"no capture", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			s := store(m, "Customers")
			s.Capture = nil
			return []want{{Rule: "CAPTURE_MISSING", Path: "USA/Sales/Customers", Pos: s.Pos, Msg: []string{`datastore "Customers" has no capture`}}}
		}},
		{"no capture source", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			c := store(m, "Customers").Capture
			c.From = nil
			return []want{{Rule: "CAPTURE_SOURCE_MISSING", Path: "USA/Sales/Customers", Pos: c.Pos, Msg: []string{`the sql_snapshot capture of datastore "Customers" has no source`}}}
		}},
		{"invalid cron schedules", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			c := store(m, "Customers").Capture.Trigger
			c.Cron = "*/5 * * *"
			o := store(m, "Orders").Capture.Trigger
			o.Cron = " "
			tr := workspace(m, "Enrich").Transformer.Trigger
			tr.Cron = "61 * * * *"
			return []want{
				{Rule: "CRON_INVALID", Path: "USA/Sales/Customers", Pos: argPos(t, c.Source, "schedule"), Msg: []string{`the capture trigger of datastore "Customers" has an invalid cron schedule "*/5 * * *"`, "expected exactly 5 fields"}},
				{Rule: "CRON_INVALID", Path: "USA/Sales/Orders", Pos: argPos(t, o.Source, "schedule"), Msg: []string{"the schedule is empty"}},
				{Rule: "CRON_INVALID", Path: "USA/Analytics/Enrich", Pos: argPos(t, tr.Source, "schedule"), Msg: []string{`the trigger of transformer "enrich"`, "61"}},
			}
		}},
		{"descriptors and time zones are valid cron", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			store(m, "Customers").Capture.Trigger.Cron = "@hourly"
			store(m, "Orders").Capture.Trigger.Cron = "CRON_TZ=Europe/Paris 0,15,30,45 * * * *"
			return nil
		}},
		{"watermark column missing", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			c := column(m, "Orders", "lines", "updated_at")
			c.Name = "changed_at"
			d := dataset(m, "Orders", "lines")
			return []want{{Rule: "WATERMARK_COLUMN_MISSING", Path: "USA/Sales/Orders/lines", Pos: argPos(t, d.Source, "columns"),
				Msg: []string{`dataset "lines" of datastore "Orders" has no column "updated_at", the watermark of its sql_watermark capture`}, Related: argPos(t, store(m, "Orders").Capture.Source, "watermark")}}
		}},
		{"watermark not named", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			c := store(m, "Orders").Capture
			c.WatermarkColumn = ""
			return []want{{Rule: "WATERMARK_COLUMN_MISSING", Path: "USA/Sales/Orders", Pos: c.Pos, Msg: []string{"names no watermark column"}}}
		}},
		{"watermark types differ", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			c := column(m, "Orders", "lines", "updated_at")
			c.Type = types.MustParse("date")
			cap := store(m, "Orders").Capture
			return []want{{Rule: "WATERMARK_TYPE_MISMATCH", Path: "USA/Sales/Orders", Pos: argPos(t, cap.Source, "watermark"),
				Msg: []string{`the watermark column "updated_at" of datastore "Orders" has different types: timestamp in orders; date in lines`}, Related: argPos(t, c.Source, "type")}}
		}},
	})
}

func TestTransformers(t *testing.T) {
	runCases(t, []ruleCase{
		{"output in another team", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			a, s := team(m, "Analytics"), team(m, "Sales")
			enriched := a.Datastores[0]
			a.Datastores = nil
			s.Datastores = append(s.Datastores, enriched)
			tr := workspace(m, "Enrich").Transformer
			return []want{{Rule: "TRANSFORMER_OUTPUT_FOREIGN", Path: "USA/Analytics/Enrich", Pos: argPos(t, tr.Source, "output"),
				Msg: []string{`transformer "enrich" of team "USA/Analytics" (workspace "Enrich") writes datastore "Enriched", which belongs to team "USA/Sales"`}, Related: enriched.Pos}}
		}},
		{"output captured from a database", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			s := store(m, "Enriched")
			s.Capture = b.capture(ecosystem.SQLSnapshot, b.postgres("wh", "AWS:USA"), "")
			return []want{{Rule: "TRANSFORMER_OUTPUT_CAPTURE", Path: "USA/Analytics/Enriched", Pos: argPos(t, s.Source, "capture"),
				Msg: []string{`datastore "Enriched" is written by transformer "enrich" but is captured as sql_snapshot`}, Related: argPos(t, workspace(m, "Enrich").Transformer.Source, "output")}}
		}},
		{"output without capture", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			s := store(m, "Enriched")
			s.Capture = nil
			return []want{{Rule: "TRANSFORMER_OUTPUT_CAPTURE", Path: "USA/Analytics/Enriched", Pos: s.Pos, Msg: []string{"is written by transformer \"enrich\" but has no capture"}}}
		}},
		{"two writers", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			w := b.workspace("Enrich2", b.group("inputs", "", b.sink("Orders", "orders")))
			w.Transformer = b.transformer("enrich2", "Enriched")
			a := team(m, "Analytics")
			a.Workspaces = append(a.Workspaces, w)
			return []want{{Rule: "TRANSFORMER_OUTPUT_SHARED", Path: "USA/Analytics/Enrich2", Pos: argPos(t, w.Transformer.Source, "output"),
				Msg: []string{`datastore "Enriched" is the output of 2 transformers, in workspaces Enrich, Enrich2`}, Related: argPos(t, workspace(m, "Enrich").Transformer.Source, "output")}}
		}},
		{"consumes its own output", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			w := workspace(m, "Enrich")
			s := b.sink("Enriched", "enriched")
			w.Groups[0].Sinks = append(w.Groups[0].Sinks, s)
			return []want{{Rule: "TRANSFORMER_CYCLE", Path: "USA/Analytics/Enrich", Pos: argPos(t, w.Transformer.Source, "output"),
				Msg: []string{"transformer cycle: Enrich -> Enriched -> Enrich"}, Related: s.Pos}}
		}},
		{"cycle through two transformers", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			a := team(m, "Analytics")
			report := workspace(m, "Report")
			report.Transformer = b.transformer("report", "Reported")
			a.Datastores = append(a.Datastores, b.store("Reported", b.capture(ecosystem.TransformerOutput, nil, ""),
				b.dataset("reported", []string{"internal"}, b.column("id", "integer", true))))
			enrich := workspace(m, "Enrich")
			s := b.sink("Reported", "reported")
			enrich.Groups[0].Sinks = append(enrich.Groups[0].Sinks, s)
			return []want{{Rule: "TRANSFORMER_CYCLE", Path: "USA/Analytics/Enrich", Pos: argPos(t, enrich.Transformer.Source, "output"),
				Msg: []string{"transformer cycle: Enrich -> Enriched -> Report -> Reported -> Enrich"}, Related: s.Pos}}
		}},
		{"a chain is not a cycle", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			a := team(m, "Analytics")
			workspace(m, "Report").Transformer = b.transformer("report", "Reported")
			a.Datastores = append(a.Datastores, b.store("Reported", b.capture(ecosystem.TransformerOutput, nil, ""),
				b.dataset("reported", []string{"internal"}, b.column("id", "integer", true))))
			return nil
		}},
	})
}

func TestLifecycle(t *testing.T) {
	runCases(t, []ruleCase{
		{"deprecated dataset allowed by one sink, refused by another", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			d := dataset(m, "Customers", "customers")
			d.Deprecation = &ecosystem.Deprecation{Deprecated: true, Reason: "use customers_v2", Source: b.src("reason")}
			allowed := workspace(m, "Churn").Groups[0].Sinks[0]
			allowed.AllowDeprecated = true
			refused := workspace(m, "Enrich").Groups[0].Sinks[0]
			return []want{
				{Rule: "DEPRECATED_DATA_USED", Path: "USA/Analytics/Churn/live", Pos: argPos(t, allowed.Source, "allow_deprecated"),
					Msg: []string{`workspace "Churn" uses deprecated dataset "Customers.customers" (use customers_v2)`}, Related: d.Deprecation.Pos},
				{Rule: "DEPRECATED_DATA_REFUSED", Path: "USA/Analytics/Enrich/inputs", Pos: argPos(t, refused.Source, "dataset"),
					Msg: []string{`workspace "Enrich" uses deprecated dataset "Customers.customers" (use customers_v2), and its sink does not allow deprecated data`}},
			}
		}},
		{"deprecated store", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			s := store(m, "Orders")
			s.Deprecation = &ecosystem.Deprecation{Deprecated: true, Source: b.src("reason")}
			churn := workspace(m, "Churn")
			return []want{
				{Rule: "DEPRECATED_DATA_REFUSED", Path: "USA/Analytics/Churn/live", Pos: argPos(t, churn.Groups[0].Sinks[1].Source, "store"), Msg: []string{`uses deprecated datastore "Orders", and its sink`}},
				{Rule: "DEPRECATED_DATA_REFUSED", Path: "USA/Analytics/Churn/history", Pos: argPos(t, churn.Groups[1].Sinks[0].Source, "store"), Msg: []string{`uses deprecated datastore "Orders"`}},
			}
		}},
		{"a deprecation marker that is not set deprecates nothing", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			store(m, "Orders").Deprecation = &ecosystem.Deprecation{Deprecated: false}
			return nil
		}},
		{"approvals", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			s := store(m, "Customers")
			s.ApprovedWorkspaces = []string{"Churn", "NotYetThere"}
			enrichSink := workspace(m, "Enrich").Groups[0].Sinks[0]
			return []want{{Rule: "APPROVAL_MISSING", Path: "USA/Analytics/Enrich/inputs", Pos: argPos(t, enrichSink.Source, "store"),
				Msg: []string{`workspace "Enrich" uses datastore "Customers", which approves only Churn, NotYetThere`}, Hint: `ask team "Sales" to add "Enrich"`, Related: argPos(t, s.Source, "approved_workspaces")}}
		}},
		{"an empty approval list approves nobody, reported once per workspace", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			store(m, "Orders").ApprovedWorkspaces = []string{}
			churn := workspace(m, "Churn")
			return []want{{Rule: "APPROVAL_MISSING", Path: "USA/Analytics/Churn/live", Pos: argPos(t, churn.Groups[0].Sinks[1].Source, "store"), Msg: []string{`which approves no workspace`}}}
		}},
		{"group without sinks", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			g := workspace(m, "Churn").Groups[1]
			g.Sinks = nil
			return []want{{Rule: "GROUP_NO_SINKS", Path: "USA/Analytics/Churn/history", Pos: argPos(t, g.Source, "sinks"), Msg: []string{`dataset group "history" of workspace "Churn" has no sinks`}}}
		}},
	})
}

func TestVendorDocs(t *testing.T) {
	runCases(t, []ruleCase{
		{"undocumented vendor", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			v := m.Vendors[0]
			v.Doc = "  "
			return []want{{Rule: "VENDOR_UNDOCUMENTED", Path: "vendors/AWS", Pos: argPos(t, v.Source, "doc"), Msg: []string{`vendor "AWS" has no documentation`}}}
		}},
	})
}

func TestWaivers(t *testing.T) {
	runCases(t, []ruleCase{
		{"waiver without reason, expiry and a proper rule", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			w := zone(m).Waivers[0]
			w.Reason = ""
			w.Rule = "dataset_unclassified"
			w.Expires = time.Time{}
			return []want{
				{Rule: "WAIVER_INVALID", Path: "USA", Pos: argPos(t, w.Source, "rule"), Msg: []string{`"dataset_unclassified" is not a rule ID`}},
				{Rule: "WAIVER_INVALID", Path: "USA", Pos: argPos(t, w.Source, "reason"), Msg: []string{`waiver of zone "USA" for rule "dataset_unclassified" at "USA/Sales": it gives no reason`}},
				{Rule: "WAIVER_INVALID", Path: "USA", Pos: argPos(t, w.Source, "expires"), Msg: []string{"it has no expiry date"}},
			}
		}},
		{"team waiver reaching outside the team", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			w := zone(m).Waivers[0]
			zone(m).Waivers = nil
			w.Path = "USA/Sales"
			s := team(m, "Analytics")
			s.Waivers = []*ecosystem.Waiver{w}
			return []want{{Rule: "WAIVER_INVALID", Path: "USA/Analytics", Pos: argPos(t, w.Source, "path"),
				Msg: []string{`the path lies outside team "Analytics", which holds the waiver at "USA/Analytics"`}}}
		}},
		{"ecosystem waivers may cover anything", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			m.Waivers = zone(m).Waivers
			zone(m).Waivers = nil
			return nil
		}},
	})
}

func TestValues(t *testing.T) {
	runCases(t, []ruleCase{
		{"unknown enumerated values", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			c := store(m, "Customers").Capture
			c.Ingestion = "batch"
			w := workspace(m, "Churn")
			w.Priority = 9
			tr := workspace(m, "Enrich").Transformer
			tr.Code = ecosystem.CodeRef{Kind: "python"}
			p := m.Platforms[0]
			p.Kind = ""
			q := w.Groups[1].Requirements
			q.Milestoning = "scd3"
			return []want{
				{Rule: "VALUE_INVALID", Path: "USA/Sales/Customers", Pos: argPos(t, c.Source, "ingestion"), Msg: []string{`the ingestion of datastore "Customers" is "batch"`}, Hint: "store, dataset"},
				{Rule: "VALUE_INVALID", Path: "USA/Analytics/Churn", Pos: argPos(t, w.Source, "priority"), Msg: []string{`the priority of workspace "Churn" is "9"`}},
				{Rule: "VALUE_INVALID", Path: "USA/Analytics/Enrich", Pos: argPos(t, tr.Source, "code"), Msg: []string{`the code kind of transformer "enrich" is "python"`}},
				{Rule: "VALUE_INVALID", Path: "platforms/Live", Pos: argPos(t, p.Source, "kind"), Msg: []string{`platform "Live" has no kind`}},
				{Rule: "VALUE_INVALID", Path: "USA/Analytics/Churn/history", Pos: argPos(t, q.Source, "milestoning"), Msg: []string{`"scd3"`}},
			}
		}},
		{"incomplete code reference", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			tr := workspace(m, "Enrich").Transformer
			tr.Code = ecosystem.CodeRef{Kind: "go"}
			return []want{{Rule: "VALUE_INVALID", Path: "USA/Analytics/Enrich", Pos: argPos(t, tr.Source, "code"), Msg: []string{"a go code reference needs the name of the function"}}}
		}},
	})
}
