package governance_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/governance"
)

var waiverNow = time.Date(2026, time.June, 15, 10, 0, 0, 0, time.UTC)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func waiverAt(rule, path, expires string, line int) *ecosystem.Waiver {
	return &ecosystem.Waiver{Rule: rule, Path: path, Reason: "reviewed", Expires: day(expires),
		Source: ecosystem.Source{Pos: ecosystem.Pos{File: "w.star", Line: line, Col: 1}}}
}

// waiverModel holds waivers at the three levels: the ecosystem, zone USA,
// and its teams Sales and Marketing.
func waiverModel(eco, zone, sales, marketing []*ecosystem.Waiver) *ecosystem.Ecosystem {
	return ecosystem.New(&ecosystem.Ecosystem{
		Name:    "Acme",
		Repo:    ecosystem.Repo{Name: "github.com/acme/eco", Branch: "main"},
		Waivers: eco,
		Zones: []*ecosystem.Zone{{
			Name: "USA", Repo: ecosystem.Repo{Name: "github.com/acme/usa", Branch: "main"}, Waivers: zone,
			Teams: []*ecosystem.Team{
				{Name: "Sales", Repo: ecosystem.Repo{Name: "github.com/acme/sales", Branch: "main"}, Waivers: sales},
				{Name: "Marketing", Repo: ecosystem.Repo{Name: "github.com/acme/marketing", Branch: "main"}, Waivers: marketing},
			},
		}},
	})
}

func finding(rule, path string) ecosystem.Diagnostic {
	return ecosystem.Diagnostic{Rule: rule, Severity: ecosystem.Error, Path: path, Message: rule + " at " + path,
		Pos: ecosystem.Pos{File: "f.star", Line: 1 + len(path), Col: 1}}
}

// summary prints findings as "RULE PATH" plus " waived-by=PATH" when waived.
func summary(ds ecosystem.Diagnostics) []string {
	var out []string
	for _, d := range ds {
		s := d.Rule + " " + d.Path
		if d.Waived != nil {
			s += " waived-by=" + d.Waived.Path
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

func TestApplyWaivers(t *testing.T) {
	for _, tc := range []struct {
		name                        string
		eco, zone, sales, marketing []*ecosystem.Waiver
		findings                    []ecosystem.Diagnostic
		want                        []string
		wantMessage, wantHint       string
	}{
		{
			name:     "active waiver covers its path and everything under it",
			sales:    []*ecosystem.Waiver{waiverAt("DATASET_UNCLASSIFIED", "USA/Sales/Customers", "2026-12-31", 1)},
			findings: []ecosystem.Diagnostic{finding("DATASET_UNCLASSIFIED", "USA/Sales/Customers/people"), finding("DATASET_UNCLASSIFIED", "USA/Sales/CustomersOld/x"), finding("NAME_INVALID", "USA/Sales/Customers")},
			want: []string{
				"DATASET_UNCLASSIFIED USA/Sales/Customers/people waived-by=USA/Sales/Customers",
				"DATASET_UNCLASSIFIED USA/Sales/CustomersOld/x",
				"NAME_INVALID USA/Sales/Customers",
			},
		},
		{
			name:        "expired waiver is an error and covers nothing",
			sales:       []*ecosystem.Waiver{waiverAt("DATASET_UNCLASSIFIED", "USA/Sales", "2026-06-14", 1)},
			findings:    []ecosystem.Diagnostic{finding("DATASET_UNCLASSIFIED", "USA/Sales/Customers/people")},
			want:        []string{"DATASET_UNCLASSIFIED USA/Sales/Customers/people", "WAIVER_EXPIRED USA/Sales"},
			wantMessage: `waiver of DATASET_UNCLASSIFIED at "USA/Sales" in team "USA/Sales" expired at the end of 2026-06-14 UTC (now is 2026-06-15T10:00:00Z)`,
		},
		{
			name:     "a waiver is valid through its whole expiry day",
			sales:    []*ecosystem.Waiver{waiverAt("DATASET_UNCLASSIFIED", "USA/Sales", "2026-06-15", 1)},
			findings: []ecosystem.Diagnostic{finding("DATASET_UNCLASSIFIED", "USA/Sales/Customers/people")},
			want:     []string{"DATASET_UNCLASSIFIED USA/Sales/Customers/people waived-by=USA/Sales"},
		},
		{
			name:        "orphaned waiver is a warning",
			marketing:   []*ecosystem.Waiver{waiverAt("GROUP_NO_SINKS", "USA/Marketing", "2026-12-31", 1)},
			findings:    []ecosystem.Diagnostic{finding("GROUP_NO_SINKS", "USA/Sales/Churn/live")},
			want:        []string{"GROUP_NO_SINKS USA/Sales/Churn/live", "WAIVER_UNUSED USA/Marketing"},
			wantMessage: `waiver of GROUP_NO_SINKS at "USA/Marketing" in team "USA/Marketing" waives nothing`,
		},
		{
			name:        "a waiver of a path no object has says so",
			marketing:   []*ecosystem.Waiver{waiverAt("GROUP_NO_SINKS", "USA/Marketing/Campaigns", "2026-12-31", 1)},
			findings:    []ecosystem.Diagnostic{finding("GROUP_NO_SINKS", "USA/Sales/Churn/live")},
			want:        []string{"GROUP_NO_SINKS USA/Sales/Churn/live", "WAIVER_UNKNOWN_PATH USA/Marketing"},
			wantMessage: `no object of the model has the path "USA/Marketing/Campaigns", so it waives nothing`,
		},
		{
			name:        "a waiver of an unknown rule says so, with a did-you-mean",
			sales:       []*ecosystem.Waiver{waiverAt("DATASET_UNCLASIFIED", "USA/Sales/Customers", "2026-12-31", 1)},
			findings:    []ecosystem.Diagnostic{finding("DATASET_UNCLASSIFIED", "USA/Sales/Customers/people")},
			want:        []string{"DATASET_UNCLASSIFIED USA/Sales/Customers/people", "WAIVER_UNKNOWN_RULE USA/Sales"},
			wantMessage: `no rule has the ID DATASET_UNCLASIFIED`,
			wantHint:    `did you mean DATASET_UNCLASSIFIED?`,
		},
		{
			name: "waivers outside their part are refused and cover nothing",
			eco:  []*ecosystem.Waiver{waiverAt("DATASET_UNCLASSIFIED", "USA/Sales", "2026-12-31", 1)},
			zone: []*ecosystem.Waiver{waiverAt("DATASET_UNCLASSIFIED", "USA/Sales/Customers", "2026-12-31", 2)},
			marketing: []*ecosystem.Waiver{
				waiverAt("DATASET_UNCLASSIFIED", "USA/Sales/Customers", "2026-12-31", 3),
				waiverAt("DATASET_UNCLASSIFIED", "USA/MarketingX", "2026-12-31", 4),
			},
			findings: []ecosystem.Diagnostic{finding("DATASET_UNCLASSIFIED", "USA/Sales/Customers/people"), finding("DATASET_UNCLASSIFIED", "USA/MarketingX")},
			want: []string{
				"DATASET_UNCLASSIFIED USA/MarketingX",
				"DATASET_UNCLASSIFIED USA/Sales/Customers/people",
				"WAIVER_OUT_OF_SCOPE ",
				"WAIVER_OUT_OF_SCOPE USA",
				"WAIVER_OUT_OF_SCOPE USA/Marketing",
				"WAIVER_OUT_OF_SCOPE USA/Marketing",
			},
			wantMessage: `waiver of DATASET_UNCLASSIFIED at "USA/Sales/Customers" in zone "USA": the path lies outside zone "USA", which holds the waiver; it may only cover paths at or under "USA" outside its teams' contents`,
		},
		{
			name: "each part waives its own level, and declarations belong to both sides",
			eco:  []*ecosystem.Waiver{waiverAt("NAME_INVALID", "", "2026-12-31", 1)},
			zone: []*ecosystem.Waiver{waiverAt("REPO_INVALID", "USA/Marketing", "2026-12-31", 2)},
			findings: []ecosystem.Diagnostic{
				finding("NAME_INVALID", ""), finding("NAME_INVALID", "vendors/AWS"), finding("NAME_INVALID", "USA"),
				finding("NAME_INVALID", "USA/Sales"), finding("REPO_INVALID", "USA/Marketing"), finding("REPO_INVALID", "USA/Marketing/Store"),
			},
			want: []string{
				"NAME_INVALID  waived-by=",
				"NAME_INVALID USA waived-by=",
				"NAME_INVALID USA/Sales",
				"NAME_INVALID vendors/AWS waived-by=",
				"REPO_INVALID USA/Marketing waived-by=USA/Marketing",
				"REPO_INVALID USA/Marketing/Store",
			},
		},
		{
			name:  "the most specific waiver wins",
			sales: []*ecosystem.Waiver{waiverAt("DATASET_UNCLASSIFIED", "USA/Sales", "2026-12-31", 1), waiverAt("DATASET_UNCLASSIFIED", "USA/Sales/Customers", "2026-12-31", 2)},
			findings: []ecosystem.Diagnostic{
				finding("DATASET_UNCLASSIFIED", "USA/Sales/Customers/people"), finding("DATASET_UNCLASSIFIED", "USA/Sales/Orders/orders"),
			},
			want: []string{
				"DATASET_UNCLASSIFIED USA/Sales/Customers/people waived-by=USA/Sales/Customers",
				"DATASET_UNCLASSIFIED USA/Sales/Orders/orders waived-by=USA/Sales",
			},
		},
		{
			name: "authorization and waiver findings cannot be waived",
			sales: []*ecosystem.Waiver{
				waiverAt("AUTHZ_UNAUTHORIZED_CHANGE", "USA/Sales", "2026-12-31", 1),
				waiverAt("WAIVER_INVALID", "USA/Sales", "2026-12-31", 2),
			},
			findings: []ecosystem.Diagnostic{finding("AUTHZ_UNAUTHORIZED_CHANGE", "USA/Sales/Customers"), finding("WAIVER_INVALID", "USA/Sales")},
			want: []string{
				"AUTHZ_UNAUTHORIZED_CHANGE USA/Sales/Customers",
				"WAIVER_INVALID USA/Sales",
				"WAIVER_NOT_WAIVABLE USA/Sales",
				"WAIVER_NOT_WAIVABLE USA/Sales",
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := waiverModel(tc.eco, tc.zone, tc.sales, tc.marketing)
			in := ecosystem.Diagnostics(slices.Clone(tc.findings))
			got := governance.ApplyWaivers(m, in, waiverNow)
			if s := summary(got); !slices.Equal(s, tc.want) {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(s, "\n  "), strings.Join(tc.want, "\n  "))
			}
			for i := range in {
				if in[i].Waived != nil {
					t.Errorf("ApplyWaivers modified its input: %v", in[i])
				}
			}
			if !slices.IsSortedFunc(got, ecosystem.Diagnostic.Compare) {
				t.Error("result is not sorted")
			}
			if tc.wantMessage != "" && !slices.ContainsFunc(got, func(d ecosystem.Diagnostic) bool { return strings.Contains(d.Message, tc.wantMessage) }) {
				t.Errorf("no message contains %q in:\n%v", tc.wantMessage, ecosystem.DiagnosticsError(got))
			}
			if tc.wantHint != "" && !slices.ContainsFunc(got, func(d ecosystem.Diagnostic) bool { return strings.Contains(d.Hint, tc.wantHint) }) {
				t.Errorf("no hint contains %q in:\n%v", tc.wantHint, ecosystem.DiagnosticsError(got))
			}
			for _, d := range got {
				if strings.HasPrefix(d.Rule, "WAIVER_") && d.Rule != "WAIVER_INVALID" && !d.Pos.IsValid() {
					t.Errorf("waiver finding without a position: %v", d)
				}
			}
		})
	}
}

func TestApplyWaiversSeverities(t *testing.T) {
	m := waiverModel(nil, nil, []*ecosystem.Waiver{
		waiverAt("DATASET_UNCLASSIFIED", "USA/Sales", "2026-01-01", 1),
		waiverAt("GROUP_NO_SINKS", "USA/Sales", "2026-12-31", 2),
	}, nil)
	got := governance.ApplyWaivers(m, nil, waiverNow)
	sev := map[string]ecosystem.Severity{}
	for _, d := range got {
		sev[d.Rule] = d.Severity
	}
	if sev["WAIVER_EXPIRED"] != ecosystem.Error || sev["WAIVER_UNUSED"] != ecosystem.Warning {
		t.Errorf("severities: expired %v, unused %v; want error and warning", sev["WAIVER_EXPIRED"], sev["WAIVER_UNUSED"])
	}
	if got.Max() != ecosystem.Error {
		t.Errorf("an expired waiver must fail the check")
	}
	if ds := governance.ApplyWaivers(nil, ecosystem.Diagnostics{finding("X", "a")}, waiverNow); len(ds) != 1 || ds[0].Waived != nil {
		t.Errorf("without a model the findings pass through unchanged, got %v", ds)
	}
}
