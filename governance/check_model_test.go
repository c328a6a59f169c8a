package governance_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/governance"
	"github.com/datasurface/datasurface-go/starlark"
)

// TestCheckModel checks one model on its own: lint and policy findings, the
// model's waivers applied, and waivers of two-model rules left alone.
func TestCheckModel(t *testing.T) {
	const eco = `
ecosystem(
    name = "Acme",
    repo = repo("github.com/acme/eco"),
    live_repo = repo("github.com/acme/eco", branch = "live"),
    vendors = [vendor("AWS", cloud = "aws", locations = [location("USA"), location("EU")])],
    platforms = [platform("Live", kind = "legacy")],
    zones = [zone("USA", repo = repo("github.com/acme/usa"),
        policies = [location_policy("US only", allow = ["AWS:USA"])],
        teams = [team("Sales", repo = repo("github.com/acme/sales"),
            datastores = [datastore("Customers", capture = sql_snapshot(source = postgres("crm", locations = ["AWS:EU"])),
                datasets = [dataset("people", classification = "public", columns = [column("id", "integer", key = True)])])],
            waivers = [
                # Unused, but compatibility cannot fire in a one-model check: not reported.
                waiver(rule = "COMPAT_COLUMN_REMOVED", path = "USA/Sales/Customers", reason = "migration", expires = "2027-01-31"),
                # Unused and it could have fired: reported.
                waiver(rule = "CRON_INVALID", path = "USA/Sales/Customers", reason = "stale", expires = "2027-01-31"),
            ])],
    )],
    waivers = [waiver(rule = "VENDOR_UNDOCUMENTED", path = "vendors/AWS", reason = "in the wiki", expires = "2027-01-31")],
)
`
	m, err := starlark.Evaluate(context.Background(), fstest.MapFS{"eco.star": {Data: []byte(eco)}})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := governance.CheckModel(context.Background(), m, governance.WithNow(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range ds {
		line := d.Rule + " " + d.Path
		if d.Waived != nil {
			line += " waived"
		}
		got = append(got, line)
	}
	want := []string{
		"VENDOR_UNDOCUMENTED vendors/AWS waived",
		"POLICY_LOCATION USA/Sales/Customers",
		"WAIVER_UNUSED USA/Sales",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s\n%v", strings.Join(got, "\n"), strings.Join(want, "\n"), ecosystem.DiagnosticsError(ds))
	}
	for _, d := range ds {
		if d.Rule == "WAIVER_UNUSED" && !strings.Contains(d.Message, "CRON_INVALID") {
			t.Errorf("only the CRON_INVALID waiver is unused here, got: %s", d.Message)
		}
	}
}
