package lint

import (
	"strings"
	"testing"
)

func TestCheckIdentifier(t *testing.T) {
	for _, c := range []struct {
		name string
		want identProblem
		bad  int
	}{
		{"Z0_T0_S1", identOK, 0},
		{"ds0", identOK, 0},
		{"WS_Z0_T0_W0", identOK, 0},
		{"dsg", identOK, 0},
		{"SynthEco", identOK, 0},
		{"MyCorp", identOK, 0},
		{"name", identOK, 0}, // non-reserved key word
		{"key", identOK, 0},
		{"selected", identOK, 0},
		{strings.Repeat("a", 128), identOK, 0},
		{"", identEmpty, 0},
		{strings.Repeat("a", 129), identTooLong, 0},
		{"_x", identBadStart, 0},
		{"9lives", identBadStart, 0},
		{"éclair", identBadStart, 0},
		{"café", identBadChar, 3},
		{"a b", identBadChar, 1},
		{"us-east-1", identBadChar, 2},
		{"select", identReserved, 0},
		{"Select", identReserved, 0},
		{"CURRENT_TRANSFORM_GROUP_FOR_TYPE", identReserved, 0},
		{"value", identReserved, 0},
	} {
		p, bad := checkIdentifier(c.name)
		if p != c.want || bad != c.bad {
			t.Errorf("checkIdentifier(%q) = %d, %d; want %d, %d", c.name, p, bad, c.want, c.bad)
		}
	}
}

func TestSuggestIdentifier(t *testing.T) {
	for in, want := range map[string]string{
		"first-name": "first_name",
		"2024data":   "x2024data",
		"select":     "select_",
		"café":       "caf_",
		"":           "x",
	} {
		if got := suggestIdentifier(in); got != want {
			t.Errorf("suggestIdentifier(%q) = %q, want %q", in, got, want)
		}
		if in != "" && !isIdentifier(suggestIdentifier(in)) {
			t.Errorf("suggestIdentifier(%q) = %q is not an identifier", in, suggestIdentifier(in))
		}
	}
}

func TestClosest(t *testing.T) {
	cands := []string{"Customers", "Orders", "Live", "History", "customers_v2"}
	for in, want := range map[string]string{
		"Custmers":  "Customers", // deletion
		"Lvie":      "Live",      // transposition
		"CUSTOMERS": "Customers", // case only
		"Histroy":   "History",
		"Payments":  "", // nothing close
		"Orders":    "", // itself is not a suggestion
	} {
		if got := closest(in, cands); got != want {
			t.Errorf("closest(%q) = %q, want %q", in, got, want)
		}
	}
}

func BenchmarkCheckIdentifier(b *testing.B) {
	names := []string{"Z0_T0_S1", "ds0", "c1", "WS_Z0_T0_W0", "updated_at"}
	b.ReportAllocs()
	for b.Loop() {
		for _, n := range names {
			if !isIdentifier(n) {
				b.Fatal(n)
			}
		}
	}
}
