package report

import (
	"github.com/datasurface/datasurface-go/internal/safetext"

	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
)

// tabWidth is the tab stop used when a source line is shown. Tabs are
// expanded rather than copied so that the caret lines up in every CI log
// viewer, whatever tab width it uses.
const tabWidth = 4

// sourceCache reads each model file at most once per rendering and splits
// it into lines.
type sourceCache struct {
	reader SourceReader
	files  map[string][][]byte // nil entry: the file could not be read
}

func newSourceCache(r SourceReader) *sourceCache {
	return &sourceCache{reader: r, files: map[string][][]byte{}}
}

// line returns the 1-based line of file without its line ending, and false
// when there is no reader, the file cannot be read or it has no such line.
// A report must render even when a file has gone, so read errors only drop
// the source line.
func (c *sourceCache) line(file string, n int) (string, bool) {
	if c.reader == nil || n < 1 {
		return "", false
	}
	lines, seen := c.files[file]
	if !seen {
		if data, err := c.reader.ReadSource(file); err == nil {
			lines = bytes.Split(data, []byte("\n"))
		}
		c.files[file] = lines
	}
	if n > len(lines) {
		return "", false
	}
	return strings.TrimSuffix(string(lines[n-1]), "\r"), true
}

// snippet renders a source line and a caret under its 1-based column col,
// counted in runes as the evaluator counts them:
//
//	12 |     column("id", nullable = True),
//	   |                  ^
//
// Tabs are expanded to tabWidth stops in both lines. A column past the end of
// the line puts the caret just after it; col 0 (unknown) shows no caret.
// Every other rune counts as one cell: East Asian wide characters would need
// a width table for a case model files (SQL identifiers) hardly have.
func snippet(indent string, lineNo int, line string, col int) string {
	num := strconv.Itoa(lineNo)
	gutter := strings.Repeat(" ", len(num))
	var shown strings.Builder
	caretAt := -1
	width := 0
	for i, r := 0, 0; i < len(line); r++ {
		if r == col-1 {
			caretAt = width
		}
		c, size := utf8.DecodeRuneInString(line[i:])
		i += size
		if c == '\t' {
			n := tabWidth - width%tabWidth
			shown.WriteString(strings.Repeat(" ", n))
			width += n
			continue
		}
		if esc := safetext.Line(string(line[i-size : i])); esc != string(c) || c == utf8.RuneError {
			// A control or invisible character, or a byte that is not
			// UTF-8, is shown escaped, as in every human-readable field.
			shown.WriteString(esc)
			width += len(esc)
			continue
		}
		shown.WriteRune(c)
		width++
	}
	if caretAt < 0 && col > 0 {
		caretAt = width
	}
	out := indent + num + " | " + strings.TrimRight(shown.String(), " ") + "\n"
	if caretAt >= 0 {
		out += indent + gutter + " | " + strings.Repeat(" ", caretAt) + "^\n"
	}
	return out
}
