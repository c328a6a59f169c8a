package lint

import (
	"testing"
	"time"

	"github.com/datasurface/datasurface-go/ecosystem"
)

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
			z.Policies[1].Deny = []string{"AWS:EU", "AWZ"}
			return []want{
				{Rule: "POLICY_REFERENCE_UNRESOLVED", Path: "USA", Pos: argPos(t, z.Policies[0].Source, "allow"), Msg: []string{`vendor policy "AWS only" of zone "USA" allows vendor "Azure"`}},
				{Rule: "POLICY_REFERENCE_UNRESOLVED", Path: "USA", Pos: argPos(t, z.Policies[1].Source, "deny"), Msg: []string{`location policy "US only" of zone "USA" denies location "AWS:EU": vendor "AWS" declares no such location`}},
				{Rule: "POLICY_REFERENCE_UNRESOLVED", Path: "USA", Pos: argPos(t, z.Policies[1].Source, "deny"), Msg: []string{`denies location "AWZ": no vendor "AWZ" is declared`}, Hint: `did you mean "AWS"?`},
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
		{"team waiver without rule", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			w := zone(m).Waivers[0]
			zone(m).Waivers = nil
			w.Rule = ""
			s := team(m, "Analytics")
			s.Waivers = []*ecosystem.Waiver{w}
			return []want{{Rule: "WAIVER_INVALID", Path: "USA/Analytics", Pos: argPos(t, w.Source, "rule"),
				Msg: []string{`waiver of team "Analytics" for rule "" at "USA/Sales": it names no rule`}}}
		}},
		{"scope is governance's concern", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			team(m, "Analytics").Waivers = zone(m).Waivers // a path in team Sales
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
