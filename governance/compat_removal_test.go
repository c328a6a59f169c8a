package governance

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/starlark"
)

// removalModel is a model for TestCompatibilityRemovalPositions: zone "USA"
// with the given team() calls, one a line.
func removalModel(teams ...string) string {
	return `ecosystem(
    "Acme",
    repo = repo("github.com/acme/eco"),
    live_repo = repo("github.com/acme/eco", branch = "live"),
    zones = [zone("USA", repo = repo("github.com/acme/usa"), teams = [
` + strings.Join(teams, "\n") + `
    ])],
)
`
}

// removalTeam is a team named name whose one store, "<name>Store", holds
// the given dataset() calls.
func removalTeam(name string, datasets ...string) string {
	return `        team("` + name + `", repo = repo("github.com/acme/` + strings.ToLower(name) + `"), datastores = [
            datastore("` + name + `Store", datasets = [
` + strings.Join(datasets, "\n") + `
            ]),
        ]),`
}

const (
	removalCustomers = `                dataset("customers", classification = "public", columns = [
                    column("id", "integer", key = True),
                    column("email", "varchar(100)"),
                ]),`
	removalCustomersNoEmail = `                dataset("customers", classification = "public", columns = [
                    column("id", "integer", key = True),
                ]),`
	removalOrders = `                dataset("orders", classification = "public", columns = [
                    column("id", "integer", key = True),
                ]),`
)

// TestCompatibilityRemovalPositions checks where a finding about something
// the head model no longer has points: at the head argument it was removed
// from (a dataset's columns, a store's datasets, a team's datastores, else
// the zone's teams), in the head revision's files, with the declaration in
// the base revision as the first related position, "... was declared here in
// the base revision" at the base line. With no head container left the base
// declaration is the position and there is no such related position.
func TestCompatibilityRemovalPositions(t *testing.T) {
	salesOnly := removalModel(removalTeam("Sales", removalCustomersNoEmail))
	for _, tc := range []struct {
		name, base, head string
		rule             string
		// removed is the text that opens the removed object's declaration in
		// base; what is the related message's subject.
		removed, what string
		// at returns the head argument the finding must point at; nil: the
		// base declaration.
		at func(head *ecosystem.Ecosystem) ecosystem.Pos
	}{
		{
			name:    "column at its dataset's columns",
			base:    removalModel(removalTeam("Sales", removalCustomers)),
			head:    salesOnly,
			rule:    ruleColumnRemoved.ID,
			removed: `column("email"`, what: "the column",
			at: func(h *ecosystem.Ecosystem) ecosystem.Pos {
				d, _ := h.Dataset("SalesStore", "customers")
				return d.Dataset.ArgPos("columns")
			},
		},
		{
			name:    "dataset at its store's datasets",
			base:    removalModel(removalTeam("Sales", removalCustomersNoEmail, removalOrders)),
			head:    salesOnly,
			rule:    ruleRemovedWithoutDeprecation.ID,
			removed: `dataset("orders"`, what: "the dataset",
			at: func(h *ecosystem.Ecosystem) ecosystem.Pos {
				s, _ := h.Datastore("SalesStore")
				return s.Store.ArgPos("datasets")
			},
		},
		{
			name: "store at its team's datastores",
			base: removalModel(removalTeam("Sales", removalCustomersNoEmail), removalTeam("Billing", removalOrders)),
			head: removalModel(removalTeam("Sales", removalCustomersNoEmail), `        team("Billing", repo = repo("github.com/acme/billing"), datastores = []),`),
			rule: ruleRemovedWithoutDeprecation.ID, removed: `datastore("BillingStore"`, what: "the datastore",
			at: func(h *ecosystem.Ecosystem) ecosystem.Pos { return h.Team("USA", "Billing").ArgPos("datastores") },
		},
		{
			name: "store of a removed team at its zone's teams",
			base: removalModel(removalTeam("Sales", removalCustomersNoEmail), removalTeam("Billing", removalOrders)),
			head: salesOnly,
			rule: ruleRemovedWithoutDeprecation.ID, removed: `datastore("BillingStore"`, what: "the datastore",
			at: func(h *ecosystem.Ecosystem) ecosystem.Pos { return h.Zone("USA").ArgPos("teams") },
		},
		{
			name: "store of a removed zone at its base declaration",
			base: removalModel(removalTeam("Sales", removalCustomersNoEmail)),
			head: `ecosystem("Acme", repo = repo("github.com/acme/eco"), live_repo = repo("github.com/acme/eco", branch = "live"), zones = [])` + "\n",
			rule: ruleRemovedWithoutDeprecation.ID, removed: `datastore("SalesStore"`, what: "the datastore",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"base/eco.star": {Data: []byte(tc.base)},
				"head/eco.star": {Data: []byte(tc.head)},
			}
			evaluate := func(entry string) *ecosystem.Ecosystem {
				m, err := starlark.Evaluate(context.Background(), fsys, starlark.WithEntry(entry))
				if err != nil {
					t.Fatalf("evaluating %s: %v", entry, err)
				}
				return m
			}
			base, head := evaluate("base/eco.star"), evaluate("head/eco.star")

			baseLine := 0
			for i, line := range strings.Split(tc.base, "\n") {
				if strings.Contains(line, tc.removed) {
					baseLine = i + 1
					break
				}
			}
			if baseLine == 0 {
				t.Fatalf("base does not declare %s", tc.removed)
			}

			got := Compatibility(base, head)
			checkCompatInvariants(t, got)
			n := 0
			for _, d := range got {
				if d.Rule != tc.rule {
					continue
				}
				n++
				var declared []ecosystem.Related
				for _, r := range d.Related {
					if strings.Contains(r.Message, "base revision") {
						declared = append(declared, r)
					}
				}
				if tc.at == nil {
					if d.Pos.File != "base/eco.star" || d.Pos.Line != baseLine || len(declared) != 0 {
						t.Errorf("%s at %s, related %v: want the base declaration base/eco.star:%d and no related base position", d.Rule, d.Pos, d.Related, baseLine)
					}
					continue
				}
				if want := tc.at(head); d.Pos != want || d.Pos.File != "head/eco.star" {
					t.Errorf("%s at %s, want the head argument at %s in head/eco.star", d.Rule, d.Pos, want)
				}
				want := tc.what + " was declared here in the base revision"
				if len(d.Related) == 0 || d.Related[0].Message != want ||
					d.Related[0].Pos.File != "base/eco.star" || d.Related[0].Pos.Line != baseLine {
					t.Errorf("%s related %v, want first %q at base/eco.star:%d", d.Rule, d.Related, want, baseLine)
				}
				if len(declared) != 1 {
					t.Errorf("%s has %d related base positions, want 1: %v", d.Rule, len(declared), d.Related)
				}
			}
			if n == 0 {
				t.Fatalf("no %s finding:\n%v", tc.rule, ecosystem.DiagnosticsError(got))
			}
		})
	}
}
