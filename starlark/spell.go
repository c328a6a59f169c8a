package starlark

import (
	"strconv"

	"github.com/datasurface/datasurface-go/internal/suggest"
)

// nearest returns the candidate closest to x for "did you mean" hints, or ""
// when none is close enough (see suggest.Closest: case and underscores are
// ignored, ties go to the earlier candidate, so callers pass candidates in a
// stable order).
func nearest(x string, candidates []string) string {
	s, _ := suggest.Closest(x, candidates)
	return s
}

// quote returns s as a Go/Starlark double-quoted string literal.
func quote(s string) string { return strconv.Quote(s) }
