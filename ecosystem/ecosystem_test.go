package ecosystem_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/types"
)

func TestParseRepo(t *testing.T) {
	for in, want := range map[string]string{
		"github.com/acme/eco":          "github.com/acme/eco@main",
		"github.com/acme/eco@live":     "github.com/acme/eco@live",
		"github.com/acme/eco@feat/x-1": "github.com/acme/eco@feat/x-1",
	} {
		r, err := ecosystem.ParseRepo(in)
		if err != nil || r.String() != want {
			t.Errorf("ParseRepo(%q) = %v, %v; want %s", in, r, err, want)
		}
	}
	// A transport address is not a repository identity.
	for _, bad := range []string{"", "@main", "github.com/acme/eco@", "git@github.com:acme/eco@dev", "acme/@main"} {
		if _, err := ecosystem.ParseRepo(bad); err == nil || !strings.Contains(err.Error(), "NAME@BRANCH") {
			t.Errorf("ParseRepo(%q) error = %v, want one naming the NAME@BRANCH form", bad, err)
		}
	}
	a, b := ecosystem.Repo{Name: "github.com/acme/Sales", Branch: "main"}, ecosystem.Repo{Name: "github.com/acme/sales", Branch: "main"}
	if a.Same(b) || !a.Same(a) {
		t.Error("repository identity must be exact and case-sensitive")
	}
}

func TestPathHasPrefix(t *testing.T) {
	for _, c := range []struct {
		path, prefix string
		want         bool
	}{
		{"USA/Sales/Customers", "USA/Sales", true},
		{"USA/Sales", "USA/Sales", true},
		{"USA/SalesOld", "USA/Sales", false},
		{"USA", "USA/Sales", false},
		{"anything", "", true},
	} {
		if got := ecosystem.PathHasPrefix(c.path, c.prefix); got != c.want {
			t.Errorf("PathHasPrefix(%q, %q) = %v", c.path, c.prefix, got)
		}
	}
	if got := ecosystem.JoinPath("", "USA", "", "Sales"); got != "USA/Sales" {
		t.Errorf("JoinPath skips empty elements: got %q", got)
	}
}

func TestLocations(t *testing.T) {
	for _, c := range []struct {
		outer, inner string
		want         bool
	}{
		{"AWS:USA", "AWS:USA/us-east-1", true},
		{"AWS:USA", "AWS:USA", true},
		{"AWS:USA", "AWS:USAX/a", false},
		{"AWS:USA/us-east-1", "AWS:USA", false},
		{"AWS", "AWS:EU/x", true},
		{"AWS", "AWSX:EU", false},
	} {
		if got := ecosystem.LocationCovers(c.outer, c.inner); got != c.want {
			t.Errorf("LocationCovers(%q, %q) = %v", c.outer, c.inner, got)
		}
	}
	v, p, ok := ecosystem.SplitLocationKey("AWS:USA/us-east-1")
	if !ok || v != "AWS" || !cmp.Equal(p, []string{"USA", "us-east-1"}) {
		t.Errorf("SplitLocationKey = %q %q %v", v, p, ok)
	}
	if _, _, ok := ecosystem.SplitLocationKey("AWS"); ok {
		t.Error("a key without a path must not split")
	}
}

func TestDiagnosticsOrderAndCounts(t *testing.T) {
	at := func(line int) ecosystem.Pos { return ecosystem.Pos{File: "a.star", Line: line, Col: 1} }
	ds := ecosystem.Diagnostics{
		{Rule: "B", Severity: ecosystem.Warning, Pos: at(3), Message: "w"},
		{Rule: "A", Severity: ecosystem.Error, Pos: at(3), Message: "e", Waived: &ecosystem.WaiverRef{}},
		{Rule: "C", Severity: ecosystem.Info, Pos: at(1), Message: "i"},
	}
	ds.Sort()
	var order []string
	for _, d := range ds {
		order = append(order, d.Rule)
	}
	if !cmp.Equal(order, []string{"C", "A", "B"}) {
		t.Errorf("sorted by position then rule: got %v", order)
	}
	if ds.Max() != ecosystem.Warning {
		t.Errorf("Max ignores waived findings: got %v", ds.Max())
	}
	if ds.Count(ecosystem.Error) != 0 || ds.Count(ecosystem.Warning) != 1 {
		t.Error("Count ignores waived findings")
	}
	if ds.Err() != nil {
		t.Error("no unwaived error: Err must be nil")
	}
	ds[2].Severity = ecosystem.Error
	if err := ds.Err(); err == nil || !strings.Contains(err.Error(), "a.star:3:1: error[B]: w") {
		t.Errorf("Err lists the findings as file:line:col: severity[RULE]: message, got %v", err)
	}
}

func TestSeverityText(t *testing.T) {
	for _, s := range []ecosystem.Severity{ecosystem.Info, ecosystem.Warning, ecosystem.Error} {
		b, _ := s.MarshalText()
		var back ecosystem.Severity
		if err := back.UnmarshalText(b); err != nil || back != s {
			t.Errorf("%v does not round-trip: %v", s, err)
		}
	}
	if _, err := ecosystem.ParseSeverity("fatal"); err == nil {
		t.Error("unknown severity must be an error")
	}
}

func TestArgPositions(t *testing.T) {
	call := ecosystem.Pos{File: "t.star", Line: 4, Col: 5}
	s := ecosystem.Source{Pos: call, Args: ecosystem.NewArgPositions(
		[]string{"name", "type"}, []ecosystem.Pos{{File: "t.star", Line: 4, Col: 12}, {}})}
	if got := s.ArgPos("name"); got.Col != 12 {
		t.Errorf("ArgPos(name) = %v", got)
	}
	if got := s.ArgPos("type"); got != call {
		t.Errorf("an argument without a valid position falls back to the call: got %v", got)
	}
	if got := (ecosystem.Source{Pos: call}).ArgPos("x"); got != call {
		t.Errorf("nil table falls back to the call: got %v", got)
	}
}

func TestWaiverExpiry(t *testing.T) {
	w := &ecosystem.Waiver{Rule: "R", Path: "USA/Sales", Expires: time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)}
	if w.Expired(time.Date(2027, 1, 31, 23, 59, 59, 0, time.UTC)) {
		t.Error("a waiver is valid through its whole expiry day (UTC)")
	}
	if !w.Expired(time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)) {
		t.Error("a waiver expires at the end of its expiry day")
	}
	if !w.Covers("R", "USA/Sales/Customers") || w.Covers("R", "USA/SalesOld") || w.Covers("S", "USA/Sales") {
		t.Error("Covers matches the rule and the path prefix")
	}
}

// chain builds a model with a transformer chain: Raw is consumed by
// Builder, whose transformer writes Features, consumed by Scorer, whose
// transformer writes Scores, consumed by Report.
func chain() *ecosystem.Ecosystem {
	ds := func(name string) *ecosystem.Dataset {
		return &ecosystem.Dataset{Name: name, Columns: []*ecosystem.Column{{Name: "id", Type: types.MustParse("integer"), Key: true}}}
	}
	ws := func(name, sinkStore, output string) *ecosystem.Workspace {
		w := &ecosystem.Workspace{Name: name, Groups: []*ecosystem.DatasetGroup{{Name: "g", Sinks: []*ecosystem.Sink{{Store: sinkStore, Dataset: "t"}}}}}
		if output != "" {
			w.Transformer = &ecosystem.Transformer{Name: "x", Output: output}
		}
		return w
	}
	team := &ecosystem.Team{Name: "T",
		Datastores: []*ecosystem.Datastore{{Name: "Raw", Datasets: []*ecosystem.Dataset{ds("t")}}, {Name: "Features", Datasets: []*ecosystem.Dataset{ds("t")}}, {Name: "Scores", Datasets: []*ecosystem.Dataset{ds("t")}}},
		Workspaces: []*ecosystem.Workspace{ws("Scorer", "Features", "Scores"), ws("Builder", "Raw", "Features"), ws("Report", "Scores", "")},
	}
	return ecosystem.New(&ecosystem.Ecosystem{Name: "E", Zones: []*ecosystem.Zone{{Name: "Z", Teams: []*ecosystem.Team{team}}}})
}

func TestConsumersThroughTransformers(t *testing.T) {
	m := chain()
	var names []string
	for _, w := range m.Consumers("Raw", "t") {
		names = append(names, w.Workspace.Name)
	}
	if !cmp.Equal(names, []string{"Builder", "Report", "Scorer"}) {
		t.Errorf("consumers of Raw.t, sorted, through two transformers: got %v", names)
	}
	if got := m.Consumers("Scores", "t"); len(got) != 1 || got[0].Workspace.Name != "Report" {
		t.Errorf("consumers of Scores.t: got %v", got)
	}
	if got := m.Consumers("Nope", "t"); len(got) != 0 {
		t.Errorf("an unknown dataset has no consumers: got %v", got)
	}
	if r, ok := m.TransformerOf("Features"); !ok || r.Workspace.Name != "Builder" {
		t.Error("TransformerOf finds the workspace whose transformer writes a store")
	}
	if r, ok := m.Dataset("Features", "t"); !ok || r.Path() != "Z/T/Features/t" {
		t.Errorf("Dataset lookup and path: %v %v", r.Path(), ok)
	}
}

func TestConsumersSurviveACycle(t *testing.T) {
	m := chain()
	// Make Report's transformer write Raw: Raw -> Builder -> Features -> Scorer -> Scores -> Report -> Raw.
	w, _ := m.Workspace("Report")
	w.Workspace.Transformer = &ecosystem.Transformer{Output: "Raw"}
	m = ecosystem.New(&ecosystem.Ecosystem{Name: "E", Zones: m.Zones})
	if got := len(m.Consumers("Raw", "t")); got != 3 {
		t.Errorf("a cycle is walked once: got %d consumers, want 3", got)
	}
}

func TestLookupsKeepTheFirstOfDuplicates(t *testing.T) {
	first := &ecosystem.Datastore{Name: "S"}
	m := ecosystem.New(&ecosystem.Ecosystem{Zones: []*ecosystem.Zone{{Name: "Z", Teams: []*ecosystem.Team{
		{Name: "A", Datastores: []*ecosystem.Datastore{first}},
		{Name: "B", Datastores: []*ecosystem.Datastore{{Name: "S"}}},
	}}}})
	if r, ok := m.Datastore("S"); !ok || r.Store != first || r.Team.Name != "A" {
		t.Error("a repeated store name resolves to the first in model order")
	}
	if len(m.Datastores()) != 2 {
		t.Error("Datastores lists every store, duplicates included")
	}
}

func TestColumnJSON(t *testing.T) {
	c := &ecosystem.Column{Name: "price", Type: types.MustParse("decimal(12,2)"), Nullable: true}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"name":"price","type":"decimal(12,2)","nullable":true}`; string(b) != want {
		t.Errorf("column JSON = %s, want %s", b, want)
	}
}

func TestModelPathsAndHasPath(t *testing.T) {
	m := ecosystem.New(&ecosystem.Ecosystem{
		Name:      "E",
		Vendors:   []*ecosystem.Vendor{{Name: "AWS", Locations: []*ecosystem.Location{{Name: "USA", Locations: []*ecosystem.Location{{Name: "east"}}}}}},
		Platforms: []*ecosystem.Platform{{Name: "Live"}},
		Zones: []*ecosystem.Zone{{Name: "Z", Teams: []*ecosystem.Team{{
			Name:       "T",
			Datastores: []*ecosystem.Datastore{{Name: "S", Datasets: []*ecosystem.Dataset{{Name: "d", Columns: []*ecosystem.Column{{Name: "c"}}}}}},
			Workspaces: []*ecosystem.Workspace{{Name: "W", Groups: []*ecosystem.DatasetGroup{{Name: "g"}}}},
		}}}},
	})
	var all []string
	m.ModelPaths(func(p string) bool { all = append(all, p); return true })
	want := []string{"", "vendors/AWS", "vendors/AWS/USA", "vendors/AWS/USA/east", "platforms/Live", "Z", "Z/T", "Z/T/S", "Z/T/S/d", "Z/T/S/d/c", "Z/T/W", "Z/T/W/g"}
	if strings.Join(all, ",") != strings.Join(want, ",") {
		t.Errorf("ModelPaths = %q, want %q", all, want)
	}
	for _, p := range want {
		if !m.HasPath(p) {
			t.Errorf("HasPath(%q) = false", p)
		}
	}
	for _, p := range []string{"Y", "Z/U", "Z/T/X", "Z/T/S/e", "Z/T/S/d/x", "Z/T/W/h", "Z/T/S/d/c/deeper", "vendors/GCP", "platforms/History"} {
		if m.HasPath(p) {
			t.Errorf("HasPath(%q) = true", p)
		}
	}
}

func TestDiagnosticErrorSaysWaived(t *testing.T) {
	d := ecosystem.Diagnostic{Rule: "R", Severity: ecosystem.Warning, Message: "m", Pos: ecosystem.Pos{File: "a.star", Line: 2, Col: 3}}
	if got, want := d.Error(), "a.star:2:3: warning[R]: m"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	d.Waived = &ecosystem.WaiverRef{Path: "Z/T", Reason: "legacy feed", Expires: "2030-06-30", Pos: ecosystem.Pos{File: "t.star", Line: 9, Col: 5}}
	if got, want := d.Error(), "a.star:2:3: warning[R]: m (waived by the waiver at t.star:9:5 until 2030-06-30: legacy feed)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	// A waiver built in Go may have no position: the rest still shows.
	d.Waived.Pos = ecosystem.Pos{}
	if got, want := d.Error(), "a.star:2:3: warning[R]: m (waived until 2030-06-30: legacy feed)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	// DiagnosticsError, what Err returns, says it on every waived line.
	ds := ecosystem.Diagnostics{d, {Rule: "E", Severity: ecosystem.Error, Message: "x"}}
	if err := ds.Err(); err == nil || !strings.Contains(err.Error(), "m (waived until 2030-06-30: legacy feed)\nerror[E]: x") {
		t.Errorf("Err() = %v, want both findings, the waived one marked", err)
	}
}
