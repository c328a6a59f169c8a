package lint

import (
	"fmt"
	"strings"
	"testing"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// want describes one expected finding. Rule, Path and Pos must be equal;
// Msg and Hint are substrings the message and hint must contain; Related,
// when set, is a position that must be among the related ones.
type want struct {
	Rule    string
	Path    string
	Pos     ecosystem.Pos
	Msg     []string
	Hint    string
	Related ecosystem.Pos
}

func (w want) String() string {
	return fmt.Sprintf("%s at %s path %q msg %q hint %q", w.Rule, w.Pos, w.Path, w.Msg, w.Hint)
}

func (w want) matches(d ecosystem.Diagnostic) bool {
	if d.Rule != w.Rule || d.Path != w.Path || d.Pos != w.Pos {
		return false
	}
	for _, s := range w.Msg {
		if !strings.Contains(d.Message, s) {
			return false
		}
	}
	if !strings.Contains(d.Hint, w.Hint) {
		return false
	}
	if w.Related.IsValid() {
		found := false
		for _, r := range d.Related {
			found = found || r.Pos == w.Related
		}
		if !found {
			return false
		}
	}
	return true
}

// expectExactly lints m and fails unless the findings are exactly wants:
// every want matched by its own finding, and no finding left over. The
// severity of each finding must be its rule's registered severity.
func expectExactly(t *testing.T, m *ecosystem.Ecosystem, wants ...want) ecosystem.Diagnostics {
	t.Helper()
	got := Lint(ecosystem.New(m))
	used := make([]bool, len(got))
	for _, w := range wants {
		found := false
		for i, d := range got {
			if !used[i] && w.matches(d) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			t.Errorf("missing finding %s", w)
		}
	}
	for i, d := range got {
		if !used[i] {
			t.Errorf("unexpected finding %s (path %q, hint %q)", d.Error(), d.Path, d.Hint)
		}
		if r, ok := Lookup(d.Rule); !ok || r.Severity != d.Severity {
			t.Errorf("finding %s has severity %s, its rule says %v", d.Rule, d.Severity, r.Severity)
		}
	}
	if t.Failed() {
		t.Logf("all findings:\n%s", dump(got))
	}
	return got
}

func dump(ds ecosystem.Diagnostics) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "  %s\n    path=%q hint=%q related=%v\n", d.Error(), d.Path, d.Hint, d.Related)
	}
	return b.String()
}
