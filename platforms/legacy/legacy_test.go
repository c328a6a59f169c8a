package legacy_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/platforms/legacy"
	"github.com/datasurface/datasurface-go/platforms/platformtest"
)

// model returns a one-file model with the given platform declarations and
// requirements on its one dataset group, which captures by CDC and by
// snapshot, exports into a database and feeds a transformer.
func model(platforms, group string) map[string]string {
	return map[string]string{"eco.star": fmt.Sprintf(`
ecosystem(
    name = "Shop",
    repo = repo("github.com/shop/eco"),
    live_repo = repo("github.com/shop/eco", branch = "live"),
    vendors = [vendor("AWS", cloud = "aws", doc = "Amazon", locations = [location("USA")])],
    platforms = [%s],
    zones = [zone("USA", repo = repo("github.com/shop/usa"), teams = [
        team("Sales", repo = repo("github.com/shop/sales"),
            datastores = [
                datastore("Orders",
                    capture = sql_snapshot(source = postgres("orders_db", locations = ["AWS:USA"]), trigger = cron("*/5 * * * *")),
                    datasets = [dataset("orders", classification = "public", columns = [column("id", "integer", key = True)])]),
                datastore("Clicks",
                    capture = cdc(source = postgres("web_db", locations = ["AWS:USA"])),
                    datasets = [dataset("clicks", classification = "public", columns = [column("id", "integer", key = True)])]),
                datastore("Totals", capture = transformer_output(),
                    datasets = [dataset("totals", classification = "public", columns = [column("id", "integer", key = True)])]),
            ],
            workspaces = [
                workspace("Totaller", groups = [dataset_group("inputs", sinks = [sink("Orders", "orders")], platform = "Legacy")],
                    transformer = transformer("sum_orders", code = sql_code("select 1"), output = "Totals")),
                workspace("Reports", container = postgres("reports_db", locations = ["AWS:USA"]), groups = [
                    %s,
                ]),
            ]),
    ])],
)
`, platforms, group)}
}

const anyGroup = `dataset_group("daily", sinks = [sink("Clicks", "clicks"), sink("Totals", "totals")], platform = "Legacy")`

func TestLegacyAcceptsWhatItDeclares(t *testing.T) {
	k := platformtest.New(t)
	m := k.Model(model(`platform("Legacy", kind = "legacy")`, anyGroup))
	m.ExpectAccept("Legacy")
	// The pipeline is real even though nothing is rendered.
	want := []string{
		"export:Reports.daily:Clicks.clicks", "export:Reports.daily:Totals.totals", "export:Totaller.inputs:Orders.orders",
		"ingest:Clicks.clicks", "ingest:Orders", "ingest:Totals", "transform:Totaller", "trigger:ingest:Orders",
	}
	if got := m.Pipeline("Legacy").NodeIDs(); !slices.Equal(got, want) {
		t.Errorf("pipeline nodes = %v, want %v", got, want)
	}
	m.Golden("Legacy", "testdata/renders-nothing")
	if arts := m.Render("Legacy"); len(arts) != 0 {
		t.Errorf("legacy rendered %d artifacts, want none", len(arts))
	}
}

func TestLegacyDeclaresEverything(t *testing.T) {
	p, err := legacy.New(&ecosystem.Platform{Name: "L", Kind: legacy.Kind})
	if err != nil {
		t.Fatal(err)
	}
	c := p.Capabilities()
	for _, k := range graph.AllCaptureKinds {
		if !c.SupportsCapture(k) {
			t.Errorf("capture %s not supported", k)
		}
	}
	for _, k := range graph.AllContainerKinds {
		if !c.SupportsContainer(k) {
			t.Errorf("container %s not supported", k)
		}
	}
	if !c.SupportsMilestoning(ecosystem.Live) || !c.SupportsMilestoning(ecosystem.Forensic) || !c.SupportsLatency(ecosystem.LatencySeconds) || !c.RunsIn([]string{"Any:Where"}) {
		t.Errorf("capabilities = %+v, want everything", c)
	}
}

func TestLegacyMilestoningOption(t *testing.T) {
	k := platformtest.New(t)
	group := `dataset_group("daily", sinks = [sink("Clicks", "clicks")], platform = "Legacy",
                        requirements = requirements(milestoning = "forensic"))`
	m := k.Model(model(`platform("Legacy", kind = "legacy", options = {"milestoning": "live"})`, group))
	m.ExpectAccept("Legacy",
		`eco.star:25:67 PLATFORM_MILESTONING_UNSUPPORTED platform Legacy (kind legacy) cannot serve dataset group Reports.daily: milestoning forensic not supported (supports live)`)
	if got := m.Platform("Legacy").Capabilities().Milestoning; len(got) != 1 || got[0] != ecosystem.Live {
		t.Errorf("milestoning = %v, want [live]", got)
	}
}

func TestLegacyRejectsBadOptions(t *testing.T) {
	k := platformtest.New(t)
	m := k.Model(model(`platform("Legacy", kind = "legacy", options = {"milestonig": "live", "retention_days": 30}),
        platform("Hourly", kind = "legacy", options = {"milestoning": "hourly"})`, anyGroup))
	m.ExpectDiagnostics(
		`eco.star:7:64 PLATFORM_OPTION_INVALID platform Legacy (kind legacy): option "milestonig" = "live": unknown option (this kind takes "milestoning")`,
		`eco.star:7:64 PLATFORM_OPTION_INVALID platform Legacy (kind legacy): option "retention_days" = 30: unknown option`,
		`eco.star:8:55 PLATFORM_OPTION_INVALID platform Hourly (kind legacy): option "milestoning" = "hourly": want one of "live", "forensic"`,
	)
	var hints []string
	for _, d := range m.Diagnostics {
		hints = append(hints, d.Hint)
	}
	if want := `did you mean "milestoning"?`; hints[0] != want {
		t.Errorf("hint = %q, want %q", hints[0], want)
	}
	if strings.Contains(hints[1], "did you mean") {
		t.Errorf("retention_days is not close to anything, hint = %q", hints[1])
	}
}
