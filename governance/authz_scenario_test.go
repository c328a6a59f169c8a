package governance_test

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/governance"
	"github.com/datasurface/datasurface-go/governance/gitfs"
	"github.com/datasurface/datasurface-go/governance/gitfs/gittest"
)

// scenarioNow is the clock of every scenario check.
var scenarioNow = time.Date(2026, time.March, 1, 12, 0, 0, 0, time.UTC)

// TestAuthorizationScenarios runs every testdata/authz/*.txtar scenario
// (except model.txtar, the model they all start from). A scenario holds
// base/ and head/ files that replace files of the model, and a "want" file:
//
//	pass REPO@BRANCH            the check from this source has no AUTHZ finding
//	pass known                  ... and so has every repository known in base
//	fail REPO@BRANCH RULE PATH  one AUTHZ finding this source gets; the lines
//	                            of one source list all of its AUTHZ findings
//	message REPO@BRANCH REGEXP  a message of this source's findings matches
//
// Both revisions are committed to an in-memory git repository (base on
// branch "base", head on "head") and checked with CheckFS over gitfs.
// Every candidate source is checked: the repositories of both models, the
// live repository, a stranger, and look-alikes of every passing source
// (another letter case, another branch, a similar name). A candidate that is
// neither passing nor listed must get at least one AUTHZ error, and one that
// base does not know must get exactly AUTHZ_UNKNOWN_SOURCE.
func TestAuthorizationScenarios(t *testing.T) {
	model := readScenarioArchive(t, filepath.Join("testdata", "authz", "model.txtar"))
	files, err := filepath.Glob(filepath.Join("testdata", "authz", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, file := range files {
		if filepath.Base(file) == "model.txtar" {
			continue
		}
		ran++
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			runScenario(t, model, readScenarioArchive(t, file))
		})
	}
	if ran < 15 {
		t.Errorf("only %d scenarios found in testdata/authz", ran)
	}
}

func readScenarioArchive(t testing.TB, file string) *txtar.Archive {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return txtar.Parse(data)
}

// scenarioWant is the parsed "want" file of a scenario.
type scenarioWant struct {
	pass      map[string]bool
	passKnown bool
	fail      map[string][]string // source -> sorted "RULE PATH"
	messages  map[string][]*regexp.Regexp
}

func parseScenarioWant(t *testing.T, data []byte) scenarioWant {
	t.Helper()
	w := scenarioWant{pass: map[string]bool{}, fail: map[string][]string{}, messages: map[string][]*regexp.Regexp{}}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		verb, rest, _ := strings.Cut(line, " ")
		src, arg, _ := strings.Cut(rest, " ")
		switch verb {
		case "pass":
			if src == "known" {
				w.passKnown = true
			} else {
				w.pass[src] = true
			}
		case "fail":
			rule, path, _ := strings.Cut(arg, " ")
			w.fail[src] = append(w.fail[src], rule+" "+path)
		case "message":
			w.messages[src] = append(w.messages[src], regexp.MustCompile(arg))
		default:
			t.Fatalf("want line %d: unknown verb %q", i+1, verb)
		}
	}
	for _, f := range w.fail {
		slices.Sort(f)
	}
	return w
}

func runScenario(t *testing.T, model, sc *txtar.Archive) {
	base := map[string][]byte{}
	for _, f := range model.Files {
		base[f.Name] = f.Data
	}
	var want scenarioWant
	head := map[string][]byte{}
	for _, f := range sc.Files {
		switch {
		case strings.HasPrefix(f.Name, "base/"):
			base[strings.TrimPrefix(f.Name, "base/")] = f.Data
		case strings.HasPrefix(f.Name, "head/"):
			head[strings.TrimPrefix(f.Name, "head/")] = f.Data
		case f.Name == "want":
			want = parseScenarioWant(t, f.Data)
		default:
			t.Fatalf("unexpected file %s (want base/..., head/... or want)", f.Name)
		}
	}
	for name, data := range base {
		if _, ok := head[name]; !ok {
			head[name] = data
		}
	}
	b := gittest.InMemory()
	if _, err := b.Commit("base", base); err != nil {
		t.Fatal(err)
	}
	if err := b.Branch("head", "base"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Commit("head", head); err != nil {
		t.Fatal(err)
	}
	repo := gitfs.New(b.Repo)
	baseFS, err := repo.FS("base")
	if err != nil {
		t.Fatal(err)
	}
	headFS, err := repo.FS("head")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// The first check also proves both revisions are valid models.
	first, err := governance.CheckFS(ctx, baseFS, headFS, ecosystem.Repo{Name: "github.com/acme/eco", Branch: "main"}, governance.WithNow(scenarioNow))
	if err != nil {
		t.Fatal(err)
	}
	if first.Head == nil {
		t.Fatalf("head does not evaluate:\n%v", ecosystem.DiagnosticsError(first.Diagnostics))
	}
	known := reposOf(first.Base)
	candidates := map[string]bool{"github.com/evil/eco@main": true}
	for r := range known {
		candidates[r] = true
	}
	for r := range reposOf(first.Head) {
		candidates[r] = true
	}
	candidates[first.Base.LiveRepo.String()] = true
	passing := maps.Clone(want.pass)
	if want.passKnown {
		for r := range known {
			passing[r] = true
		}
	}
	for r := range passing {
		candidates[r] = true
		for _, l := range lookAlikes(t, r) {
			candidates[l] = true
		}
	}
	for src := range want.fail {
		candidates[src] = true
	}
	for src := range want.messages {
		candidates[src] = true
	}
	for _, src := range slices.Sorted(maps.Keys(candidates)) {
		repo, err := ecosystem.ParseRepo(src)
		if err != nil {
			t.Fatal(err)
		}
		res, err := governance.CheckFS(ctx, baseFS, headFS, repo, governance.WithNow(scenarioNow))
		if err != nil {
			t.Fatalf("source %s: %v", src, err)
		}
		var got []string
		var authz ecosystem.Diagnostics
		for _, d := range res.Diagnostics {
			if strings.HasPrefix(d.Rule, "AUTHZ_") {
				got = append(got, d.Rule+" "+d.Path)
				authz = append(authz, d)
			}
		}
		slices.Sort(got)
		switch wantFail, listed := want.fail[src]; {
		case passing[src]:
			if len(got) > 0 {
				t.Errorf("source %s: want no authorization finding, got:\n%v", src, ecosystem.DiagnosticsError(authz))
			}
		case listed:
			if !slices.Equal(got, wantFail) {
				t.Errorf("source %s:\n got  %q\n want %q\n%v", src, got, wantFail, ecosystem.DiagnosticsError(authz))
			}
		case !known[src]:
			if !slices.Equal(got, []string{"AUTHZ_UNKNOWN_SOURCE "}) {
				t.Errorf("source %s is unknown to base: got %q, want only AUTHZ_UNKNOWN_SOURCE", src, got)
			}
		default:
			if authz.Max() < ecosystem.Error {
				t.Errorf("source %s: want at least one authorization error, got none", src)
			}
		}
		for _, re := range want.messages[src] {
			if !slices.ContainsFunc(authz, func(d ecosystem.Diagnostic) bool { return re.MatchString(d.Message) }) {
				t.Errorf("source %s: no message matches %q in:\n%v", src, re, ecosystem.DiagnosticsError(authz))
			}
		}
		for _, d := range authz {
			if d.Rule != "AUTHZ_UNKNOWN_SOURCE" && !d.Pos.IsValid() {
				t.Errorf("source %s: finding without a position: %v", src, d)
			}
		}
	}
}

// reposOf returns the owning repositories of a model (not the live one).
func reposOf(m *ecosystem.Ecosystem) map[string]bool {
	out := map[string]bool{m.Repo.String(): true}
	for _, z := range m.Zones {
		out[z.Repo.String()] = true
		for _, tm := range z.Teams {
			out[tm.Repo.String()] = true
		}
	}
	return out
}

// lookAlikes returns repositories an attacker could hope to be mistaken for
// r: the last path element capitalised, the branch capitalised, another
// branch, and a similar name.
func lookAlikes(t *testing.T, r string) []string {
	repo, err := ecosystem.ParseRepo(r)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.LastIndex(repo.Name, "/") + 1
	upper := repo.Name[:i] + strings.ToUpper(repo.Name[i:i+1]) + repo.Name[i+1:]
	return []string{
		fmt.Sprintf("%s@%s", upper, repo.Branch),
		fmt.Sprintf("%s@%s", repo.Name, strings.ToUpper(repo.Branch[:1])+repo.Branch[1:]),
		fmt.Sprintf("%s@%s-dev", repo.Name, repo.Branch),
		fmt.Sprintf("%s-fork@%s", repo.Name, repo.Branch),
		fmt.Sprintf("%s.git@%s", repo.Name, repo.Branch),
	}
}
