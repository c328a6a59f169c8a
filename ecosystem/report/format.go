package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Format names an output format. Its values are the spellings the CLI's
// --format flag accepts.
type Format string

// The formats, in the order Formats lists them.
const (
	Text     Format = "text"
	JSON     Format = "json"
	SARIF    Format = "sarif"
	GitHub   Format = "github"
	JUnit    Format = "junit"
	Markdown Format = "markdown"
)

// renderers maps each format to the function that renders a prepared report.
var renderers = map[Format]func(*bytes.Buffer, *view) error{
	Text:     writeText,
	JSON:     writeJSON,
	SARIF:    writeSARIF,
	GitHub:   writeGitHub,
	JUnit:    writeJUnit,
	Markdown: writeMarkdown,
}

// Formats returns every format, in a fixed order suitable for help texts.
func Formats() []Format {
	return []Format{Text, JSON, SARIF, GitHub, JUnit, Markdown}
}

// ParseFormat parses a format name, ignoring case and surrounding spaces. The
// error for an unknown name quotes it and lists the accepted ones.
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	if _, ok := renderers[f]; ok {
		return f, nil
	}
	names := make([]string, 0, len(renderers))
	for _, g := range Formats() {
		names = append(names, string(g))
	}
	return "", fmt.Errorf("unknown report format %q: use one of %s", s, strings.Join(names, ", "))
}

// String returns the format's name.
func (f Format) String() string { return string(f) }

// MarshalText returns the format's name, so a Format prints by name in JSON
// and works with flag.TextVar.
func (f Format) MarshalText() ([]byte, error) { return []byte(f), nil }

// UnmarshalText parses a format name with ParseFormat.
func (f *Format) UnmarshalText(b []byte) error {
	g, err := ParseFormat(string(b))
	if err != nil {
		return err
	}
	*f = g
	return nil
}

// DefaultMaxRows is how many findings a Markdown table shows before it
// summarises the rest as "and N more": a pull-request comment has a size
// limit, and nobody reads the thousandth row.
const DefaultMaxRows = 100

// options are the rendering settings that Option values change.
type options struct {
	maxRows int
}

// Option changes how Write renders a report.
type Option func(*options)

// MaxRows caps each Markdown table at n findings; n <= 0 removes the cap.
// Other formats always list every finding.
func MaxRows(n int) Option { return func(o *options) { o.maxRows = n } }

// Write renders r in format f to w. The format's name may be in any case, as
// ParseFormat accepts it. The whole report is rendered before the
// first byte is written, so a rendering error never leaves half a report
// behind; the only other errors are w's. Write neither sorts nor otherwise
// modifies r.
func Write(w io.Writer, f Format, r *Report, opts ...Option) error {
	f, err := ParseFormat(string(f))
	if err != nil {
		return err
	}
	if r == nil {
		return errors.New("report: Write needs a report, got nil")
	}
	o := options{maxRows: DefaultMaxRows}
	for _, opt := range opts {
		opt(&o)
	}
	var buf bytes.Buffer
	v := newView(r, o)
	if forPeople(f) {
		v.sanitize()
	}
	if err := renderers[f](&buf, v); err != nil {
		return fmt.Errorf("report: rendering %s: %w", f, err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}
