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
	r.Title = " ::error::title\n::error::from the title"
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
		{
			// A file and a rule whose names start a command, after a
			// no-break space the Actions runner trims.
			Rule: "::error::rule", Severity: ecosystem.Error, Path: "\u00a0::error::path",
			Pos:     ecosystem.Pos{File: "\u00a0::error::file.star", Line: 1, Col: 1},
			Message: "::error::message",
		},
		{
			Rule: "R", Severity: ecosystem.Info, Path: "::warning::model path", Message: "at a path only",
		},
		{
			// A rule a host registered, with an ID no built-in rule has.
			Rule: "HOST\n::error::rule,x=1", Severity: ecosystem.Warning, Path: "Z/U", Message: "host rule",
		},
	}
	return r
}

// commandLine reports whether a line, with its leading blanks trimmed as a
// CI log reader might, starts a GitHub Actions workflow command.
func commandLine(line string) bool { return strings.HasPrefix(strings.TrimSpace(line), "::") }

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
				if !commandLine(line) {
					continue
				}
				own := f == GitHub && (strings.HasPrefix(line, "::error ") || strings.HasPrefix(line, "::warning ") || strings.HasPrefix(line, "::notice "))
				if !own {
					t.Errorf("line %d starts a workflow command from model text: %q", i+1, line)
				}
			}
			if f == GitHub {
				// One command per finding, plus the summary line.
				if n := strings.Count(out, "\n"); n != 6 {
					t.Errorf("%d lines, want 6 (five annotations and the summary):\n%s", n, out)
				}
				if !strings.Contains(out, "title=HOST\\n%3A%3Aerror%3A%3Arule%2Cx=1::Z/U: host rule") {
					t.Errorf("a rule ID is not escaped as a property value:\n%s", out)
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

// TestHostileJUnitDecodesSafely reads the JUnit file back as a CI system
// does: after XML decoding, no attribute or text holds a raw control
// character or a line that starts a workflow command (CI systems print
// failure messages and bodies into their logs).
func TestHostileJUnitDecodesSafely(t *testing.T) {
	j := parseJUnit(t, render(t, JUnit, hostileReport()))
	var texts []string
	texts = append(texts, j.Name)
	for _, s := range j.Suites {
		texts = append(texts, s.Name)
		for _, c := range s.Cases {
			texts = append(texts, c.Name, c.Classname, c.File, c.SystemOut)
			if c.Failure != nil {
				texts = append(texts, c.Failure.Message, c.Failure.Body)
			}
			if c.Skipped != nil {
				texts = append(texts, c.Skipped.Message)
			}
		}
	}
	for _, text := range texts {
		if strings.ContainsAny(text, "\x1b\r\x00\x07\u202e\ufffd") {
			t.Errorf("decoded value holds a raw or replaced character: %q", text)
		}
		for _, line := range strings.Split(text, "\n") {
			if commandLine(line) {
				t.Errorf("decoded value has a line starting a workflow command: %q in %q", line, text)
			}
		}
	}
}

// TestHostileMarkdownIsInert checks that model text in a pull-request
// comment cannot form a link, an image, HTML, a mention, an issue
// reference, an extra table cell or a block of its own.
func TestHostileMarkdownIsInert(t *testing.T) {
	r := cleanReport()
	r.Title = "1. - title"
	r.Diagnostics = []ecosystem.Diagnostic{{
		Rule: "R", Severity: ecosystem.Error, Path: "Z/T",
		Message: "[click](javascript:alert(1)) ![i](x) <img src=x onerror=alert(1)> <https://a.example> " +
			"https://evil.example www.evil.example x@evil.example @octocat acme/eco#1 a|b &amp; `c`\n- item",
	}}
	md := string(render(t, Markdown, r))
	lines := strings.Split(md, "\n")
	if lines[2] != `1\. - title` {
		t.Errorf("title line = %q, want the ordered-list marker escaped", lines[2])
	}
	rows := tableRows(t, md, "| severity | rule | path | location | message |")
	if len(rows) != 1 || len(rows[0]) != 5 {
		t.Fatalf("rows = %q, want one row of 5 cells", rows)
	}
	cell := rows[0][4]
	// Our own markup in the cell is <br>; every other "<" must be escaped.
	plain := strings.ReplaceAll(cell, "<br>", "")
	for i := 0; i < len(plain); i++ {
		if strings.ContainsRune("<>[]()!`&|", rune(plain[i])) && (i == 0 || plain[i-1] != '\\') &&
			!strings.HasPrefix(plain[i:], "&#8203;") {
			t.Errorf("unescaped %q at %d in %q", plain[i], i, plain)
		}
	}
	for _, trigger := range []string{"://", "www.", "@o", "@e", "#1"} {
		if strings.Contains(plain, trigger) {
			t.Errorf("cell keeps the autolink trigger %q: %q", trigger, plain)
		}
	}
	if !strings.Contains(cell, "<br>- item") {
		t.Errorf("the message's line break is not a <br>: %q", cell)
	}
}
