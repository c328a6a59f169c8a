package report

import (
	"strings"
	"testing"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// hostileReport carries model text an attacker controls in every field a
// person reads: a fail() message, a file name, a waiver reason, a path, a
// related note and the title.
func hostileReport() *Report {
	r := cleanReport()
	r.Title = "title\n::error::from the title"
	r.Diagnostics = []ecosystem.Diagnostic{
		{
			Rule: "EVAL_ERROR", Severity: ecosystem.Error, Path: "Z/T\n::error::path",
			Pos:     ecosystem.Pos{File: "teams/x\n::error file=a,line=1::f.star", Line: 3, Col: 2},
			Message: "fail: ok\n::error::injected\r\x1b[31mred\x1b[0m \u202eevil\x00 \xff",
			Hint:    "hint\n::warning::hinted",
			Related: []ecosystem.Related{{Pos: ecosystem.Pos{File: "a\x1b]0;title\x07.star", Line: 1, Col: 1}, Message: "note\n::error::related"}},
		},
		{
			Rule: "R", Severity: ecosystem.Warning, Path: "Z/T", Message: "waived one",
			Waived: &ecosystem.WaiverRef{Path: "Z/T", Reason: "because\x1b[2J\n::error::reason", Expires: "2030-01-01"},
		},
	}
	return r
}

// TestHostileTextCannotInjectCommands checks every human-readable format:
// no raw control or bidi character survives, and no output line, even with
// its leading blanks trimmed as a CI log reader might, starts a GitHub
// Actions workflow command unless the format itself wrote it.
func TestHostileTextCannotInjectCommands(t *testing.T) {
	for _, f := range []Format{Text, GitHub, JUnit, Markdown} {
		t.Run(string(f), func(t *testing.T) {
			out := string(render(t, f, hostileReport()))
			for _, bad := range []string{"\x1b", "\r", "\x00", "\x07", "\u202e", "\xff"} {
				if strings.Contains(out, bad) {
					t.Errorf("output holds the raw character %q:\n%s", bad, out)
				}
			}
			for i, line := range strings.Split(out, "\n") {
				trimmed := strings.TrimSpace(line)
				if !strings.HasPrefix(trimmed, "::") {
					continue
				}
				own := f == GitHub && (strings.HasPrefix(line, "::error ") || strings.HasPrefix(line, "::warning ") || strings.HasPrefix(line, "::notice "))
				if !own {
					t.Errorf("line %d starts a workflow command from model text: %q", i+1, line)
				}
			}
			if f == GitHub {
				// One command per finding, plus the summary line.
				if n := strings.Count(out, "\n"); n != 3 {
					t.Errorf("%d lines, want 3 (two annotations and the summary):\n%s", n, out)
				}
			}
		})
	}
}

func TestTextShowsEscapes(t *testing.T) {
	out := string(render(t, Text, hostileReport()))
	for _, want := range []string{`\x1b[31mred`, `\u202eevil`, `\x00`, `\xff`, `\r`, "  | ::error::injected", `because\x1b[2J\n::error::reason`} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
}
