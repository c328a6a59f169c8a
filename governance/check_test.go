package governance_test

import (
	"context"
	"errors"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/ecosystem/lint"
	"github.com/datasurface/datasurface-go/governance"
	"github.com/datasurface/datasurface-go/governance/gitfs"
	"github.com/datasurface/datasurface-go/governance/gitfs/gittest"
	"github.com/datasurface/datasurface-go/starlark"
)

var (
	ecoRepo = ecosystem.Repo{Name: "github.com/acme/eco", Branch: "main"}
	usaRepo = ecosystem.Repo{Name: "github.com/acme/usa", Branch: "main"}
)

// modelFiles returns the files of testdata/authz/model.txtar, with
// replacements.
func modelFiles(t testing.TB, replace map[string]string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, f := range readScenarioArchive(t, "testdata/authz/model.txtar").Files {
		out[f.Name] = f.Data
	}
	for name, data := range replace {
		out[name] = []byte(data)
	}
	return out
}

func mapFS(files map[string][]byte) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	return fsys
}

func rulesOf(ds ecosystem.Diagnostics, prefix string) []string {
	var out []string
	for _, d := range ds {
		if strings.HasPrefix(d.Rule, prefix) {
			out = append(out, d.Rule)
		}
	}
	return out
}

func TestFirstModel(t *testing.T) {
	head := mapFS(modelFiles(t, nil))
	ctx := context.Background()
	res, err := governance.CheckFS(ctx, nil, head, ecoRepo, governance.WithNow(scenarioNow))
	if err != nil {
		t.Fatal(err)
	}
	if res.Base != nil || res.Head == nil {
		t.Fatalf("Base %v, Head %v: want no base and a head", res.Base, res.Head)
	}
	if got := rulesOf(res.Diagnostics, "AUTHZ_"); len(got) > 0 {
		t.Errorf("first model from the ecosystem's repo: got %v", got)
	}
	res, err = governance.CheckFS(ctx, nil, head, usaRepo, governance.WithNow(scenarioNow))
	if err != nil {
		t.Fatal(err)
	}
	got := rulesOf(res.Diagnostics, "AUTHZ_")
	if !slices.Equal(got, []string{"AUTHZ_FIRST_MODEL_SOURCE"}) {
		t.Fatalf("first model from a zone's repo: got %v, want AUTHZ_FIRST_MODEL_SOURCE", got)
	}
	for _, d := range res.Diagnostics {
		if d.Rule == "AUTHZ_FIRST_MODEL_SOURCE" && (!strings.Contains(d.Message, "github.com/acme/eco@main") || !strings.Contains(d.Message, "github.com/acme/usa@main") || d.Pos.File != "eco.star") {
			t.Errorf("the finding must name both repositories and point at eco.star: %v", d)
		}
	}
}

func TestHeadThatDoesNotEvaluate(t *testing.T) {
	base := mapFS(modelFiles(t, nil))
	for name, tc := range map[string]struct {
		files map[string][]byte
		rule  string
	}{
		"syntax error": {modelFiles(t, map[string]string{"teams/sales.star": "sales = team(\n"}), "EVAL_SYNTAX"},
		"no eco.star":  {map[string][]byte{"README": []byte("nothing here")}, "LOAD_NOT_FOUND"},
	} {
		t.Run(name, func(t *testing.T) {
			res, err := governance.CheckFS(context.Background(), base, mapFS(tc.files), ecoRepo)
			if err != nil {
				t.Fatalf("a head that does not evaluate is a finding, not an error: %v", err)
			}
			if res.Head != nil || res.Base == nil {
				t.Errorf("Head %v, Base %v: want no head and the base", res.Head, res.Base)
			}
			if !slices.Contains(rulesOf(res.Diagnostics, ""), tc.rule) || res.Diagnostics.Max() != ecosystem.Error {
				t.Errorf("want an error %s, got:\n%v", tc.rule, ecosystem.DiagnosticsError(res.Diagnostics))
			}
		})
	}
}

func TestBaseThatDoesNotEvaluate(t *testing.T) {
	base := mapFS(modelFiles(t, map[string]string{"eco.star": "ecosystem(\n"}))
	_, err := governance.CheckFS(context.Background(), base, mapFS(modelFiles(t, nil)), ecoRepo)
	var diags ecosystem.DiagnosticsError
	if !errors.As(err, &diags) || !strings.Contains(err.Error(), "base model does not evaluate") {
		t.Fatalf("got %v, want an error wrapping the base's evaluation findings", err)
	}
}

// failingFS fails every read, as a broken disk or a corrupt repository would.
type failingFS struct{}

func (failingFS) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: errors.New("input/output error")}
}

func TestIOErrorsAreErrors(t *testing.T) {
	good := mapFS(modelFiles(t, nil))
	if _, err := governance.CheckFS(context.Background(), failingFS{}, good, ecoRepo); err == nil || !strings.Contains(err.Error(), "input/output error") {
		t.Errorf("base I/O error: got %v", err)
	}
	if _, err := governance.CheckFS(context.Background(), good, failingFS{}, ecoRepo); err == nil || !strings.Contains(err.Error(), "input/output error") {
		t.Errorf("head I/O error: got %v", err)
	}
	if _, err := governance.Check(context.Background(), nil, nil, ecoRepo); err == nil {
		t.Error("Check without a head model must fail")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := governance.CheckFS(ctx, good, good, ecoRepo); err == nil {
		t.Error("a cancelled context must stop the check")
	}
}

// TestPreexistingFindings checks that lint findings the base model already
// has are reported as info, and new ones keep their severity.
func TestPreexistingFindings(t *testing.T) {
	undocumented := strings.Replace(string(modelFiles(t, nil)["eco.star"]), `doc = "Amazon Web Services", `, "", 1)
	base := mapFS(modelFiles(t, map[string]string{"eco.star": undocumented}))
	withGCP := strings.Replace(undocumented, "vendors = [\n", "vendors = [\n        vendor(\"GCP\", cloud = \"gcp\", locations = [location(\"EU\")]),\n", 1)
	head := mapFS(modelFiles(t, map[string]string{"eco.star": withGCP}))
	res, err := governance.CheckFS(context.Background(), base, head, ecoRepo, governance.WithNow(scenarioNow))
	if err != nil {
		t.Fatal(err)
	}
	sev := map[string]ecosystem.Severity{}
	for _, d := range res.Diagnostics {
		if d.Rule == "VENDOR_UNDOCUMENTED" {
			sev[d.Path] = d.Severity
			if d.Path == "vendors/AWS" && !strings.Contains(d.Hint, "base model has this finding too") {
				t.Errorf("the hint must say the finding was already there: %q", d.Hint)
			}
		}
	}
	if sev["vendors/AWS"] != ecosystem.Info || sev["vendors/GCP"] != ecosystem.Warning {
		t.Errorf("severities %v: want the old finding (AWS) as info and the new one (GCP) as a warning\n%v", sev, ecosystem.DiagnosticsError(res.Diagnostics))
	}
}

func TestAcceptanceHook(t *testing.T) {
	files := modelFiles(t, nil)
	var seen *ecosystem.Ecosystem
	hook := func(ctx context.Context, head *ecosystem.Ecosystem) ecosystem.Diagnostics {
		seen = head
		return ecosystem.Diagnostics{{Rule: "PLATFORM_REFUSED", Severity: ecosystem.Error, Path: "USA/Sales/Churn/live", Message: "platform Live cannot serve group live"}}
	}
	res, err := governance.CheckFS(context.Background(), mapFS(files), mapFS(files), ecoRepo, governance.WithAcceptance(hook), governance.WithNow(scenarioNow))
	if err != nil {
		t.Fatal(err)
	}
	if seen == nil || seen != res.Head {
		t.Fatal("the hook was not called with the head model")
	}
	if !slices.Contains(rulesOf(res.Diagnostics, "PLATFORM_"), "PLATFORM_REFUSED") || !res.Failed(ecosystem.Error) {
		t.Errorf("acceptance findings must be reported and fail the check:\n%v", ecosystem.DiagnosticsError(res.Diagnostics))
	}
}

// TestCheckFSSharesUnchangedObjects checks that CheckFS over git evaluates
// both revisions with one cache: objects from files that did not change are
// the same pointers in both models (which the comparisons then skip).
func TestCheckFSSharesUnchangedObjects(t *testing.T) {
	b := gittest.InMemory()
	if _, err := b.Commit("main", modelFiles(t, nil)); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Commit("pr", modelFiles(t, map[string]string{"zones/eu.star": `eu = zone("EU", repo = repo("github.com/acme/eu"), doc = "Europe")`})); err != nil {
		t.Fatal(err)
	}
	repo := gitfs.New(b.Repo)
	base, err := repo.FS("main")
	if err != nil {
		t.Fatal(err)
	}
	head, err := repo.FS("pr")
	if err != nil {
		t.Fatal(err)
	}
	res, err := governance.CheckFS(context.Background(), base, head, ecosystem.Repo{Name: "github.com/acme/eu", Branch: "main"}, governance.WithNow(scenarioNow))
	if err != nil {
		t.Fatal(err)
	}
	if res.Base.Zone("USA") != res.Head.Zone("USA") {
		t.Error("zone USA (unchanged files) is a different object in head: the evaluation cache was not shared")
	}
	if res.Base.Zone("EU") == res.Head.Zone("EU") {
		t.Error("zone EU changed but is the same object")
	}
	if res.Failed(ecosystem.Warning) {
		t.Errorf("the zone's own change must pass:\n%v", ecosystem.DiagnosticsError(res.Diagnostics))
	}
}

func TestRules(t *testing.T) {
	rules := governance.Rules()
	id := regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
	var ids []string
	for _, r := range rules {
		ids = append(ids, r.ID)
		if !id.MatchString(r.ID) || r.Purpose == "" || r.Severity < ecosystem.Info || r.Severity > ecosystem.Error {
			t.Errorf("rule %+v: want a SCREAMING_SNAKE ID, a purpose and a severity", r)
		}
	}
	if !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != len(ids) {
		t.Errorf("rule IDs are not sorted and unique: %v", ids)
	}
	// Every registry contributes, and no two registries define one ID
	// differently (a report could not say which rule fired).
	seen := map[string]ecosystem.Rule{}
	for name, rs := range map[string][]ecosystem.Rule{
		"starlark": starlark.Rules(), "lint": lint.Rules(), "authorization": governance.AuthorizationRules(),
		"waivers": governance.WaiverRules(), "compatibility": governance.CompatibilityRules(), "policies": governance.PolicyRules(),
	} {
		if len(rs) == 0 {
			t.Errorf("registry %s is empty", name)
		}
		for _, r := range rs {
			if !slices.Contains(ids, r.ID) {
				t.Errorf("rule %s of %s is missing from Rules()", r.ID, name)
			}
			if prev, dup := seen[r.ID]; dup && prev.Purpose != r.Purpose {
				t.Errorf("rule ID %s is defined twice: %q and %q", r.ID, prev.Purpose, r.Purpose)
			}
			seen[r.ID] = r
		}
	}
	for _, want := range []string{"AUTHZ_UNAUTHORIZED_CHANGE", "AUTHZ_REMOVE_NOT_EMPTY", "AUTHZ_UNKNOWN_SOURCE", "AUTHZ_FIRST_MODEL_SOURCE",
		"WAIVER_EXPIRED", "WAIVER_UNUSED", "WAIVER_OUT_OF_SCOPE", "WAIVER_NOT_WAIVABLE"} {
		if !slices.Contains(ids, want) {
			t.Errorf("Rules() lacks %s", want)
		}
	}
}
