package starlark

import (
	"strconv"
	"strings"
)

// nearest returns the candidate closest to x by edit distance, for
// "did you mean" hints, or "" when none is close enough (more than a third of
// x's letters, and more than two, differ). Case and underscores are ignored, so "Nullable" and
// "is_nullable" still find "nullable". Ties go to the earlier candidate, so
// callers pass candidates in a stable order.
//
// This is hand-written because the Levenshtein distance is a dozen lines and
// go.starlark.net keeps its own speller internal; a dependency for it would
// cost more than it saves.
func nearest(x string, candidates []string) string {
	fx := foldName(x)
	limit := 1 // the largest distance accepted
	if len(fx) >= 4 {
		limit = max(2, len(fx)/3)
	}
	best, bestD := "", limit+1
	for _, c := range candidates {
		if d := levenshtein(fx, foldName(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

func foldName(s string) string {
	return strings.ToLower(strings.ReplaceAll(s, "_", ""))
}

// levenshtein returns the edit distance between a and b (insertions,
// deletions and substitutions of bytes).
func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// quote returns s as a Go/Starlark double-quoted string literal.
func quote(s string) string { return strconv.Quote(s) }
