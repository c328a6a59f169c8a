// Package safetext makes untrusted text safe to print for a person or a CI
// log: model values, file names and messages can hold control characters
// that would move the cursor, recolour a terminal, or start a line with a
// GitHub Actions workflow command ("::error ...").
package safetext

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line returns s with every control character escaped, newlines and tabs
// included, so the result is exactly one printable line: C0 and C1 controls,
// DEL, the Unicode bidirectional and invisible format characters (which can
// make text read differently from what it is), and invalid UTF-8. A
// backslash is kept as is; escapes use Go's \n, \t, \x1b and \u202e forms.
func Line(s string) string {
	if isSafe(s, false) {
		return s
	}
	return escape(s, false)
}

// Text is Line for text that may span lines: '\n' is kept and every other
// control character is escaped. Callers must still indent continuation
// lines if a line could otherwise start with a workflow command.
func Text(s string) string {
	if isSafe(s, true) {
		return s
	}
	return escape(s, true)
}

func isSafe(s string, keepNewline bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 && (!keepNewline || c != '\n') || c == 0x7f || c >= 0x80 {
			// Non-ASCII needs the slow path's rune checks.
			if c >= 0x80 {
				return isSafeSlow(s, keepNewline)
			}
			return false
		}
	}
	return true
}

func isSafeSlow(s string, keepNewline bool) bool {
	for _, r := range s {
		if needsEscape(r, keepNewline) {
			return false
		}
	}
	return utf8.ValidString(s)
}

func needsEscape(r rune, keepNewline bool) bool {
	if r == '\n' {
		return !keepNewline
	}
	return r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) ||
		r == '\u2028' || r == '\u2029'
}

func escape(s string, keepNewline bool) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			fmt.Fprintf(&b, `\x%02x`, s[i])
			i++
			continue
		}
		i += size
		if !needsEscape(r, keepNewline) {
			b.WriteRune(r)
			continue
		}
		switch r {
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x100 {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		}
	}
	return b.String()
}

// LineStart returns s, which starts a line of output, with a leading "::"
// shown as `\x3a:`. The GitHub Actions runner reads any log line that starts
// with "::" after white space (of any kind: it trims Unicode blanks such as
// U+00A0 too) as a workflow command.
func LineStart(s string) string {
	rest := strings.TrimLeftFunc(s, unicode.IsSpace)
	if !strings.HasPrefix(rest, "::") {
		return s
	}
	return s[:len(s)-len(rest)] + `\x3a` + rest[1:]
}

// Lines makes a whole multi-line text safe for a terminal or a CI log: Text,
// then LineStart on every line.
func Lines(s string) string {
	lines := strings.Split(Text(s), "\n")
	for i, l := range lines {
		lines[i] = LineStart(l)
	}
	return strings.Join(lines, "\n")
}
