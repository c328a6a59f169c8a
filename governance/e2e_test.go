package governance_test

import (
	"context"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/examples/synthetic"
	"github.com/datasurface/datasurface-go/governance"
	"github.com/datasurface/datasurface-go/governance/gitfs"
	"github.com/datasurface/datasurface-go/governance/gitfs/gittest"
	"github.com/datasurface/datasurface-go/starlark"
)

// The branches of the synthetic pull request (docs/PERFORMANCE.md): the base
// model on the ecosystem's branch, the pull request on team Z0_T0's.
const (
	syntheticBase         = "eco_main"
	syntheticHead         = "Z0_T0_main"
	syntheticIncompatible = "Z0_T0_incompatible"
)

func syntheticRepo(name string) ecosystem.Repo {
	return ecosystem.Repo{Name: synthetic.RepoName, Branch: name}
}

// writeSyntheticRepo writes a bare repository with the synthetic model of
// the given shape on eco_main, the pull request on Z0_T0_main and, when
// incompatible is set, the incompatible pull request on Z0_T0_incompatible.
func writeSyntheticRepo(tb testing.TB, dir string, shape synthetic.Shape, incompatible bool) {
	tb.Helper()
	files := func(v synthetic.Variant) map[string][]byte {
		f, err := synthetic.Files(shape, v)
		if err != nil {
			tb.Fatal(err)
		}
		return f
	}
	if !incompatible {
		if err := gittest.WritePullRequest(dir, syntheticBase, files(synthetic.Base), syntheticHead, files(synthetic.PullRequest)); err != nil {
			tb.Fatal(err)
		}
		return
	}
	b, err := gittest.Init(dir, true)
	if err != nil {
		tb.Fatal(err)
	}
	steps := []func() error{
		func() error { _, err := b.Commit(syntheticBase, files(synthetic.Base)); return err },
		func() error { return b.Branch(syntheticHead, syntheticBase) },
		func() error { _, err := b.Commit(syntheticHead, files(synthetic.PullRequest)); return err },
		func() error { return b.Branch(syntheticIncompatible, syntheticBase) },
		func() error {
			_, err := b.Commit(syntheticIncompatible, files(synthetic.PullRequestIncompatible))
			return err
		},
		b.Repack,
	}
	for _, step := range steps {
		if err := step(); err != nil {
			tb.Fatal(err)
		}
	}
}

// checkGit runs the whole check the way `dsl check` does: open the
// repository, read both revisions, evaluate, check.
func checkGit(tb testing.TB, dir, baseRev, headRev string, source ecosystem.Repo) *governance.Result {
	tb.Helper()
	repo, err := gitfs.Open(dir)
	if err != nil {
		tb.Fatal(err)
	}
	base, err := repo.FS(baseRev)
	if err != nil {
		tb.Fatal(err)
	}
	head, err := repo.FS(headRev)
	if err != nil {
		tb.Fatal(err)
	}
	res, err := governance.CheckFS(context.Background(), base, head, source, governance.WithNow(scenarioNow))
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

func TestEndToEndSynthetic(t *testing.T) {
	dir := t.TempDir()
	writeSyntheticRepo(t, dir, synthetic.Small, true)

	t.Run("from the team's repository the pull request passes", func(t *testing.T) {
		res := checkGit(t, dir, syntheticBase, syntheticHead, syntheticRepo("Z0_T0_main"))
		if res.Failed(ecosystem.Error) {
			t.Errorf("want no error, got:\n%v", ecosystem.DiagnosticsError(res.Diagnostics))
		}
	})

	t.Run("from another team's repository it is refused, naming objects and owners", func(t *testing.T) {
		res := checkGit(t, dir, syntheticBase, syntheticHead, syntheticRepo("Z0_T1_main"))
		paths := map[string]string{}
		for _, d := range res.Diagnostics {
			if d.Rule == "AUTHZ_UNAUTHORIZED_CHANGE" {
				paths[d.Path] = d.Message
			}
		}
		for _, want := range []struct{ path, message string }{
			{"Z0/Z0_T0/Z0_T0_SPR", `datastore "Z0/Z0_T0/Z0_T0_SPR": added`},
			{"Z0/Z0_T0/Z0_T0_S0/ds0", `dataset "Z0/Z0_T0/Z0_T0_S0/ds0": column "pr_extra" added`},
			{"Z0/Z0_T0/Z0_T0_S0/ds9", `column "pr_extra" added`},
		} {
			msg, ok := paths[want.path]
			switch {
			case !ok:
				t.Errorf("no AUTHZ_UNAUTHORIZED_CHANGE at %s in:\n%v", want.path, ecosystem.DiagnosticsError(res.Diagnostics))
			case !strings.Contains(msg, want.message) || !strings.Contains(msg, "owned by github.com/synth/model@Z0_T0_main") || !strings.Contains(msg, "comes from github.com/synth/model@Z0_T1_main"):
				t.Errorf("message at %s does not name the object, the owner and the source: %s", want.path, msg)
			}
		}
		if len(paths) != synthetic.Small.Datasets+1 {
			t.Errorf("want one finding per changed dataset plus the new store (%d), got %d", synthetic.Small.Datasets+1, len(paths))
		}
	})

	t.Run("the incompatible variant is refused, naming the removed column", func(t *testing.T) {
		res := checkGit(t, dir, syntheticBase, syntheticIncompatible, syntheticRepo("Z0_T0_main"))
		found := false
		for _, d := range res.Diagnostics {
			if strings.HasPrefix(d.Rule, "COMPAT_") && d.Severity == ecosystem.Error && d.Waived == nil &&
				strings.HasPrefix(d.Path, "Z0/Z0_T0/Z0_T0_S0/ds0") && strings.Contains(d.Message, `c9`) {
				found = true
			}
		}
		if !found || !res.Failed(ecosystem.Error) {
			t.Errorf("want a compatibility error naming column c9 of Z0/Z0_T0/Z0_T0_S0/ds0, got:\n%v", ecosystem.DiagnosticsError(res.Diagnostics))
		}
	})
}

// BenchmarkCheckGit times the whole check of the synthetic pull request from
// its own team: open the repository, read both revisions, evaluate both
// with one shared cache, lint, authorize, compare, apply waivers. The
// repository (packed, as a clone holds it) is written before the timer
// starts, or taken from $DATASURFACE_CHECK_REPO (with branches eco_main and
// Z0_T0_main) to measure the check alone, for example its peak memory.
//
// The xlarge shape runs only when -bench names it (BenchmarkCheckGit/xlarge)
// or $DATASURFACE_BENCH_XLARGE is set, since writing its repository alone
// takes a while.
func BenchmarkCheckGit(b *testing.B) {
	for _, bc := range []struct {
		name  string
		shape synthetic.Shape
	}{{"large", synthetic.Large}, {"xlarge", synthetic.XLarge}} {
		b.Run(bc.name, func(b *testing.B) {
			if bc.name == "xlarge" && !strings.Contains(flagValue("test.bench"), "xlarge") && os.Getenv("DATASURFACE_BENCH_XLARGE") == "" {
				b.Skip("xlarge runs only when -bench names it or $DATASURFACE_BENCH_XLARGE is set")
			}
			dir := os.Getenv("DATASURFACE_CHECK_REPO")
			if dir == "" {
				dir = b.TempDir()
				writeSyntheticRepo(b, dir, bc.shape, false)
			}
			source := syntheticRepo("Z0_T0_main")
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				res := checkGit(b, dir, syntheticBase, syntheticHead, source)
				if res.Failed(ecosystem.Error) {
					b.Fatalf("the pull request must pass:\n%v", ecosystem.DiagnosticsError(res.Diagnostics))
				}
			}
		})
	}
}

func flagValue(name string) string {
	if f := flag.Lookup(name); f != nil {
		return f.Value.String()
	}
	return ""
}

// BenchmarkAuthorizationUnshared times Authorization in its worst case: two
// separately evaluated large models (no object shared between them) checked
// from a repository that owns none of the teams, so every team is compared
// field by field. With CheckFS the unchanged teams are shared and skipped.
func BenchmarkAuthorizationUnshared(b *testing.B) {
	files, err := synthetic.Files(synthetic.Large, synthetic.Base)
	if err != nil {
		b.Fatal(err)
	}
	base, err := starlark.Evaluate(context.Background(), mapFS(files))
	if err != nil {
		b.Fatal(err)
	}
	head, err := starlark.Evaluate(context.Background(), mapFS(files))
	if err != nil {
		b.Fatal(err)
	}
	source := syntheticRepo("Z1_main") // a zone's repository: owns no team
	b.ReportAllocs()
	for b.Loop() {
		if ds := governance.Authorization(base, head, source); len(ds) > 0 {
			b.Fatalf("identical models differ: %v", ds[0])
		}
	}
}
