package report

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// writeMarkdown renders a pull-request comment: a heading with the verdict,
// a table of counts, a table of the unwaived findings (most severe first,
// capped at the MaxRows option with "and N more") and the waived findings in
// a collapsed <details> section. All text from the model is escaped, so a
// message cannot break a table, inject HTML or form a link.
func writeMarkdown(b *bytes.Buffer, v *view) error {
	verdict, icon := "passed", ":white_check_mark:"
	if v.failed() {
		verdict, icon = "failed", ":x:"
	}
	fmt.Fprintf(b, "## %s %s %s\n\n", icon, escapeMarkdown(v.heading()), verdict)
	if v.r.Title != "" {
		b.WriteString(escapeMarkdownLine(oneLine(v.r.Title)) + "\n\n")
	}
	s := v.summary
	b.WriteString("| errors | warnings | infos | waived |\n|---:|---:|---:|---:|\n")
	fmt.Fprintf(b, "| %d | %d | %d | %d |\n\n", s.Errors, s.Warnings, s.Infos, s.Waived)

	var open, waived ecosystem.Diagnostics
	for _, d := range v.diags {
		if d.Waived != nil {
			waived = append(waived, d)
		} else {
			open = append(open, d)
		}
	}
	// Most severe first, so that a capped table still shows every error it can.
	slices.SortStableFunc(open, func(a, b ecosystem.Diagnostic) int { return cmp.Compare(b.Severity, a.Severity) })

	if len(open) == 0 {
		b.WriteString("No findings.\n")
	} else {
		b.WriteString("| severity | rule | path | location | message |\n|---|---|---|---|---|\n")
		shown := v.capRows(open)
		for _, d := range shown {
			fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", d.Severity, markdownRule(d.Rule),
				escapeMarkdown(d.Path), escapeMarkdown(v.pos(d.Pos)), markdownMessage(d))
		}
		writeMore(b, len(open)-len(shown))
	}

	if len(waived) > 0 {
		fmt.Fprintf(b, "\n<details>\n<summary>%s</summary>\n\n", plural(len(waived), "waived finding"))
		b.WriteString("| severity | rule | path | location | waived until | reason | message |\n|---|---|---|---|---|---|---|\n")
		shown := v.capRows(waived)
		for _, d := range shown {
			fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s |\n", d.Severity, markdownRule(d.Rule),
				escapeMarkdown(d.Path), escapeMarkdown(v.pos(d.Pos)), escapeMarkdown(d.Waived.Expires),
				escapeMarkdown(d.Waived.Reason), markdownMessage(d))
		}
		writeMore(b, len(waived)-len(shown))
		b.WriteString("\n</details>\n")
	}
	return nil
}

// capRows returns the findings a table shows under the MaxRows option.
func (v *view) capRows(ds ecosystem.Diagnostics) ecosystem.Diagnostics {
	if v.opts.maxRows > 0 && len(ds) > v.opts.maxRows {
		return ds[:v.opts.maxRows]
	}
	return ds
}

// writeMore says how many findings a capped table left out.
func writeMore(b *bytes.Buffer, n int) {
	if n > 0 {
		fmt.Fprintf(b, "\nand %d more %s, not shown here: see the job's log or the full report.\n", n, nouns(n, "finding"))
	}
}

// markdownMessage is a finding's message cell: the message, then the hint in
// italics on its own line within the cell.
func markdownMessage(d ecosystem.Diagnostic) string {
	s := escapeMarkdown(d.Message)
	if d.Hint != "" {
		s += "<br>*hint:* " + escapeMarkdown(d.Hint)
	}
	return s
}

// markdownRule shows a rule ID as code when it is a plain identifier, which
// rule IDs are; anything else is escaped text.
func markdownRule(id string) string {
	plain := id != "" && strings.IndexFunc(id, func(r rune) bool {
		return !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}) < 0
	if plain {
		return "`" + id + "`"
	}
	return escapeMarkdown(id)
}

// markdownEscaper makes model text inert inside a GitHub-flavoured Markdown
// paragraph or table cell. It backslash-escapes the ASCII punctuation that
// means something there: emphasis, code, links, images, HTML, entities,
// strikethrough and table pipes (CommonMark allows a backslash before any
// ASCII punctuation, so escaping is always safe). GitHub also turns plain
// text into links after rendering: bare URLs ("https://", "www."), e-mail
// addresses, @mentions and #references. A backslash does not stop those, so
// a zero-width space (written as the entity &#8203;, which nothing else
// escapes) is put inside each trigger: after "@" and "#", between ":" and
// "//", and before the "." of "www.". Line breaks become <br>, the only
// break a table cell can hold.
var markdownEscaper = func() *strings.Replacer {
	const zwsp = "&#8203;"
	pairs := []string{
		// Multi-byte triggers first: the Replacer prefers the earliest
		// listed match at a position.
		"://", ":" + zwsp + "//",
		"www.", "www" + zwsp + ".",
		"WWW.", "WWW" + zwsp + ".",
		"@", `\@` + zwsp,
		"#", `\#` + zwsp,
		"\r\n", "<br>", "\n", "<br>", "\r", "<br>",
	}
	for _, c := range "\\`*_{}[]()<>!|~&" {
		pairs = append(pairs, string(c), "\\"+string(c))
	}
	return strings.NewReplacer(pairs...)
}()

// escapeMarkdown escapes model text for a Markdown paragraph or table cell.
func escapeMarkdown(s string) string { return markdownEscaper.Replace(s) }

// escapeMarkdownLine escapes model text that starts a line of its own, where
// Markdown would also read a leading "-", "+" or "=" as a list item or a
// heading underline, "1." as an ordered list item and four blanks as code;
// a leading ":" is escaped too, so that the line cannot start a GitHub
// Actions workflow command when the comment is printed to a job's log.
func escapeMarkdownLine(s string) string {
	s = escapeMarkdown(strings.TrimLeftFunc(s, unicode.IsSpace))
	switch {
	case s == "":
		return s
	case strings.ContainsRune("-+=:", rune(s[0])):
		return `\` + s
	}
	if n := len(s) - len(strings.TrimLeft(s, "0123456789")); n > 0 && n < len(s) && s[n] == '.' {
		return s[:n] + `\` + s[n:]
	}
	return s
}
