package options

import "github.com/datasurface/datasurface-go/internal/suggest"

// Closest returns the candidate nearest to word, for "did you mean" hints,
// or "" when none is close (see suggest.Closest: case and underscores are
// ignored, and more than a third of the letters, and more than two, must not
// differ). Ties go to the earlier candidate. The platforms registry uses it
// for unknown kinds.
func Closest(word string, candidates []string) string {
	s, _ := suggest.Closest(word, candidates)
	return s
}
