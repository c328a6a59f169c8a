package governance_test

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/datasurface/datasurface-go/internal/diagtest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/governance"
	"github.com/datasurface/datasurface-go/governance/gitfs"
	"github.com/datasurface/datasurface-go/governance/gitfs/gittest"
)

var update = diagtest.Update // -update rewrites the golden files and generated docs

// goldenResult is the JSON shape of testdata/golden/result.json: the
// source and the findings of one check, for the report formats' golden
// tests.
type goldenResult struct {
	Source      string                `json:"source"`
	Diagnostics ecosystem.Diagnostics `json:"diagnostics"`
}

// TestGoldenResult checks the pull request of
// testdata/golden/pull_request.txtar from git and compares the findings with
// testdata/golden/result.json. Besides guarding the check's output, the
// file is a fixture Result for the report renderers.
func TestGoldenResult(t *testing.T) {
	model := readScenarioArchive(t, filepath.Join("testdata", "authz", "model.txtar"))
	pr := readScenarioArchive(t, filepath.Join("testdata", "golden", "pull_request.txtar"))
	base, head := map[string][]byte{}, map[string][]byte{}
	for _, f := range model.Files {
		base[f.Name] = f.Data
	}
	for _, f := range pr.Files {
		if name, ok := strings.CutPrefix(f.Name, "base/"); ok {
			base[name] = f.Data
		}
	}
	for name, data := range base {
		head[name] = data
	}
	for _, f := range pr.Files {
		if name, ok := strings.CutPrefix(f.Name, "head/"); ok {
			head[name] = f.Data
		}
	}
	b := gittest.InMemory()
	if _, err := b.Commit("main", base); err != nil {
		t.Fatal(err)
	}
	if err := b.Branch("pr", "main"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Commit("pr", head); err != nil {
		t.Fatal(err)
	}
	repo := gitfs.New(b.Repo)
	baseFS, err := repo.FS("main")
	if err != nil {
		t.Fatal(err)
	}
	headFS, err := repo.FS("pr")
	if err != nil {
		t.Fatal(err)
	}
	source := ecosystem.Repo{Name: "github.com/acme/sales", Branch: "main"}
	res, err := governance.CheckFS(context.Background(), baseFS, headFS, source, governance.WithNow(scenarioNow))
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(goldenResult{Source: res.Source.String(), Diagnostics: res.Diagnostics}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	file := filepath.Join("testdata", "golden", "result.json")
	if *update {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (create it with -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the check's findings differ from %s (rerun with -update and review the diff):\n%s", file, got)
	}
	// The fixture must keep showing each kind of finding the renderers meet.
	for _, want := range []string{"AUTHZ_UNAUTHORIZED_CHANGE", "COMPAT_COLUMN_REMOVED", "WAIVER_EXPIRED", "WAIVER_UNUSED", `"waived"`, `"severity": "info"`} {
		if !bytes.Contains(got, []byte(want)) {
			t.Errorf("the golden result has no %s", want)
		}
	}
}
