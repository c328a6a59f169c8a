package governance

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/examples/synthetic"
	"github.com/datasurface/datasurface-go/starlark"
)

// evaluateFiles evaluates a model held in memory, sharing cache (may be nil)
// with other evaluations.
func evaluateFiles(t testing.TB, files map[string][]byte, cache *starlark.Cache) *ecosystem.Ecosystem {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	opts := []starlark.Option{}
	if cache != nil {
		opts = append(opts, starlark.WithCache(cache))
	}
	m, err := starlark.Evaluate(context.Background(), fsys, opts...)
	if err != nil {
		t.Fatalf("evaluating the model: %v", err)
	}
	return m
}

// synthesize returns the files of a synthetic model.
func synthesize(t testing.TB, s synthetic.Shape, v synthetic.Variant) map[string][]byte {
	t.Helper()
	files, err := synthetic.Files(s, v)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestCompatibilitySkipsSharedTeams checks that the cost grows with the
// change: with base and head evaluated through one module cache, only the
// changed team's datasets are compared, and the findings are the same as
// when nothing is shared.
func TestCompatibilitySkipsSharedTeams(t *testing.T) {
	shape := synthetic.Small
	baseFiles := synthesize(t, shape, synthetic.Base)
	headFiles := synthesize(t, shape, synthetic.PullRequestIncompatible)

	cache := starlark.NewCache()
	base := evaluateFiles(t, baseFiles, cache)
	head := evaluateFiles(t, headFiles, cache)
	shared := newCompatChecker(base, head)
	sharedFindings := shared.run()

	// The pull request changes team Z0_T0 only; its other teams are shared.
	changed := base.Team("Z0", synthetic.PRTeam)
	want := 0
	for _, s := range changed.Datastores {
		want += len(s.Datasets)
	}
	if shared.compared != want {
		t.Errorf("compared %d datasets with a shared cache, want the %d of team %s only", shared.compared, want, synthetic.PRTeam)
	}

	fresh := newCompatChecker(evaluateFiles(t, baseFiles, nil), evaluateFiles(t, headFiles, nil))
	freshFindings := fresh.run()
	if fresh.compared != shape.DatasetCount() {
		t.Errorf("compared %d datasets without sharing, want all %d", fresh.compared, shape.DatasetCount())
	}
	if len(sharedFindings) != len(freshFindings) {
		t.Fatalf("shared run found %d findings, fresh run %d", len(sharedFindings), len(freshFindings))
	}
	for i := range sharedFindings {
		if sharedFindings[i].Error() != freshFindings[i].Error() {
			t.Errorf("finding %d differs:\nshared: %s\nfresh:  %s", i, sharedFindings[i].Error(), freshFindings[i].Error())
		}
	}
}

// TestCompatibilitySyntheticPullRequest checks the synthetic pull request
// (docs/PERFORMANCE.md): the compatible variant (nullable columns and a new store) has no
// finding; the incompatible one is refused naming the removed column, at the
// columns argument of its dataset in the pull request's files, with the
// column's base declaration as a related position.
func TestCompatibilitySyntheticPullRequest(t *testing.T) {
	shape := synthetic.Small
	cache := starlark.NewCache()
	base := evaluateFiles(t, synthesize(t, shape, synthetic.Base), cache)
	pr := evaluateFiles(t, synthesize(t, shape, synthetic.PullRequest), cache)
	if got := Compatibility(base, pr); len(got) != 0 {
		t.Errorf("compatible pull request has findings:\n%v", ecosystem.DiagnosticsError(got))
	}

	bad := evaluateFiles(t, synthesize(t, shape, synthetic.PullRequestIncompatible), cache)
	got := Compatibility(base, bad)
	if len(got) != 1 {
		t.Fatalf("incompatible pull request: got %d findings, want 1:\n%v", len(got), ecosystem.DiagnosticsError(got))
	}
	d := got[0]
	ds := base.Team("Z0", synthetic.PRTeam).Datastores[0].Datasets[0]
	last := ds.Columns[len(ds.Columns)-1]
	if ds.Name != "ds0" || last.Name != fmt.Sprintf("c%d", shape.Columns-1) {
		t.Fatalf("the incompatible pull request should drop the last column of ds0, c%d; base has %s.%s", shape.Columns-1, ds.Name, last.Name)
	}
	head, ok := bad.Dataset(synthetic.PRStore, ds.Name)
	if !ok {
		t.Fatalf("the incompatible pull request has no dataset %s.%s", synthetic.PRStore, ds.Name)
	}
	wantPath := ecosystem.ColumnPath("Z0", synthetic.PRTeam, synthetic.PRStore, ds.Name, last.Name)
	wantPos := head.Dataset.ArgPos("columns")
	if d.Rule != ruleColumnRemoved.ID || d.Path != wantPath || d.Pos != wantPos {
		t.Errorf("got %s at %s (path %s), want %s at %s (path %s)", d.Rule, d.Pos, d.Path, ruleColumnRemoved.ID, wantPos, wantPath)
	}
	if wantFile := "teams/" + synthetic.PRTeam + ".star"; d.Pos.File != wantFile || d.Pos == head.Dataset.Pos {
		t.Errorf("finding at %s, want the columns argument of %s in %s", d.Pos, ds.Name, wantFile)
	}
	if !strings.Contains(d.Message, `column "`+last.Name+`"`) {
		t.Errorf("message does not name the removed column %q: %s", last.Name, d.Message)
	}
	wantRelated := ecosystem.Related{Pos: last.Pos, Message: "the column was declared here in the base revision"}
	if len(d.Related) == 0 || d.Related[0] != wantRelated {
		t.Errorf("related positions %v, want first %v", d.Related, wantRelated)
	}
	for _, w := range base.Consumers(synthetic.PRStore, ds.Name) {
		if !strings.Contains(d.Message, w.Workspace.Name) {
			t.Errorf("message does not list consumer %q: %s", w.Workspace.Name, d.Message)
		}
	}
}

// TestCompatibilityNilAndSame checks the trivial inputs: nothing to compare.
func TestCompatibilityNilAndSame(t *testing.T) {
	m := evaluateFiles(t, synthesize(t, synthetic.Small, synthetic.Base), nil)
	for name, got := range map[string]ecosystem.Diagnostics{
		"nil base": Compatibility(nil, m),
		"nil head": Compatibility(m, nil),
		"same":     Compatibility(m, m),
	} {
		if len(got) != 0 {
			t.Errorf("%s: got %d findings, want none", name, len(got))
		}
	}
}
