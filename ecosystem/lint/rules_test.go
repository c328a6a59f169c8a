package lint

import (
	"strings"
	"testing"

	"github.com/datasurface/datasurface-go/ecosystem"
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
		{"malformed live repo name", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			m.LiveRepo.Name = "github.com/acme/eco "
			return []want{{Rule: "REPO_INVALID", Path: "", Pos: argPos(t, m.LiveRepo.Source, "name"),
				Msg:  []string{`ecosystem "Acme" live_repo: the repository name "github.com/acme/eco " is malformed: it has a leading or trailing space`},
				Hint: "owner/repo or host/owner/repo in ASCII letters"}}
		}},
		{"malformed git code reference", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			tr := workspace(m, "Enrich").Transformer
			tr.Code = ecosystem.CodeRef{Kind: "git", Path: "enrich.sql", Repo: ecosystem.Repo{Name: "github.com/acme/etl", Branch: "feat..x", Source: b.src("name", "branch")}}
			return []want{{Rule: "REPO_INVALID", Path: "USA/Analytics/Enrich", Pos: argPos(t, tr.Code.Repo.Source, "branch"),
				Msg:  []string{`transformer "enrich" repo: the branch "feat..x" of github.com/acme/etl is malformed: a branch name cannot contain ".."`},
				Hint: `name a branch git accepts`}}
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
		{"a team owned by the live repo", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			tm := team(m, "Analytics")
			tm.Repo = ecosystem.Repo{Name: "github.com/acme/eco", Branch: "live"}
			return []want{{Rule: "LIVE_REPO_SAME_AS_OWNER", Path: "USA/Analytics", Pos: argPos(t, tm.Source, "repo"),
				Msg: []string{`team "Analytics" is owned by github.com/acme/eco@live, the live repository`}, Related: argPos(t, m.Source, "live_repo")}}
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
