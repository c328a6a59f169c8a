package starlark

import (
	"context"
	"errors"
	"testing"
	"testing/fstest"
	"time"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// FuzzEvaluate feeds arbitrary source as eco.star and as a file it may
// load. Evaluation must end, within its small limits, in a model or in
// diagnostics of registered rules with positions; never a panic or a hang
// (an evaluation still running long after its time limit fails the input).
// The seed corpus is in testdata/fuzz/FuzzEvaluate.
func FuzzEvaluate(f *testing.F) {
	f.Add(minimalEco, "x = 1\n")
	f.Add("load(\"lib.star\", \"c\")\n"+minimalEco, "c = column(\"id\", \"decimal(12,2)\", key = True)\n")
	f.Fuzz(func(t *testing.T, eco, lib string) {
		fsys := fstest.MapFS{
			"eco.star": {Data: []byte(eco)},
			"lib.star": {Data: []byte(lib)},
		}
		type result struct {
			e   *ecosystem.Ecosystem
			err error
		}
		done := make(chan result, 1)
		go func() {
			e, err := Evaluate(context.Background(), fsys, WithMaxSteps(200_000), WithTimeout(2*time.Second), WithMaxMemory(64<<20))
			done <- result{e, err}
		}()
		var e *ecosystem.Ecosystem
		var err error
		watchdog := time.NewTimer(10 * time.Second)
		defer watchdog.Stop()
		select {
		case r := <-done:
			e, err = r.e, r.err
		case <-watchdog.C:
			// One step ran far past the time limit: record the input.
			t.Fatal("evaluation ran 10s under a 2s time limit")
		}
		if err == nil {
			if e == nil {
				t.Fatal("no model and no error")
			}
			return
		}
		var de ecosystem.DiagnosticsError
		if !errors.As(err, &de) {
			t.Fatalf("non-diagnostic error from a file system without I/O errors: %v", err)
		}
		if len(de) == 0 {
			t.Fatal("empty diagnostics")
		}
		for _, d := range de {
			if _, ok := ruleByID[d.Rule]; !ok {
				t.Errorf("unregistered rule %s", d.Rule)
			}
			if d.Pos.File == "" || d.Message == "" {
				t.Errorf("diagnostic without a file or message: %+v", d)
			}
		}
	})
}
