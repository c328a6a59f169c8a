package report

import (
	"fmt"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// Summary counts the findings of a report. Errors, Warnings and Infos count
// unwaived findings only; Waived counts waived findings of every severity.
type Summary struct {
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Infos    int `json:"infos"`
	Waived   int `json:"waived"`
}

// Summarize counts ds.
func Summarize(ds ecosystem.Diagnostics) Summary {
	var s Summary
	for _, d := range ds {
		if d.Waived != nil {
			s.Waived++
			continue
		}
		switch d.Severity {
		case ecosystem.Error:
			s.Errors++
		case ecosystem.Warning:
			s.Warnings++
		case ecosystem.Info:
			s.Infos++
		}
	}
	return s
}

// Total returns the number of unwaived findings.
func (s Summary) Total() int { return s.Errors + s.Warnings + s.Infos }

// String is the closing line of a text report, such as
// "2 errors, 1 warning (1 waived)". Zero counts are left out; a report with
// no unwaived finding reads "no findings".
func (s Summary) String() string {
	var parts []string
	for _, c := range []struct {
		n    int
		noun string
	}{{s.Errors, "error"}, {s.Warnings, "warning"}, {s.Infos, "info"}} {
		if c.n > 0 {
			parts = append(parts, plural(c.n, c.noun))
		}
	}
	out := "no findings"
	if len(parts) > 0 {
		out = strings.Join(parts, ", ")
	}
	if s.Waived > 0 {
		out += fmt.Sprintf(" (%d waived)", s.Waived)
	}
	return out
}

// plural formats a count with its noun, as in "1 error" or "2 errors".
func plural(n int, noun string) string { return fmt.Sprintf("%d %s", n, nouns(n, noun)) }

// nouns returns noun, with an "s" unless n is one.
func nouns(n int, noun string) string {
	if n == 1 {
		return noun
	}
	return noun + "s"
}
