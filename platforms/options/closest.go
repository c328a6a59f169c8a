package options

import "strings"

// Closest returns the candidate nearest to word by edit distance, ignoring
// case and underscores, or "" when none is close (more than a third of the
// letters, and more than two, differ). Ties go to the earlier candidate.
//
// Hand-written: the edit distance is a dozen lines, and no module the project
// already depends on exports one.
func Closest(word string, candidates []string) string {
	w := fold(word)
	limit := 1
	if len(w) >= 4 {
		limit = max(2, len(w)/3)
	}
	best, bestD := "", limit+1
	for _, c := range candidates {
		if d := distance(w, fold(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

func fold(s string) string { return strings.ToLower(strings.ReplaceAll(s, "_", "")) }

// distance is the Levenshtein distance between a and b, in bytes.
func distance(a, b string) int {
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
