package governance_test

import (
	"context"
	"testing"
	"time"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/examples/synthetic"
	"github.com/datasurface/datasurface-go/governance"
	"github.com/datasurface/datasurface-go/starlark"
)

// BenchmarkPullRequestIncrement times what a pull request that changes one
// team's file adds once the base model is evaluated (docs/PERFORMANCE.md:
// "cost grows with the change, not the model"): evaluating the head with the
// cache the base filled (only the changed team file, its zone and eco.star
// run again) and checking base against head. The base evaluation is not
// timed. It reports the head evaluation and the check apart, since the check
// still lints and applies policies to the whole head model.
func BenchmarkPullRequestIncrement(b *testing.B) {
	for _, bc := range []struct {
		name  string
		shape synthetic.Shape
	}{{"medium", synthetic.Medium}, {"large", synthetic.Large}, {"xlarge", synthetic.XLarge}} {
		b.Run(bc.name, func(b *testing.B) {
			if bc.name == "xlarge" && testing.Short() {
				b.Skip("xlarge is skipped with -short")
			}
			baseFiles, err := synthetic.Files(bc.shape, synthetic.Base)
			if err != nil {
				b.Fatal(err)
			}
			headFiles, err := synthetic.Files(bc.shape, synthetic.PullRequest)
			if err != nil {
				b.Fatal(err)
			}
			source := syntheticRepo("Z0_T0_main")
			var evalTime, checkTime time.Duration
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				cache := starlark.NewCache()
				base, err := starlark.Evaluate(context.Background(), mapFS(baseFiles), starlark.WithCache(cache))
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				start := time.Now()
				head, err := starlark.Evaluate(context.Background(), mapFS(headFiles), starlark.WithCache(cache))
				if err != nil {
					b.Fatal(err)
				}
				evaluated := time.Now()
				res, err := governance.Check(context.Background(), base, head, source)
				if err != nil {
					b.Fatal(err)
				}
				if res.Failed(ecosystem.Error) {
					b.Fatalf("the pull request must pass:\n%v", ecosystem.DiagnosticsError(res.Diagnostics))
				}
				evalTime += evaluated.Sub(start)
				checkTime += time.Since(evaluated)
			}
			b.ReportMetric(float64(evalTime.Nanoseconds())/float64(b.N), "head-eval-ns/op")
			b.ReportMetric(float64(checkTime.Nanoseconds())/float64(b.N), "check-ns/op")
		})
	}
}
