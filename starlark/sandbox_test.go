package starlark

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestBoundedRange checks that range() in model code behaves as the
// universe's up to MaxRange elements and refuses more, as docs/LANGUAGE.md
// says. Repetition is bounded by the memory budget (guard_test.go).
func TestBoundedRange(t *testing.T) {
	ok := []string{
		"x = len(range(10000000))",
		"x = len(range(-5000000, 5000000))",
		"x = len(range(0, 100000000, 10))",
		"x = list(range(10, 0, -3))",
		"x = range(5)[1:3]",
		"x = type(range(3)) + str(range)",
		"x = [i for i in range(3)]",
	}
	for _, src := range ok {
		fsys := fstest.MapFS{"eco.star": {Data: []byte(src + "\n" + minimalEco)}}
		mustEvaluate(t, fsys)
	}
	bad := map[string]string{
		"x = list(range(1000000000))":             "range: 1000000000 elements is more than model files allow (at most 10000000)",
		"x = range(10000001)":                     "range: 10000001 elements is more than model files allow (at most 10000000)",
		"x = range(-1000000000, 1000000000, 100)": "range: 20000000 elements is more than model files allow",
		"x = range(1, 2, 0)":                      "range: step argument must not be zero",
		"x = range()":                             "range: got 0 arguments, want at least 1",
		"x = range(1, 2, 3, 4)":                   "range: got 4 arguments, want at most 3",
		"x = range(stop = 3)":                     "range: unexpected keyword arguments",
		"for i in range(20000000):\n    pass":     "range: 20000000 elements",
	}
	for src, want := range bad {
		fsys := fstest.MapFS{"eco.star": {Data: []byte(src + "\n" + minimalEco)}}
		d := diagnostics(t, fsys)
		if len(d) != 1 || d[0].Rule != RuleError || !strings.Contains(d[0].Message, want) || d[0].Pos.Line != 1 {
			t.Errorf("%s: got %v, want one %s at line 1 containing %q", src, d, RuleError, want)
		}
	}
}
