package report

import (
	"bytes"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// writeText renders the compiler-style report people read in a terminal or a
// CI log. Each finding is a block:
//
//	teams/sales.star:12:9: error[KEY_NULLABLE]: key column "id" is nullable
//	  12 |     column("id", key = True, nullable = True),
//	     |         ^
//	  = hint: remove nullable = True from key columns
//	  note: teams/sales.star:3:1: the dataset is declared here
//
// followed by a blank line; the last line is the summary.
func writeText(b *bytes.Buffer, v *view) error {
	if v.r.Title != "" {
		b.WriteString(lineStart(oneLine(v.r.Title)))
		b.WriteString("\n\n")
	}
	for _, d := range v.diags {
		writeTextFinding(b, v, d)
		b.WriteByte('\n')
	}
	b.WriteString(v.summary.String())
	b.WriteByte('\n')
	return nil
}

func writeTextFinding(b *bytes.Buffer, v *view, d ecosystem.Diagnostic) {
	b.WriteString(findingHeader(v, d))
	if d.Waived != nil {
		b.WriteString(" (" + waivedPhrase(d.Waived) + ")")
	}
	b.WriteByte('\n')
	if d.Pos.IsValid() {
		if line, ok := v.sources.line(d.Pos.File, d.Pos.Line); ok {
			b.WriteString(snippet("  ", d.Pos.Line, line, d.Pos.Col))
		}
	}
	if d.Hint != "" {
		b.WriteString("  = hint: " + indentLines(d.Hint, "    ") + "\n")
	}
	for _, rel := range d.Related {
		b.WriteString("  note: " + indentLines(relatedText(v, rel), "    ") + "\n")
	}
	if d.Waived != nil && d.Waived.Pos.IsValid() {
		b.WriteString("  note: " + v.pos(d.Waived.Pos) + ": the waiver is declared here\n")
	}
}

// findingHeader is the first line of a finding without the waiver mark:
// "file:line:col: error[RULE]: message", with the model path in place of the
// position when there is none, and neither when the finding is about the
// model as a whole. It never starts a workflow command (see lineStart).
func findingHeader(v *view, d ecosystem.Diagnostic) string {
	where := v.pos(d.Pos)
	if where == "" {
		where = d.Path
	}
	head := d.Severity.String() + "[" + d.Rule + "]: " + indentLines(d.Message, "  ")
	if where == "" {
		return head
	}
	return lineStart(where + ": " + head)
}

// relatedText formats a related position as "file:line:col: message".
func relatedText(v *view, rel ecosystem.Related) string {
	if where := v.pos(rel.Pos); where != "" {
		return where + ": " + rel.Message
	}
	return rel.Message
}

// waivedPhrase says until when and why a finding is waived.
func waivedPhrase(w *ecosystem.WaiverRef) string {
	s := "waived"
	if w.Expires != "" {
		s += " until " + w.Expires
	}
	if w.Reason != "" {
		s += ": " + oneLine(w.Reason)
	}
	return s
}

// indentLines indents every line of a multi-line text after the first and
// marks it with "| ", so that continuation lines stay inside their
// finding's block and none starts with text from the model: a line of a
// message can never begin a GitHub Actions workflow command ("::error::"),
// even for a log reader that trims leading blanks.
func indentLines(s, indent string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\n", "\n"+indent+"| ")
}

// lineBreaks turns each line break into a space.
var lineBreaks = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")

// oneLine turns line breaks into spaces, for text that must stay on one line.
func oneLine(s string) string { return lineBreaks.Replace(s) }
