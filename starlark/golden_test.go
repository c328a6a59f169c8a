package starlark

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// renderJSON is the model as indented JSON, the form golden files hold.
func renderJSON(t testing.TB, e *ecosystem.Ecosystem) []byte {
	t.Helper()
	b, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// TestGolden evaluates the small model of testdata/golden/small.txtar and
// compares its JSON with small.golden (go test -update rewrites it).
func TestGolden(t *testing.T) {
	_, fsys := readArchive(t, "testdata/golden/small.txtar")
	got := renderJSON(t, mustEvaluate(t, fsys))
	const golden = "testdata/golden/small.golden"
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the model differs from %s (go test -update rewrites it after review):\n%s", golden, firstDiff(want, got))
	}
}

// firstDiff shows the first differing line of two texts.
func firstDiff(want, got []byte) string {
	wl, gl := bytes.Split(want, []byte("\n")), bytes.Split(got, []byte("\n"))
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g []byte
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if !bytes.Equal(w, g) {
			return "line " + itoa(i+1) + ":\n  want: " + string(w) + "\n  got:  " + string(g)
		}
	}
	return "(no difference)"
}

func itoa(n int) string { return formatInt(int64(n)) }

// TestPositions checks the recorded source of a sample of objects: the call
// position is the callee's name, and each argument, positional or keyword,
// points at its value.
func TestPositions(t *testing.T) {
	_, fsys := readArchive(t, "testdata/golden/small.txtar")
	e := mustEvaluate(t, fsys)
	pos := func(file string, line, col int) ecosystem.Pos { return ecosystem.Pos{File: file, Line: line, Col: col} }
	sales := e.Team("USA", "Sales")
	if sales == nil {
		t.Fatal("no team USA/Sales")
	}
	store, ok := e.Datastore("Customers")
	if !ok {
		t.Fatal("no datastore Customers")
	}
	customers := store.Store.Datasets[0]
	name := customers.Column("name")
	id := customers.Column("id")
	cases := []struct {
		what string
		got  ecosystem.Pos
		want ecosystem.Pos
	}{
		{"ecosystem call", e.Pos, pos("eco.star", 4, 1)},
		{"ecosystem name", e.ArgPos("name"), pos("eco.star", 5, 12)},
		{"zone call", e.Zones[0].Pos, pos("zones/usa.star", 4, 7)},
		{"zone name (positional)", e.Zones[0].ArgPos("name"), pos("zones/usa.star", 4, 12)},
		{"team call", sales.Pos, pos("teams/sales.star", 4, 9)},
		{"team repo", sales.ArgPos("repo"), pos("teams/sales.star", 4, 30)},
		{"store call", store.Store.Pos, pos("teams/sales.star", 6, 9)},
		{"column call", name.Pos, pos("teams/sales.star", 17, 21)},
		{"column name (positional)", name.ArgPos("name"), pos("teams/sales.star", 17, 28)},
		{"column type (positional)", name.ArgPos("type"), pos("teams/sales.star", 17, 36)},
		{"column nullable (keyword)", name.ArgPos("nullable"), pos("teams/sales.star", 17, 63)},
		{"column classification", name.ArgPos("classification"), pos("teams/sales.star", 17, 87)},
		{"column not given falls back to the call", name.ArgPos("key"), pos("teams/sales.star", 17, 21)},
		{"column built in a helper", id.Pos, pos("teams/common.star", 2, 12)},
		{"helper key argument", id.ArgPos("key"), pos("teams/common.star", 2, 42)},
		{"capture", store.Store.Capture.Pos, pos("teams/sales.star", 7, 23)},
		{"container", store.Store.Capture.From.Pos, pos("teams/sales.star", 8, 26)},
		{"repo value inside team", sales.Repo.Pos, pos("teams/sales.star", 4, 30)},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: got %s, want %s", c.what, c.got, c.want)
		}
	}
	// Columns built by one call site (the helper) share one argument table.
	other, _ := e.Datastore("Orders")
	if a, b := id.Args, other.Store.Datasets[0].Column("id").Args; a == nil || a != b {
		t.Errorf("columns built by the same call site do not share their argument table (%p, %p)", a, b)
	}
}

// TestDeterministic evaluates the same files twice, with and without a
// cache, and expects byte-identical models.
func TestDeterministic(t *testing.T) {
	_, fsys := readArchive(t, "testdata/golden/small.txtar")
	first := renderJSON(t, mustEvaluate(t, fsys))
	second := renderJSON(t, mustEvaluate(t, fsys))
	cache := NewCache()
	cached1 := renderJSON(t, mustEvaluate(t, fsys, WithCache(cache)))
	cached2 := renderJSON(t, mustEvaluate(t, fsys, WithCache(cache)))
	for name, got := range map[string][]byte{"second": second, "cached": cached1, "cached again": cached2} {
		if !bytes.Equal(first, got) {
			t.Errorf("%s evaluation differs from the first:\n%s", name, firstDiff(first, got))
		}
	}
	big := synthModel(shapeSmall)
	a := renderJSON(t, mustEvaluate(t, big))
	b := renderJSON(t, mustEvaluate(t, big))
	if !bytes.Equal(a, b) {
		t.Errorf("synthetic model differs between evaluations:\n%s", firstDiff(a, b))
	}
}
