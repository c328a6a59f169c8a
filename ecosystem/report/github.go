package report

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// writeGitHub renders GitHub Actions workflow commands, one per finding:
//
//	::error file=teams/sales.star,line=12,col=9,title=KEY_NULLABLE::key column "id" is nullable%0Ahint: ...
//
// GitHub turns them into annotations on the pull request's files. Errors use
// the error command, warnings the warning command, and infos and waived
// findings (which do not fail the run) the notice command. A finding without
// a position is annotated on the run itself. The last line is the plain
// summary, which the log shows as it is.
func writeGitHub(b *bytes.Buffer, v *view) error {
	for _, d := range v.diags {
		b.WriteString("::" + githubCommand(d))
		var props []string
		if d.Pos.IsValid() {
			props = append(props, "file="+escapeGitHubProperty(v.file(d.Pos)), "line="+strconv.Itoa(d.Pos.Line))
			if d.Pos.Col > 0 {
				props = append(props, "col="+strconv.Itoa(d.Pos.Col))
			}
		}
		props = append(props, "title="+escapeGitHubProperty(d.Rule))
		b.WriteString(" " + strings.Join(props, ","))
		b.WriteString("::" + escapeGitHubData(githubMessage(v, d)) + "\n")
	}
	b.WriteString(v.heading() + ": " + v.summary.String() + "\n")
	return nil
}

// githubCommand picks the workflow command for a finding's severity.
func githubCommand(d ecosystem.Diagnostic) string {
	switch {
	case d.Waived != nil:
		return "notice"
	case d.Severity == ecosystem.Error:
		return "error"
	case d.Severity == ecosystem.Warning:
		return "warning"
	}
	return "notice"
}

// githubMessage is an annotation's text: the waiver mark, the message, the
// model path when there is no file to attach to, the hint and the related
// positions, one a line.
func githubMessage(v *view, d ecosystem.Diagnostic) string {
	var lines []string
	first := d.Message
	if !d.Pos.IsValid() && d.Path != "" {
		first = d.Path + ": " + first
	}
	if d.Waived != nil {
		first = "(" + waivedPhrase(d.Waived) + ") " + first
	}
	lines = append(lines, first)
	if d.Hint != "" {
		lines = append(lines, "hint: "+d.Hint)
	}
	for _, rel := range d.Related {
		lines = append(lines, "note: "+relatedText(v, rel))
	}
	return strings.Join(lines, "\n")
}

// The Actions runner percent-decodes a workflow command's message and
// property values. A message escapes %, CR and LF; a property value also
// escapes ":" and ",", which separate the command's parts. A Replacer
// replaces in one pass, so the "%" of an escape is never escaped again.
var (
	githubDataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	githubPropertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// escapeGitHubData escapes a workflow command's message.
func escapeGitHubData(s string) string { return githubDataEscaper.Replace(s) }

// escapeGitHubProperty escapes a workflow command's property value.
func escapeGitHubProperty(s string) string { return githubPropertyEscaper.Replace(s) }
