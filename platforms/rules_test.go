package platforms_test

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/ecosystem/lint"
	"github.com/datasurface/datasurface-go/ecosystem/report"
	"github.com/datasurface/datasurface-go/governance"
	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/platforms"
	"github.com/datasurface/datasurface-go/platforms/platformtest"
	"github.com/datasurface/datasurface-go/starlark"
	"github.com/datasurface/datasurface-go/types"
)

// TestOneRegistry: this package links every package that has rules, so the
// registry here is the whole program's. Every rule in it is valid, each
// package's own list is registered as it is, the vocabulary has no unused
// word, and SARIF tags are words of it.
func TestOneRegistry(t *testing.T) {
	all := ecosystem.AllRules()
	used := map[string]bool{}
	for _, r := range all {
		if err := ecosystem.ValidateRule(r); err != nil {
			t.Errorf("registered rule: %v", err)
		}
		for _, c := range r.Categories {
			used[c] = true
		}
	}
	for _, c := range ecosystem.Categories() {
		if !used[c] {
			t.Errorf("category %q is in the vocabulary but no rule uses it", c)
		}
	}
	for name, rules := range map[string][]ecosystem.Rule{
		"starlark": starlark.Rules(), "lint": lint.Rules(), "governance": governance.Rules(),
		"graph": graph.Rules(), "platforms": platforms.Rules(),
	} {
		if len(rules) == 0 {
			t.Errorf("package %s lists no rules", name)
		}
		for _, r := range rules {
			got, ok := ecosystem.LookupRule(r.ID)
			if !ok {
				t.Errorf("%s rule %s is not registered", name, r.ID)
			} else if diff := cmp.Diff(r, got); diff != "" {
				t.Errorf("%s rule %s differs from its registration (-package +registry):\n%s", name, r.ID, diff)
			}
		}
	}
	// The types package cannot import ecosystem: its rules are adapted
	// where they enter the registry (package governance).
	for _, info := range types.Rules() {
		r, ok := ecosystem.LookupRule(info.ID)
		if !ok || !strings.HasPrefix(r.Purpose, info.Purpose) || !slices.Contains(r.Categories, ecosystem.CategoryCompatibility) {
			t.Errorf("types rule %s: registered as %+v, %v", info.ID, r, ok)
		}
	}

	var buf bytes.Buffer
	if err := report.Write(&buf, report.SARIF, &report.Report{Rules: all}); err != nil {
		t.Fatal(err)
	}
	var sarif struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID         string `json:"id"`
						Properties struct {
							Tags []string `json:"tags"`
						} `json:"properties"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &sarif); err != nil {
		t.Fatal(err)
	}
	if got := len(sarif.Runs[0].Tool.Driver.Rules); got != len(all) {
		t.Errorf("SARIF describes %d rules, the registry holds %d", got, len(all))
	}
	for _, r := range sarif.Runs[0].Tool.Driver.Rules {
		if len(r.Properties.Tags) == 0 {
			t.Errorf("SARIF rule %s has no tags", r.ID)
		}
		for _, tag := range r.Properties.Tags {
			if !ecosystem.IsCategory(tag) {
				t.Errorf("SARIF rule %s has tag %q, outside the category vocabulary", r.ID, tag)
			}
		}
	}
}

// checkedRule is the rule of the "checked" test platform kind, which is
// registered by binding a platform of that kind and by nothing else.
var checkedRule = ecosystem.Rule{
	ID: "CHECKED_EXPORT_NOTED", Severity: ecosystem.Error, Categories: []string{ecosystem.CategoryPlatform},
	Purpose: "The checked platform reports every export it is given.", Hint: "waive it",
}

const platformRulesModel = `
ecosystem(
    name = "Shop",
    repo = repo("github.com/shop/eco"),
    live_repo = repo("github.com/shop/eco", branch = "live"),
    platforms = [platform("Checked", kind = "checked")%s],
    waivers = [waiver(rule = "CHECKED_EXPORT_NOTED", path = "platforms/Checked", reason = "expected", expires = "2030-06-30")],
    zones = [zone("USA", repo = repo("github.com/shop/usa"), teams = [
        team("Sales", repo = repo("github.com/shop/sales"),
            datastores = [datastore("Orders", capture = sql_snapshot(source = postgres("orders_db")),
                datasets = [dataset("orders", classification = "public", columns = [column("id", "integer", key = True)])])],
            workspaces = [workspace("Reports", groups = [dataset_group("daily", sinks = [sink("Orders", "orders")], platform = "Checked")])]),
    ])],
)
`

func checkedRegistry(t *testing.T) *platforms.Registry {
	t.Helper()
	r := platforms.Builtin()
	mustRegister(t, r, "checked", func(*ecosystem.Platform) (platforms.Platform, error) {
		return &fake{caps: everything, rules: []ecosystem.Rule{checkedRule}, accept: func(p *graph.Pipeline) ecosystem.Diagnostics {
			return ecosystem.Diagnostics{checkedRule.New(ecosystem.PlatformPath(p.Platform), ecosystem.Pos{File: "eco.star", Line: 6}, "platform %s noted its exports", p.Platform)}
		}}, nil
	})
	return r
}

// TestPlatformRulesJoinTheRegistry: a platform kind's own rules are
// registered when a platform of the kind is bound, so a waiver of one is
// neither unknown nor ignored, and reports describe it.
func TestPlatformRulesJoinTheRegistry(t *testing.T) {
	if _, ok := ecosystem.LookupRule(checkedRule.ID); ok {
		t.Fatal("the test rule is registered before any platform was bound")
	}
	m, err := starlark.Evaluate(context.Background(), platformtest.MapFS(map[string]string{"eco.star": strings.Replace(platformRulesModel, "%s", "", 1)}))
	if err != nil {
		t.Fatal(err)
	}
	ds, err := checkedRegistry(t).CheckModel(context.Background(), m, governance.WithNow(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range ds {
		s := d.Rule
		if d.Waived != nil {
			s += " waived"
		}
		got = append(got, s)
	}
	if want := []string{"CHECKED_EXPORT_NOTED waived"}; !slices.Equal(got, want) {
		t.Errorf("findings %v, want %v:\n%v", got, want, ecosystem.DiagnosticsError(ds))
	}
	if r, ok := ecosystem.LookupRule(checkedRule.ID); !ok || r.Purpose != checkedRule.Purpose {
		t.Errorf("after binding, the registry has %+v, %v", r, ok)
	}
	// Binding again, as every check does, registers nothing new.
	if _, err := checkedRegistry(t).CheckModel(context.Background(), m); err != nil {
		t.Fatal(err)
	}
}

// TestPlatformRuleInvalid: a platform kind that declares a rule the
// registry refuses (here another rule's ID) is reported at the kind.
func TestPlatformRuleInvalid(t *testing.T) {
	r := checkedRegistry(t)
	clash := ecosystem.Rule{ID: "NAME_INVALID", Severity: ecosystem.Warning, Categories: []string{ecosystem.CategoryNaming}, Purpose: "Mine.", Hint: "h"}
	mustRegister(t, r, "clashing", func(*ecosystem.Platform) (platforms.Platform, error) {
		return &fake{caps: everything, rules: []ecosystem.Rule{clash}}, nil
	})
	src := strings.Replace(platformRulesModel, "%s", `, platform("Clash", kind = "clashing")`, 1)
	m, err := starlark.Evaluate(context.Background(), platformtest.MapFS(map[string]string{"eco.star": src}))
	if err != nil {
		t.Fatal(err)
	}
	_, diags := r.Bind(m)
	want := []string{`eco.star:6:82 PLATFORM_RULE_INVALID platform Clash (kind "clashing") declares a rule the registry refuses: rule NAME_INVALID is already registered: rule IDs are unique across every package and the host`}
	var got []string
	for _, d := range diags {
		got = append(got, platformtest.Format(d))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Bind (-want +got):\n%s", diff)
	}
	if r, _ := ecosystem.LookupRule("NAME_INVALID"); r.Purpose == "Mine." {
		t.Error("a platform replaced a built-in rule")
	}
}
