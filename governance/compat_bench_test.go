package governance

import (
	"testing"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/examples/synthetic"
	"github.com/datasurface/datasurface-go/starlark"
)

// BenchmarkCompatibility times Compatibility on the large synthetic model's
// incompatible pull request (docs/PERFORMANCE.md), evaluated once outside
// the timer. "shared" evaluates base and head through one module cache, as
// the check does, so only the changed team is walked; "unshared" evaluates
// them separately, the worst case, where every dataset is compared.
func BenchmarkCompatibility(b *testing.B) {
	shape := synthetic.Large
	baseFiles := synthesize(b, shape, synthetic.Base)
	headFiles := synthesize(b, shape, synthetic.PullRequestIncompatible)
	cache := starlark.NewCache()
	sharedBase := evaluateFiles(b, baseFiles, cache)
	sharedHead := evaluateFiles(b, headFiles, cache)
	for _, bc := range []struct {
		name       string
		base, head *ecosystem.Ecosystem
	}{
		{"large/shared", sharedBase, sharedHead},
		{"large/unshared", evaluateFiles(b, baseFiles, nil), evaluateFiles(b, headFiles, nil)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if got := Compatibility(bc.base, bc.head); len(got) != 1 {
					b.Fatalf("got %d findings, want 1", len(got))
				}
			}
		})
	}
}
