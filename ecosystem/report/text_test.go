package report

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// caretColumn returns the display column (0-based, after the "| " of the
// gutter) of the caret in a rendered snippet, and the shown source line.
func caretColumn(t *testing.T, snip string) (shown string, caret int) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(snip, "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("snippet has %d lines, want 2:\n%s", len(lines), snip)
	}
	_, shown, _ = strings.Cut(lines[0], " | ")
	_, marks, _ := strings.Cut(lines[1], " | ")
	if strings.TrimLeft(marks, " ") != "^" {
		t.Fatalf("caret line %q is not spaces then ^", lines[1])
	}
	return shown, len(marks) - 1
}

func TestSnippetCaret(t *testing.T) {
	tests := []struct {
		name      string
		line      string
		col       int
		wantShown string
		wantUnder string // the shown text from the caret on
	}{
		{"spaces", `    column("id")`, 5, `    column("id")`, `column("id")`},
		{"one tab", "\tcolumn(\"id\")", 2, `    column("id")`, `column("id")`},
		{"tab after text", "ab\tc", 4, "ab  c", "c"},
		{"two tabs", "\t\tx = 1", 3, "        x = 1", "x = 1"},
		{"multibyte runes", `name = "café" # ok`, 15, `name = "café" # ok`, "# ok"},
		{"first column", "x", 1, "x", "x"},
		{"past the end", "abc", 9, "abc", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			shown, caret := caretColumn(t, snippet("  ", 7, tt.line, tt.col))
			if shown != tt.wantShown {
				t.Errorf("shown line = %q, want %q", shown, tt.wantShown)
			}
			runes := []rune(shown)
			if caret > len(runes) {
				t.Fatalf("caret at %d is beyond the shown line %q", caret, shown)
			}
			if under := string(runes[caret:]); under != tt.wantUnder {
				t.Errorf("caret points at %q, want %q", under, tt.wantUnder)
			}
		})
	}
}

func TestSnippetWithoutColumnHasNoCaret(t *testing.T) {
	got := snippet("  ", 12, "x = 1", 0)
	if got != "  12 | x = 1\n" {
		t.Errorf("snippet with unknown column = %q, want only the source line", got)
	}
}

func TestTextFindingShapes(t *testing.T) {
	src := fstest.MapFS{"m.star": {Data: []byte("a = 1\r\nb = 2\n")}}
	tests := []struct {
		name string
		r    Report
		want string
	}{
		{
			name: "position with source, CRLF line endings dropped",
			r: Report{Sources: FromFS(src), Diagnostics: ecosystem.Diagnostics{
				{Rule: "R", Severity: ecosystem.Error, Pos: ecosystem.Pos{File: "m.star", Line: 1, Col: 5}, Message: "bad"},
			}},
			want: "m.star:1:5: error[R]: bad\n  1 | a = 1\n    |     ^\n\n1 error\n",
		},
		{
			name: "model-root marker dropped from the shown name, kept for the reader",
			r: Report{Sources: SourceFunc(func(f string) ([]byte, error) {
				if f != "//m.star" {
					return nil, errors.New("unexpected name " + f)
				}
				return []byte("a = 1\n"), nil
			}), Diagnostics: ecosystem.Diagnostics{
				{Rule: "R", Severity: ecosystem.Warning, Pos: ecosystem.Pos{File: "//m.star", Line: 1, Col: 1}, Message: "bad"},
			}},
			want: "m.star:1:1: warning[R]: bad\n  1 | a = 1\n    | ^\n\n1 warning\n",
		},
		{
			name: "unreadable file: no source line",
			r: Report{Sources: FromFS(src), Diagnostics: ecosystem.Diagnostics{
				{Rule: "R", Severity: ecosystem.Error, Pos: ecosystem.Pos{File: "gone.star", Line: 1, Col: 1}, Message: "bad"},
			}},
			want: "gone.star:1:1: error[R]: bad\n\n1 error\n",
		},
		{
			name: "line beyond the file: no source line",
			r: Report{Sources: FromFS(src), Diagnostics: ecosystem.Diagnostics{
				{Rule: "R", Severity: ecosystem.Error, Pos: ecosystem.Pos{File: "m.star", Line: 40, Col: 1}, Message: "bad"},
			}},
			want: "m.star:40:1: error[R]: bad\n\n1 error\n",
		},
		{
			name: "no reader, root prefix",
			r: Report{Root: "models", Diagnostics: ecosystem.Diagnostics{
				{Rule: "R", Severity: ecosystem.Info, Pos: ecosystem.Pos{File: "m.star", Line: 2}, Message: "fyi"},
			}},
			want: "models/m.star:2: info[R]: fyi\n\n1 info\n",
		},
		{
			name: "no position: the model path leads",
			r: Report{Diagnostics: ecosystem.Diagnostics{
				{Rule: "R", Severity: ecosystem.Error, Path: "USA/Sales", Message: "bad", Hint: "fix it"},
			}},
			want: "USA/Sales: error[R]: bad\n  = hint: fix it\n\n1 error\n",
		},
		{
			name: "neither position nor path",
			r: Report{Diagnostics: ecosystem.Diagnostics{
				{Rule: "R", Severity: ecosystem.Error, Message: "bad"},
			}},
			want: "error[R]: bad\n\n1 error\n",
		},
		{
			name: "waived, with related notes and a multi-line message",
			r: Report{Diagnostics: ecosystem.Diagnostics{{
				Rule: "R", Severity: ecosystem.Error, Path: "A", Message: "first\nsecond",
				Related: []ecosystem.Related{{Pos: ecosystem.Pos{File: "x.star", Line: 3, Col: 2}, Message: "here"}, {Message: "no place"}},
				Waived:  &ecosystem.WaiverRef{Reason: "because", Expires: "2027-01-31", Pos: ecosystem.Pos{File: "eco.star", Line: 9, Col: 1}},
			}}},
			want: "A: error[R]: first\n  | second (waived until 2027-01-31: because)\n" +
				"  note: x.star:3:2: here\n  note: no place\n  note: eco.star:9:1: the waiver is declared here\n\nno findings (1 waived)\n",
		},
		{
			name: "empty report",
			r:    Report{Title: "lint of examples/acme"},
			want: "lint of examples/acme\n\nno findings\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(render(t, Text, &tt.r)); got != tt.want {
				t.Errorf("text output (-want +got):\n%s", lineDiff(tt.want, got))
			}
		})
	}
}

func TestSummaryString(t *testing.T) {
	tests := []struct {
		s    Summary
		want string
	}{
		{Summary{}, "no findings"},
		{Summary{Errors: 2, Warnings: 1, Waived: 1}, "2 errors, 1 warning (1 waived)"},
		{Summary{Errors: 1, Warnings: 2, Infos: 3}, "1 error, 2 warnings, 3 infos"},
		{Summary{Infos: 1}, "1 info"},
		{Summary{Waived: 3}, "no findings (3 waived)"},
	}
	for _, tt := range tests {
		if got := tt.s.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.s, got, tt.want)
		}
	}
}

func TestSummarize(t *testing.T) {
	got := Summarize(fixtureDiagnostics())
	// Counted by hand from fixtureDiagnostics: KEY_NULLABLE and AUTH_UNOWNED
	// errors, VENDOR_UNDOCUMENTED and MODEL_EMPTY warnings, one info, and the
	// waived KEY_NULLABLE error counted only as waived.
	want := Summary{Errors: 2, Warnings: 2, Infos: 1, Waived: 1}
	if got != want {
		t.Errorf("Summarize(fixture) = %+v, want %+v", got, want)
	}
	if got.Total() != 5 {
		t.Errorf("Total() = %d, want 5", got.Total())
	}
}
