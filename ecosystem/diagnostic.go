package ecosystem

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Severity is how serious a diagnostic is. Severities are ordered, so
// "at or above warning" is a plain comparison.
type Severity int8

// The severities, least serious first.
const (
	Info Severity = iota + 1
	Warning
	Error
)

// String returns the lower-case name used in every report format.
func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("severity(%d)", int8(s))
}

// ParseSeverity parses "error", "warning" or "info".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "error":
		return Error, nil
	case "warning":
		return Warning, nil
	case "info":
		return Info, nil
	}
	return 0, fmt.Errorf("unknown severity %q: want error, warning or info", s)
}

// MarshalText makes severities print by name in JSON.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText parses a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Related is a secondary position of a diagnostic, with what happens there
// (for example "loaded from here", or "first declared here").
type Related struct {
	Pos     Pos    `json:"pos"`
	Message string `json:"message"`
}

// Diagnostic is one finding about a model, whichever stage produced it:
// evaluation, lint, the change check or a platform's acceptance. It keeps
// apart where (Pos, Related), what (Path, the model path of the object) and
// why (Message, Hint).
type Diagnostic struct {
	// Rule is the stable SCREAMING_SNAKE identifier of the rule that fired.
	Rule string `json:"rule"`
	// Severity is the rule's severity, possibly adjusted by the stage.
	Severity Severity `json:"severity"`
	// Path is the model path of the object concerned, such as
	// "USA/Sales/Customers/customers/id"; empty for the ecosystem itself.
	Path string `json:"path,omitempty"`
	// Pos is the primary source position, pointing at the offending argument
	// where one is to blame.
	Pos Pos `json:"pos"`
	// Related lists secondary positions, such as the load chain of a file.
	Related []Related `json:"related,omitempty"`
	// Message says what is wrong, with the values involved.
	Message string `json:"message"`
	// Hint says how to fix it.
	Hint string `json:"hint,omitempty"`
	// Authority, when set, is the model path of the part whose waivers may
	// cover this finding, for findings that belong to another part than the
	// object they are about: a zone policy's violation is the zone's to
	// waive, not the violating team's. Empty means the part holding Path.
	Authority string `json:"authority,omitempty"`
	// Waived is set when a waiver in the model covers this finding; the
	// finding is still reported but does not fail the check.
	Waived *WaiverRef `json:"waived,omitempty"`
}

// WaiverRef identifies the waiver that covers a diagnostic.
type WaiverRef struct {
	Path    string `json:"path"`
	Reason  string `json:"reason"`
	Expires string `json:"expires"`
	Pos     Pos    `json:"pos"`
}

// Error formats the diagnostic as file:line:col: severity[RULE]: message, so
// a Diagnostic can be returned as an error. A waived finding says so, naming
// the waiver by its position, with its expiry and reason:
// "... (waived by the waiver at teams/sales.star:40:9 until 2030-06-30: reason)".
func (d Diagnostic) Error() string {
	var b strings.Builder
	if d.Pos.IsValid() {
		b.WriteString(d.Pos.String())
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "%s[%s]: %s", d.Severity, d.Rule, d.Message)
	if w := d.Waived; w != nil {
		b.WriteString(" (waived")
		if w.Pos.IsValid() {
			b.WriteString(" by the waiver at " + w.Pos.String())
		}
		if w.Expires != "" {
			b.WriteString(" until " + w.Expires)
		}
		if w.Reason != "" {
			b.WriteString(": " + w.Reason)
		}
		b.WriteString(")")
	}
	return b.String()
}

// Compare orders diagnostics for output: by file, line and column, then rule,
// path and message, so that reports are byte-identical for the same model.
func (d Diagnostic) Compare(e Diagnostic) int {
	if c := d.Pos.Compare(e.Pos); c != 0 {
		return c
	}
	return cmp.Or(
		cmp.Compare(d.Rule, e.Rule),
		cmp.Compare(d.Path, e.Path),
		cmp.Compare(d.Message, e.Message),
		cmp.Compare(e.Severity, d.Severity),
	)
}

// Diagnostics is a list of findings.
type Diagnostics []Diagnostic

// Sort puts the list in the deterministic report order.
func (ds Diagnostics) Sort() { slices.SortStableFunc(ds, Diagnostic.Compare) }

// Max returns the highest severity among the findings that are not waived, or
// zero when there is none.
func (ds Diagnostics) Max() Severity {
	var m Severity
	for _, d := range ds {
		if d.Waived == nil && d.Severity > m {
			m = d.Severity
		}
	}
	return m
}

// Count returns how many findings, not waived, have exactly the severity s.
func (ds Diagnostics) Count(s Severity) int {
	n := 0
	for _, d := range ds {
		if d.Waived == nil && d.Severity == s {
			n++
		}
	}
	return n
}

// Err returns the list as an error when it holds an unwaived error, else nil.
func (ds Diagnostics) Err() error {
	if ds.Max() < Error {
		return nil
	}
	return DiagnosticsError(ds)
}

// DiagnosticsError is a Diagnostics list returned as an error.
type DiagnosticsError Diagnostics

// Error lists every finding, one a line.
func (e DiagnosticsError) Error() string {
	lines := make([]string, len(e))
	for i, d := range e {
		lines[i] = d.Error()
	}
	return strings.Join(lines, "\n")
}

// Rule describes one rule in a registry: its stable ID, default severity, a
// one-line purpose, the categories it belongs to (for selecting and
// documenting rules) and a generic hint used when a finding has none.
type Rule struct {
	ID         string   `json:"id"`
	Severity   Severity `json:"severity"`
	Purpose    string   `json:"purpose"`
	Categories []string `json:"categories,omitempty"`
	Hint       string   `json:"hint,omitempty"`
}

// New returns a diagnostic of this rule, at pos, about the object at path.
func (r Rule) New(path string, pos Pos, format string, args ...any) Diagnostic {
	return Diagnostic{
		Rule:     r.ID,
		Severity: r.Severity,
		Path:     path,
		Pos:      pos,
		Message:  fmt.Sprintf(format, args...),
		Hint:     r.Hint,
	}
}
