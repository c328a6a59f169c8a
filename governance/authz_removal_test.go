package governance_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/governance"
)

// TestAuthorizationRemovalPosition checks where an unauthorized removal is
// reported: at the head argument the object was removed from (the lines a
// reviewer sees on the pull request), with its base declaration related.
func TestAuthorizationRemovalPosition(t *testing.T) {
	model := func(datasets string) map[string][]byte {
		return map[string][]byte{"eco.star": []byte(`ecosystem(
    name = "Acme",
    repo = repo("github.com/acme/eco"),
    live_repo = repo("github.com/acme/eco", branch = "live"),
    zones = [zone("USA", repo = repo("github.com/acme/usa"), teams = [
        team("Sales", repo = repo("github.com/acme/sales"), datastores = [
            datastore("Orders", datasets = [` + datasets + `]),
        ]),
    ])],
)
`)}
	}
	const keep = `dataset("a", classification = "public", columns = [column("id", "integer", key = True)])`
	const gone = `dataset("b", classification = "public", columns = [column("id", "integer", key = True)])`
	base := mapFS(model(keep + ",\n" + gone))
	head := mapFS(model(keep))
	res, err := governance.CheckFS(context.Background(), base, head, usaRepo, governance.WithNow(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, d := range res.Diagnostics {
		if d.Rule != "AUTHZ_UNAUTHORIZED_CHANGE" || d.Path != "USA/Sales/Orders/b" {
			continue
		}
		found = true
		// Line 7 of head: `datastore("Orders", datasets = [...`, the datasets argument.
		wantCol := strings.Index(`            datastore("Orders", datasets = [`, "[") + 1
		if d.Pos.Line != 7 || d.Pos.Col != wantCol {
			t.Errorf("removal reported at %s, want the head's datasets argument at 7:%d", d.Pos, wantCol)
		}
		if len(d.Related) == 0 || d.Related[0].Pos.Line != 8 || !strings.Contains(d.Related[0].Message, "base revision") {
			t.Errorf("want the base declaration (line 8) as the first related position, got %+v", d.Related)
		}
	}
	if !found {
		t.Fatalf("no AUTHZ_UNAUTHORIZED_CHANGE for the removed dataset:\n%v", ecosystem.DiagnosticsError(res.Diagnostics))
	}
}

// TestRemoveNotEmptyPosition: removing a team that still has contents is
// reported at the head zone's teams argument, the base team related.
func TestRemoveNotEmptyPosition(t *testing.T) {
	model := func(teams string) map[string][]byte {
		return map[string][]byte{"eco.star": []byte(`ecosystem(
    name = "Acme",
    repo = repo("github.com/acme/eco"),
    live_repo = repo("github.com/acme/eco", branch = "live"),
    zones = [zone("USA", repo = repo("github.com/acme/usa"), teams = [` + teams + `])],
)
`)}
	}
	const sales = `team("Sales", repo = repo("github.com/acme/sales"), doc = "sells")`
	res, err := governance.CheckFS(context.Background(), mapFS(model(sales)), mapFS(model("")), usaRepo, governance.WithNow(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Diagnostics {
		if d.Rule != "AUTHZ_REMOVE_NOT_EMPTY" {
			continue
		}
		// The teams argument's value is the last "[" of line 5.
		wantCol := strings.LastIndex(`    zones = [zone("USA", repo = repo("github.com/acme/usa"), teams = [`, "[") + 1
		if d.Pos.Line != 5 || d.Pos.Col != wantCol {
			t.Errorf("reported at %s, want the head zone's teams argument at 5:%d", d.Pos, wantCol)
		}
		if len(d.Related) == 0 || !strings.Contains(d.Related[0].Message, "base revision") {
			t.Errorf("want the base declaration related, got %+v", d.Related)
		}
		return
	}
	t.Fatalf("no AUTHZ_REMOVE_NOT_EMPTY:\n%v", ecosystem.DiagnosticsError(res.Diagnostics))
}
