package report

import (
	"bytes"
	"encoding/xml"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// The JUnit XML written here is the common subset that Jenkins, GitLab,
// Azure DevOps and the JUnit report actions read. It carries no timestamps or
// durations, so the same report gives the same bytes.

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Failure   *junitFailure `xml:"failure"`
	Skipped   *junitSkipped `xml:"skipped"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// passedCaseName names the one passing test case of a rule with no findings:
// a clean run still shows every rule checked, and test dashboards that reject
// an empty report stay green.
const passedCaseName = "no findings"

// writeJUnit renders one test suite per rule, sorted by rule ID, and one test
// case per finding in report order. Errors and warnings are failures whose
// type is the severity; waived findings are skipped, with the waiver as the
// reason; infos are passing cases that carry their text as output. A rule
// without findings has one passing case.
func writeJUnit(b *bytes.Buffer, v *view) error {
	byRule := map[string][]ecosystem.Diagnostic{}
	for _, d := range v.diags {
		byRule[d.Rule] = append(byRule[d.Rule], d)
	}
	root := junitSuites{Name: v.heading()}
	if v.r.Title != "" {
		root.Name += ": " + oneLine(v.r.Title)
	}
	for _, rule := range v.rules {
		suite := junitSuite{Name: lineStart(rule.ID)}
		for _, d := range byRule[rule.ID] {
			c := v.junitCase(d)
			switch {
			case c.Failure != nil:
				suite.Failures++
			case c.Skipped != nil:
				suite.Skipped++
			}
			suite.Cases = append(suite.Cases, c)
		}
		if len(suite.Cases) == 0 {
			suite.Cases = []junitCase{{Name: passedCaseName, Classname: rule.ID}}
		}
		suite.Tests = len(suite.Cases)
		root.Tests += suite.Tests
		root.Failures += suite.Failures
		root.Skipped += suite.Skipped
		root.Suites = append(root.Suites, suite)
	}
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(b)
	enc.Indent("", "  ")
	if err := enc.Encode(root); err != nil {
		return err
	}
	b.WriteByte('\n')
	return nil
}

// junitCase turns a finding into a test case named after the model path and
// position, so that two findings of one rule are told apart. CI systems
// print these values into their logs, so none may start a workflow command
// (see lineStart).
func (v *view) junitCase(d ecosystem.Diagnostic) junitCase {
	name := d.Path
	if name == "" {
		name = "(model)"
	}
	if where := v.pos(d.Pos); where != "" {
		name += " at " + where
	}
	c := junitCase{Name: lineStart(name), Classname: lineStart(d.Rule)}
	if d.Pos.IsValid() {
		c.File, c.Line = lineStart(v.file(d.Pos)), d.Pos.Line
	}
	body := junitBody(v, d)
	switch {
	case d.Waived != nil:
		c.Skipped = &junitSkipped{Message: waivedPhrase(d.Waived)}
		c.SystemOut = body
	case d.Severity == ecosystem.Error || d.Severity == ecosystem.Warning:
		c.Failure = &junitFailure{Message: lineStart(indentLines(d.Message, "  ")), Type: d.Severity.String(), Body: body}
	default:
		c.SystemOut = body
	}
	return c
}

// junitBody is the finding as the text format shows it, without the source
// line: header, hint and notes. Continuation lines of a multi-line hint or
// note are marked as the text format marks them, because CI systems print
// this body into their logs.
func junitBody(v *view, d ecosystem.Diagnostic) string {
	var b strings.Builder
	b.WriteString(findingHeader(v, d))
	if d.Hint != "" {
		b.WriteString("\nhint: " + indentLines(d.Hint, "  "))
	}
	for _, rel := range d.Related {
		b.WriteString("\nnote: " + indentLines(relatedText(v, rel), "  "))
	}
	return b.String()
}
