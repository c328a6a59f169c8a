package lint

import (
	"slices"

	"github.com/datasurface/datasurface-go/internal/suggest"
)

// closest returns the candidate most similar to name, for "did you mean"
// hints, or "" when none is close enough (see suggest.Closest: case and
// underscores are ignored, transpositions are one edit, name itself is never
// suggested). Ties go to the smaller candidate, so that hints do not depend
// on model order.
func closest(name string, candidates []string) string {
	s, _ := suggest.Closest(name, slices.Sorted(slices.Values(candidates)))
	return s
}

// didYouMean returns a hint sentence suggesting the closest candidate, or
// fallback when none is close.
func didYouMean(name string, candidates []string, fallback string) string {
	if c := closest(name, candidates); c != "" {
		return `did you mean "` + c + `"?`
	}
	return fallback
}
