package suggest

import "strings"

// Closest returns the candidate nearest to name and true, or "" and false
// when none is close enough. Names are compared folded (lower case, without
// underscores), so "Nullable" and "is_nullable" both find "nullable"; a
// candidate equal to name is skipped. With n the folded name's length, a
// candidate is close enough within 1 edit when n < 4, else within
// max(2, n/3). Ties go to the earlier candidate.
func Closest(name string, candidates []string) (string, bool) {
	f := fold(name)
	limit := 1 // the largest distance accepted
	if len(f) >= 4 {
		limit = max(2, len(f)/3)
	}
	best, bestD, found := "", limit+1, false
	for _, c := range candidates {
		if c == name {
			continue
		}
		if d := Distance(f, fold(c)); d < bestD {
			best, bestD, found = c, d, true
		}
	}
	return best, found
}

// fold is the form names are compared in.
func fold(s string) string {
	return strings.ToLower(strings.ReplaceAll(s, "_", ""))
}

// Distance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and transpositions of neighbours
// each cost 1, so the common typo "Lvie" for "Live" is one edit away. It
// counts bytes (names are ASCII identifiers in practice) and is exact: it
// does not fold case or underscores.
func Distance(a, b string) int {
	// Three rows of the dynamic-programming table: i-2, i-1 and i.
	pprev := make([]int, len(b)+1)
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
			d := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d = min(d, pprev[j-2]+1)
			}
			cur[j] = d
		}
		pprev, prev, cur = prev, cur, pprev
	}
	return prev[len(b)]
}
