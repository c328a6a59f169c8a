package report

import (
	"testing/fstest"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// The fixture sources. teams/sales.star is indented with tabs, so that the
// caret under a finding must account for them; "teams/my team.star" has a
// space in its name, which SARIF must escape in its URI.
var fixtureSources = fstest.MapFS{
	"eco.star": {Data: []byte(`ecosystem(
    name = "Acme",
    waivers = [waiver("KEY_NULLABLE", "USA/Sales/Customers/orders", reason = "legacy | 50%", expires = "2027-01-31")],
)
`)},
	"teams/sales.star": {Data: []byte("sales = team(\"Sales\",\n" +
		"\tdatastores = [datastore(\"Customers\", datasets = [\n" +
		"\t\tdataset(\"customers\", columns = [column(\"id\", key = True, nullable = True)]),\n" +
		"\t\tdataset(\"orders\", columns = [column(\"id\", key = True, nullable = True)]),\n" +
		"\t])],\n" +
		")\n")},
	"teams/my team.star": {Data: []byte("ws = workspace(\"Churn\", groups = [dataset_group(\"live\", sinks = [sink(\"Old\", \"t\")])])\n")},
}

// Positions in the fixture sources. Columns count runes, a tab being one.
var (
	posNullable      = ecosystem.Pos{File: "teams/sales.star", Line: 3, Col: 60}
	posOrdersNull    = ecosystem.Pos{File: "teams/sales.star", Line: 4, Col: 57}
	posStore         = ecosystem.Pos{File: "teams/sales.star", Line: 2, Col: 16}
	posVendor        = ecosystem.Pos{File: "eco.star", Line: 2, Col: 5}
	posWaiver        = ecosystem.Pos{File: "eco.star", Line: 3, Col: 16}
	posDeprecatedUse = ecosystem.Pos{File: "teams/my team.star", Line: 1, Col: 66}
)

// fixtureRules are the rule descriptions of the fixture. NAME_INVALID has no
// finding; MODEL_EMPTY has a finding but no description here.
func fixtureRules() []ecosystem.Rule {
	return []ecosystem.Rule{
		{ID: "VENDOR_UNDOCUMENTED", Severity: ecosystem.Warning, Purpose: "Vendors are documented.", Categories: []string{"lint"}, Hint: "add doc = \"...\" to the vendor"},
		{ID: "KEY_NULLABLE", Severity: ecosystem.Error, Purpose: "Key columns are not nullable.", Categories: []string{"lint", "schema"}, Hint: "remove nullable = True from key columns"},
		{ID: "USES_DEPRECATED", Severity: ecosystem.Info, Purpose: "Workspaces that use deprecated data are listed.", Categories: []string{"lint"}},
		{ID: "AUTH_UNOWNED", Severity: ecosystem.Error, Purpose: "A pull request changes only what its repository owns.", Categories: []string{"authorization"}},
		{ID: "NAME_INVALID", Severity: ecosystem.Error, Purpose: "Names are SQL identifiers.", Categories: []string{"lint"}},
	}
}

// fixtureDiagnostics has errors, a warning, an info, a waived finding,
// related positions, findings without a position (one with a path, one
// without), and text that needs escaping in every format: quotes, %, commas,
// colons, pipes, angle brackets, ampersands, Markdown emphasis, links,
// mentions and line breaks. It is deliberately out of report order.
func fixtureDiagnostics() ecosystem.Diagnostics {
	return ecosystem.Diagnostics{
		{
			Rule: "USES_DEPRECATED", Severity: ecosystem.Info,
			Path: "USA/Sales/Churn/live", Pos: posDeprecatedUse,
			Message: "sink uses deprecated dataset *Old*/_t_ see [docs](https://x) @octocat #12 `x`",
		},
		{
			Rule: "AUTH_UNOWNED", Severity: ecosystem.Error, Path: "USA/Marketing",
			Message: "team \"Marketing\" changed by github.com/acme/sales@main,\nowned by github.com/acme/marketing@main",
			Hint:    "make this change from github.com/acme/marketing@main",
		},
		{
			Rule: "KEY_NULLABLE", Severity: ecosystem.Error,
			Path: "USA/Sales/Customers/customers/id", Pos: posNullable,
			Message: `key column "id" of dataset "customers" is nullable`,
			Hint:    "remove nullable = True: a key column is never null",
			Related: []ecosystem.Related{{Pos: posStore, Message: "in datastore \"Customers\""}},
		},
		{
			Rule: "MODEL_EMPTY", Severity: ecosystem.Warning,
			Message: "the model declares no platform",
		},
		{
			Rule: "VENDOR_UNDOCUMENTED", Severity: ecosystem.Warning,
			Path: "vendors/AWS", Pos: posVendor,
			Message: `vendor "AWS" has no doc: <b>a|b</b> & 100%, key: value`,
			Hint:    "add doc = \"...\"",
		},
		{
			Rule: "KEY_NULLABLE", Severity: ecosystem.Error,
			Path: "USA/Sales/Customers/orders/id", Pos: posOrdersNull,
			Message: `key column "id" of dataset "orders" is nullable`,
			Waived: &ecosystem.WaiverRef{
				Path: "USA/Sales/Customers/orders", Reason: "legacy | 50%", Expires: "2027-01-31", Pos: posWaiver,
			},
		},
	}
}

// fixtureReport is the full report rendered by the golden tests.
func fixtureReport() *Report {
	return &Report{
		Tool:        Tool{Name: "dsl", Version: "v0.1.0-test", InformationURI: "https://github.com/datasurface/datasurface-go"},
		Command:     "check",
		Title:       "github.com/acme/eco main..feature from github.com/acme/sales@feature",
		Rules:       fixtureRules(),
		Diagnostics: fixtureDiagnostics(),
		Root:        "models",
		Sources:     FromFS(fixtureSources),
	}
}

// cleanReport is a run with no finding.
func cleanReport() *Report {
	return &Report{
		Tool:    Tool{Name: "dsl", Version: "v0.1.0-test"},
		Command: "lint",
		Rules:   fixtureRules(),
		Sources: FromFS(fixtureSources),
	}
}
