package lint

import (
	"testing"

	"github.com/datasurface/datasurface-go/ecosystem"
)

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
