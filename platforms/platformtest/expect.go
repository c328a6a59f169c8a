package platformtest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// Expect checks a list of findings against expectations, in any order. Each
// expectation is "POSITION RULE MESSAGE": the position as file:line:col (or
// "-" for none), the rule ID, then optionally text the message must contain.
// Every expectation must match a distinct finding and every finding an
// expectation; on failure the findings are listed in this form, ready to
// paste.
func Expect(t testing.TB, got ecosystem.Diagnostics, want ...string) {
	t.Helper()
	type expectation struct {
		pos, rule, text string
	}
	exps := make([]expectation, len(want))
	for i, w := range want {
		f := strings.SplitN(strings.TrimSpace(w), " ", 3)
		if len(f) < 2 {
			t.Fatalf("platformtest: expectation %q: want \"POSITION RULE [MESSAGE TEXT]\", for example \"eco.star:12:5 PLATFORM_CAPTURE_UNSUPPORTED capture kind cdc\"", w)
		}
		exps[i] = expectation{pos: f[0], rule: f[1]}
		if len(f) == 3 {
			exps[i].text = f[2]
		}
	}
	used := make([]bool, len(got))
	var missing []string
	for i, e := range exps {
		found := false
		for j, d := range got {
			if !used[j] && d.Pos.String() == e.pos && d.Rule == e.rule && strings.Contains(d.Message, e.text) {
				used[j], found = true, true
				break
			}
		}
		if !found {
			missing = append(missing, want[i])
		}
	}
	var extra []string
	for j, d := range got {
		if !used[j] {
			extra = append(extra, Format(d))
		}
	}
	if len(missing) == 0 && len(extra) == 0 {
		return
	}
	var b strings.Builder
	for _, m := range missing {
		fmt.Fprintf(&b, "\n  missing:    %s", m)
	}
	for _, x := range extra {
		fmt.Fprintf(&b, "\n  unexpected: %s", x)
	}
	b.WriteString("\nall findings:")
	for _, d := range got {
		fmt.Fprintf(&b, "\n  %q", Format(d))
	}
	t.Errorf("platformtest: findings differ:%s", b.String())
}

// Format writes a finding in the form Expect reads: "POSITION RULE MESSAGE".
func Format(d ecosystem.Diagnostic) string {
	return d.Pos.String() + " " + d.Rule + " " + d.Message
}
