// Package customrule tests, in a program of its own, that a host's lint rule
// registered with lint.Register runs everywhere the built-in rules do.
package customrule

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/ecosystem/lint"
	"github.com/datasurface/datasurface-go/ecosystem/report"
	"github.com/datasurface/datasurface-go/governance"
	"github.com/datasurface/datasurface-go/starlark"
)

var storePrefix = ecosystem.Rule{
	ID: "ACME_STORE_PREFIX", Severity: ecosystem.Warning, Categories: []string{ecosystem.CategoryNaming},
	Purpose: "Acme's datastore names start with their team's name.",
	Hint:    "rename the store to start with the team's name",
}

func init() {
	if err := lint.Register(storePrefix, func(m *ecosystem.Ecosystem) ecosystem.Diagnostics {
		var out ecosystem.Diagnostics
		for _, z := range m.Zones {
			for _, t := range z.Teams {
				for _, s := range t.Datastores {
					if !strings.HasPrefix(s.Name, t.Name) {
						out = append(out, ecosystem.Diagnostic{
							Path: ecosystem.JoinPath(z.Name, t.Name, s.Name), Pos: s.Pos,
							Message: "datastore " + s.Name + " does not start with " + t.Name,
						})
					}
				}
			}
		}
		return out
	}); err != nil {
		panic(err)
	}
}

const model = `ecosystem(name = "Acme", repo = repo("github.com/acme/eco"), live_repo = repo("github.com/acme/eco", branch = "live"),
    zones = [zone("USA", repo = repo("github.com/acme/usa"), teams = [
        team("Sales", repo = repo("github.com/acme/sales"), datastores = [datastore("Orders")], waivers = WAIVERS),
    ])])
`

func evaluate(t *testing.T, waivers string) *ecosystem.Ecosystem {
	t.Helper()
	src := strings.Replace(model, "WAIVERS", waivers, 1)
	m, err := starlark.Evaluate(context.Background(), fstest.MapFS{"eco.star": {Data: []byte(src)}})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func find(ds ecosystem.Diagnostics, rule string) *ecosystem.Diagnostic {
	for i := range ds {
		if ds[i].Rule == rule {
			return &ds[i]
		}
	}
	return nil
}

func TestCustomRuleRunsEverywhere(t *testing.T) {
	m := evaluate(t, "[]")
	d := find(lint.Lint(m), "ACME_STORE_PREFIX")
	if d == nil || d.Severity != ecosystem.Warning || d.Hint != storePrefix.Hint || d.Pos.Line != 3 {
		t.Fatalf("lint.Lint: %+v, want the host rule's warning at line 3 with its hint", d)
	}
	ds, err := governance.CheckModel(context.Background(), m)
	if err != nil || find(ds, "ACME_STORE_PREFIX") == nil {
		t.Fatalf("CheckModel: %v %v, want the host rule's finding", ds, err)
	}
	// The pull-request check runs it on the head, and a finding the base
	// already has is demoted to info like a built-in rule's.
	res, err := governance.Check(context.Background(), nil, m, ecosystem.Repo{Name: "github.com/acme/eco", Branch: "main"})
	if err != nil || find(res.Diagnostics, "ACME_STORE_PREFIX") == nil || find(res.Diagnostics, "ACME_STORE_PREFIX").Severity != ecosystem.Warning {
		t.Fatalf("Check of a first model: %v %v, want the host rule's warning", res, err)
	}
	res, err = governance.Check(context.Background(), m, m, ecosystem.Repo{Name: "github.com/acme/eco", Branch: "main"})
	if err != nil || find(res.Diagnostics, "ACME_STORE_PREFIX") == nil || find(res.Diagnostics, "ACME_STORE_PREFIX").Severity != ecosystem.Info {
		t.Fatalf("Check of an unchanged model: %v %v, want the host rule's finding as info", res, err)
	}
	if _, ok := ecosystem.LookupRule("ACME_STORE_PREFIX"); !ok {
		t.Fatal("the rule is not in the ecosystem registry")
	}
	var sarif bytes.Buffer
	if err := report.Write(&sarif, report.SARIF, &report.Report{Rules: ecosystem.AllRules(), Diagnostics: ds}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sarif.String(), `"id": "ACME_STORE_PREFIX"`) {
		t.Error("SARIF does not describe the host rule")
	}
}

func TestCustomRuleIsWaivable(t *testing.T) {
	m := evaluate(t, `[waiver(rule = "ACME_STORE_PREFIX", path = "USA/Sales/Orders", reason = "legacy name", expires = "2099-01-01")]`)
	ds, err := governance.CheckModel(context.Background(), m, governance.WithNow(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	d := find(ds, "ACME_STORE_PREFIX")
	if d == nil || d.Waived == nil {
		t.Fatalf("got %+v, want the finding waived", ds)
	}
	if find(ds, "WAIVER_UNKNOWN_RULE") != nil {
		t.Error("a registered host rule is reported as unknown")
	}
}

func TestRegisterRefusesBadRules(t *testing.T) {
	noop := func(*ecosystem.Ecosystem) ecosystem.Diagnostics { return nil }
	for name, r := range map[string]ecosystem.Rule{
		"duplicate":        storePrefix,
		"built-in ID":      {ID: "NAME_INVALID", Severity: ecosystem.Error, Categories: []string{"naming"}, Purpose: "p", Hint: "h"},
		"unknown category": {ID: "ACME_X", Severity: ecosystem.Error, Categories: []string{"Naming"}, Purpose: "p", Hint: "h"},
		"bad ID":           {ID: "acme-x", Severity: ecosystem.Error, Categories: []string{"naming"}, Purpose: "p", Hint: "h"},
		"no purpose":       {ID: "ACME_Y", Severity: ecosystem.Error, Categories: []string{"naming"}, Hint: "h"},
	} {
		if err := lint.Register(r, noop); err == nil {
			t.Errorf("%s: registered", name)
		}
	}
}
