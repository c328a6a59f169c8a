package suggest

import "testing"

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"abc", "abc", 0},
		{"kitten", "sitting", 3},
		{"Live", "Lvie", 1}, // transposition
		{"ab", "ba", 1},     // transposition
		{"ca", "abc", 3},    // OSA, not unrestricted Damerau (which gives 2)
		{"Live", "live", 1}, // exact: no case folding
		{"a_b", "ab", 1},    // exact: no underscore folding
		{"milestonig", "milestoning", 1},
	} {
		if got := Distance(tc.a, tc.b); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := Distance(tc.b, tc.a); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d (symmetry)", tc.b, tc.a, got, tc.want)
		}
	}
}

func TestClosest(t *testing.T) {
	cands := []string{"Customers", "Orders", "Live", "History", "customers_v2", "nullable", "milestoning", "dialect"}
	for _, tc := range []struct {
		name, want string
	}{
		{"Custmers", "Customers"},       // deletion
		{"Lvie", "Live"},                // transposition
		{"CUSTOMERS", "Customers"},      // case only
		{"Histroy", "History"},          // transposition
		{"is_nullable", "nullable"},     // underscores and case ignored
		{"Nullable", "nullable"},        // case only
		{"milestonig", "milestoning"},   // deletion
		{"dia_lect", "dialect"},         // underscore only
		{"CustomersV2", "customers_v2"}, // case and underscore only
		{"Payments", ""},                // nothing close
		{"Orders", ""},                  // itself is not a suggestion
		{"x", ""},                       // short names: one edit at most
		{"", ""},
	} {
		got, ok := Closest(tc.name, cands)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("Closest(%q) = %q, %v; want %q", tc.name, got, ok, tc.want)
		}
	}
}

func TestClosestLimit(t *testing.T) {
	for _, tc := range []struct {
		name, cand string
		ok         bool
	}{
		{"ab", "xb", true},               // n=2: one edit
		{"ab", "xy", false},              // n=2: two edits is too many
		{"abcd", "xycd", true},           // n=4: two edits
		{"abcd", "xyzd", false},          // n=4: three is too many
		{"abcdefghi", "xyzdefghi", true}, // n=9: three edits
		{"abcdefghi", "xyzwefghi", false},
		{"a_b_c_d", "xycd", true}, // the limit uses the folded length (4)
	} {
		if _, ok := Closest(tc.name, []string{tc.cand}); ok != tc.ok {
			t.Errorf("Closest(%q, [%q]) ok = %v, want %v", tc.name, tc.cand, ok, tc.ok)
		}
	}
}

func TestClosestTies(t *testing.T) {
	// Equally near: the earlier candidate wins, whatever its spelling.
	if got, _ := Closest("cat", []string{"cut", "bat", "cot"}); got != "cut" {
		t.Errorf("tie: got %q, want the first, %q", got, "cut")
	}
	if got, _ := Closest("cat", []string{"cot", "cut", "bat"}); got != "cot" {
		t.Errorf("tie: got %q, want the first, %q", got, "cot")
	}
	// A nearer later candidate beats an earlier one.
	if got, _ := Closest("schema", []string{"schemes", "Schema"}); got != "Schema" {
		t.Errorf("got %q, want %q", got, "Schema")
	}
	// An empty candidate can be the answer; ok tells it from none.
	if got, ok := Closest("a", []string{""}); got != "" || !ok {
		t.Errorf("Closest(%q, [\"\"]) = %q, %v; want \"\", true", "a", got, ok)
	}
	if _, ok := Closest("a", nil); ok {
		t.Error("no candidates: ok = true")
	}
}

func BenchmarkClosest(b *testing.B) {
	cands := []string{"name", "team", "datasets", "capture", "owner", "documentation", "tags", "deprecated", "production"}
	b.ReportAllocs()
	for b.Loop() {
		Closest("documentaton", cands)
	}
}
