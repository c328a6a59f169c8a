package lint

import "strings"

// closest returns the candidate most similar to name, for "did you mean"
// hints, or "" when none is close enough. A candidate equal but for letter
// case wins; otherwise the smallest edit distance within a third of the
// name's length (at least 1) wins, ties going to the smaller candidate so
// that hints do not depend on model order.
//
// Hand-written because the one in go.starlark.net is internal and this
// package must not depend on Starlark; it only runs on the failure path.
func closest(name string, candidates []string) string {
	best, bestDist := "", -1
	limit := max(1, len(name)/3)
	lower := strings.ToLower(name)
	for _, c := range candidates {
		if c == name {
			continue
		}
		d := editDistance(lower, strings.ToLower(c))
		if d > limit {
			continue
		}
		if bestDist < 0 || d < bestDist || (d == bestDist && c < best) {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and transpositions of neighbours each
// cost 1, so the common typo "Lvie" for "Live" is one edit away. It counts
// bytes (names are ASCII identifiers in practice).
func editDistance(a, b string) int {
	rows := make([][]int, len(a)+1)
	for i := range rows {
		rows[i] = make([]int, len(b)+1)
		rows[i][0] = i
	}
	for j := range rows[0] {
		rows[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d := min(rows[i-1][j]+1, rows[i][j-1]+1, rows[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d = min(d, rows[i-2][j-2]+1)
			}
			rows[i][j] = d
		}
	}
	return rows[len(a)][len(b)]
}

// didYouMean returns a hint sentence suggesting the closest candidate, or
// fallback when none is close.
func didYouMean(name string, candidates []string, fallback string) string {
	if c := closest(name, candidates); c != "" {
		return `did you mean "` + c + `"?`
	}
	return fallback
}
