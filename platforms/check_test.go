package platforms_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/governance"
	"github.com/datasurface/datasurface-go/platforms"
	"github.com/datasurface/datasurface-go/platforms/platformtest"
	"github.com/datasurface/datasurface-go/starlark"
)

var checkNow = governance.WithNow(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))

// TestCheckModelFSIsEvaluateThenCheckModel: the one call gives the model and
// exactly the findings of evaluating it and calling CheckModel, which is
// what dsl lint reports (cmd/dsl's TestEmbeddedCheckModelIsDslLint).
func TestCheckModelFSIsEvaluateThenCheckModel(t *testing.T) {
	fsys := os.DirFS("../examples/acme")
	m, got, err := platforms.Builtin().CheckModelFS(context.Background(), fsys, checkNow)
	if err != nil || m == nil {
		t.Fatalf("CheckModelFS: %v, model %v", err, m)
	}
	evaluated, err := starlark.Evaluate(context.Background(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	want, err := platforms.Builtin().CheckModel(context.Background(), evaluated, checkNow)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CheckModelFS differs from Evaluate + CheckModel (-want +got):\n%s", diff)
	}
	// The example holds one finding, waived; its error text says by what.
	if len(got) != 1 || got[0].Waived == nil || got.Max() != 0 {
		t.Fatalf("examples/acme: %v, want one waived finding", ecosystem.DiagnosticsError(got))
	}
	if s := got[0].Error(); !strings.Contains(s, "(waived by the waiver at teams/analytics.star:") || !strings.Contains(s, "until 2030-06-30: ") {
		t.Errorf("Error() = %q, want the waiver's position and expiry", s)
	}
}

// TestCheckModelFSEvaluationFindings: a model that does not evaluate gives
// its evaluation findings, not an error, as dsl lint reports them.
func TestCheckModelFSEvaluationFindings(t *testing.T) {
	for name, files := range map[string]map[string]string{
		"syntax":       {"eco.star": "ecosystem(name = \n"},
		"no entry":     {"other.star": "x = 1\n"},
		"no ecosystem": {"eco.star": "x = 1\n"},
	} {
		m, ds, err := platforms.Builtin().CheckModelFS(context.Background(), platformtest.MapFS(files), checkNow)
		if err != nil || m != nil || len(ds) == 0 || ds.Max() != ecosystem.Error {
			t.Errorf("%s: model %v, findings %v, error %v: want no model and the evaluation errors", name, m, ds, err)
			continue
		}
		for _, d := range ds {
			if !strings.HasPrefix(d.Rule, "EVAL_") && !strings.HasPrefix(d.Rule, "LOAD_") {
				t.Errorf("%s: %v is not an evaluation finding", name, d)
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := platforms.Builtin().CheckModelFS(ctx, os.DirFS("../examples/acme")); err == nil {
		t.Error("a cancelled check returned no error")
	}
}
