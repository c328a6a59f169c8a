package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/datasurface/datasurface-go/platforms"
	"github.com/datasurface/datasurface-go/platforms/platformtest"
)

// scriptModel is a small shop: a snapshot store and a watermark store, a
// transformer that enriches orders, and a workspace reading both on the
// sqlscript platform "Scripts". extra is spliced into the Reporting team's
// workspaces, platformOptions into the platform declaration.
func scriptModel(platformOptions, transformerCode, extra string) map[string]string {
	return map[string]string{
		"eco.star": fmt.Sprintf(`
load("//teams.star", "shop", "reporting")

ecosystem(
    name = "Tiny",
    repo = repo("github.com/tiny/eco"),
    live_repo = repo("github.com/tiny/eco", branch = "live"),
    vendors = [vendor("DevBox", cloud = "private", doc = "The developer's machine.", locations = [location("Here")])],
    platforms = [platform("Scripts", kind = "sqlscript"%s)],
    zones = [zone("Home", repo = repo("github.com/tiny/home"), teams = [shop, reporting])],
)
`, platformOptions),
		"teams.star": fmt.Sprintf(`
shop = team("Shop", repo = repo("github.com/tiny/shop"),
    datastores = [
        datastore("ShopDB",
            capture = sql_snapshot(source = postgres("shop", locations = ["DevBox:Here"]), trigger = cron("0 * * * *")),
            datasets = [
                dataset("orders", classification = "internal", columns = [
                    column("order_id", "integer", key = True),
                    column("amount", "decimal(10,2)", nullable = False),
                    column("placed_at", "timestamp(tz=UTC)"),
                    column("customer_id", "bigint"),
                ]),
                dataset("customers", classification = "internal", columns = [
                    column("customer_id", "bigint", key = True),
                    column("name", "varchar(100)"),
                ]),
            ]),
        datastore("Clicks",
            capture = sql_watermark(source = postgres("web", locations = ["DevBox:Here"]), watermark = "seen_at", trigger = cron("*/10 * * * *")),
            datasets = [dataset("clicks", classification = "internal", columns = [
                column("click_id", "ubigint", key = True),
                column("seen_at", "timestamp"),
                column("page", "varchar"),
            ])]),
    ],
)

reporting = team("Reporting", repo = repo("github.com/tiny/reporting"),
    datastores = [
        datastore("Enriched", capture = transformer_output(),
            datasets = [dataset("orders", classification = "internal", columns = [
                column("order_id", "integer", key = True),
                column("customer", "varchar(100)"),
            ])]),
    ],
    workspaces = [
        workspace("Enricher", container = postgres("work", locations = ["DevBox:Here"]),
            groups = [dataset_group("inputs", platform = "Scripts", sinks = [sink("ShopDB", "orders"), sink("ShopDB", "customers")])],
            transformer = transformer("enrich", code = %s, output = "Enriched")),
        workspace("Sales", priority = "high", container = postgres("reports", locations = ["DevBox:Here"]), groups = [
            dataset_group("daily", platform = "Scripts",
                sinks = [sink("ShopDB", "orders"), sink("Clicks", "clicks"), sink("Enriched", "orders")]),
        ]),
        %s
    ],
)
`, transformerCode, extra),
	}
}

const enrichSQL = `sql_code("""INSERT INTO staging."Enriched__orders"
    SELECT o.order_id, c.name FROM staging."ShopDB__orders" o LEFT JOIN staging."ShopDB__customers" c USING (customer_id)""")`

func newKit(t *testing.T) *platformtest.Kit {
	return platformtest.New(t, platformtest.WithKind(sqlScriptKind, newSQLScript))
}

func TestSQLScriptRenders(t *testing.T) {
	m := newKit(t).Model(scriptModel("", enrichSQL, ""))
	m.ExpectAccept("Scripts")
	m.Golden("Scripts", "testdata/sqlscript")
}

func TestSQLScriptSchemaOption(t *testing.T) {
	m := newKit(t).Model(scriptModel(`, options = {"schema": "landing"}`, enrichSQL, ""))
	m.ExpectAccept("Scripts")
	for _, a := range m.Render("Scripts") {
		if a.Name == "001-ingest-Clicks.clicks.sql" {
			if got := string(a.Data); !strings.Contains(got, `CREATE TABLE IF NOT EXISTS "landing"."Clicks__clicks"`) {
				t.Errorf("the schema option is not used:\n%s", got)
			}
			return
		}
	}
	t.Error("no script for ingest:Clicks.clicks")
}

func TestSQLScriptRejects(t *testing.T) {
	extra := `workspace("Live", groups = [dataset_group("now", platform = "Scripts", sinks = [sink("ShopDB", "orders")],
            requirements = requirements(milestoning = "forensic", latency = "minutes"))]),`
	m := newKit(t).Model(scriptModel("", `go_code("Enrich")`, extra))
	m.ExpectAccept("Scripts",
		"teams.star:39:56 SQLSCRIPT_CODE_NOT_SQL transformer enrich of workspace Enricher is go Enrich",
		"teams.star:45:55 PLATFORM_MILESTONING_UNSUPPORTED cannot serve dataset group Live.now: milestoning forensic not supported (supports live)",
		"teams.star:45:77 PLATFORM_LATENCY_UNSUPPORTED cannot serve dataset group Live.now: latency minutes not supported (delivers hours at best)",
	)
	if _, err := platforms.Render(t.Context(), m.Platform("Scripts"), m.Pipeline("Scripts")); err == nil || !strings.Contains(err.Error(), "transformer enrich is go Enrich, not SQL") {
		t.Errorf("rendering a go transformer: %v", err)
	}
}

func TestSQLScriptBadOptions(t *testing.T) {
	m := newKit(t).Model(scriptModel(`, options = {"schema": "Stag-ing", "dialect": "mysql"}`, enrichSQL, ""))
	m.ExpectDiagnostics(
		`eco.star:9:68 PLATFORM_OPTION_INVALID platform Scripts (kind sqlscript): option "dialect" = "mysql": unknown option (this kind takes "schema")`,
		`eco.star:9:68 PLATFORM_OPTION_INVALID platform Scripts (kind sqlscript): option "schema" = "Stag-ing": not a lower-case SQL identifier`,
	)
}

func TestRegisterPlatforms(t *testing.T) {
	r := platforms.Builtin()
	if err := registerPlatforms(r); err != nil {
		t.Fatal(err)
	}
	if err := registerPlatforms(r); err == nil {
		t.Error("registering the kind twice should fail")
	}
	if _, ok := r.Factory(sqlScriptKind); !ok {
		t.Errorf("kinds = %v, want sqlscript among them", r.Kinds())
	}
}
