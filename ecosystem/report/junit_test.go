package report

import (
	"encoding/xml"
	"slices"
	"strings"
	"testing"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// The JUnit shape as CI tools read it, declared here independently of the
// package's own types.
type junitBack struct {
	XMLName  xml.Name `xml:"testsuites"`
	Name     string   `xml:"name,attr"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Skipped  int    `xml:"skipped,attr"`
		Cases    []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			File      string `xml:"file,attr"`
			Line      int    `xml:"line,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Body    string `xml:",chardata"`
			} `xml:"failure"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
			SystemOut string `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func parseJUnit(t *testing.T, data []byte) junitBack {
	t.Helper()
	var j junitBack
	if err := xml.Unmarshal(data, &j); err != nil {
		t.Fatalf("JUnit output is not well-formed XML: %v\n%s", err, data)
	}
	return j
}

func TestJUnitRoundTrip(t *testing.T) {
	j := parseJUnit(t, render(t, JUnit, fixtureReport()))
	if j.Name != "dsl check: github.com/acme/eco main..feature from github.com/acme/sales@feature" {
		t.Errorf("testsuites name = %q", j.Name)
	}
	var names []string
	tests, failures, skipped := 0, 0, 0
	for _, s := range j.Suites {
		names = append(names, s.Name)
		if s.Tests != len(s.Cases) {
			t.Errorf("suite %s says %d tests, has %d cases", s.Name, s.Tests, len(s.Cases))
		}
		f, sk := 0, 0
		for _, c := range s.Cases {
			if c.Classname != s.Name {
				t.Errorf("case %q of suite %s has classname %q", c.Name, s.Name, c.Classname)
			}
			if c.Failure != nil {
				f++
			}
			if c.Skipped != nil {
				sk++
			}
		}
		if s.Failures != f || s.Skipped != sk {
			t.Errorf("suite %s counts %d failures, %d skipped; its cases have %d and %d", s.Name, s.Failures, s.Skipped, f, sk)
		}
		tests, failures, skipped = tests+len(s.Cases), failures+f, skipped+sk
	}
	if !slices.IsSorted(names) || len(names) != 6 {
		t.Errorf("suites = %v, want the six rules sorted", names)
	}
	// Errors and warnings (4 unwaived) fail, the waived error is skipped, the
	// info and the rule without findings pass: 6 findings + 1 empty rule.
	if j.Tests != 7 || tests != 7 || j.Failures != 4 || failures != 4 || j.Skipped != 1 || skipped != 1 {
		t.Errorf("totals tests/failures/skipped = %d/%d/%d (cases %d/%d/%d), want 7/4/1",
			j.Tests, j.Failures, j.Skipped, tests, failures, skipped)
	}

	for _, s := range j.Suites {
		for _, c := range s.Cases {
			switch {
			case s.Name == "NAME_INVALID":
				if c.Name != passedCaseName || c.Failure != nil || c.Skipped != nil {
					t.Errorf("rule without findings: case %+v, want one passing %q", c, passedCaseName)
				}
			case s.Name == "VENDOR_UNDOCUMENTED":
				if c.Failure == nil || c.Failure.Type != "warning" || c.Failure.Message != `vendor "AWS" has no doc: <b>a|b</b> & 100%, key: value` {
					t.Errorf("warning case = %+v", c.Failure)
				}
				if c.Name != "vendors/AWS at models/eco.star:2:5" || c.File != "models/eco.star" || c.Line != 2 {
					t.Errorf("warning case name, file, line = %q, %q, %d", c.Name, c.File, c.Line)
				}
			case s.Name == "AUTH_UNOWNED":
				if c.Failure == nil || c.Failure.Type != "error" || !strings.Contains(c.Failure.Message, ",\n  | owned by") ||
					!strings.Contains(c.Failure.Body, "hint: make this change from github.com/acme/marketing@main") {
					t.Errorf("error case = %+v", c.Failure)
				}
				if c.File != "" || c.Line != 0 {
					t.Errorf("a position-less case has file %q line %d", c.File, c.Line)
				}
			case s.Name == "KEY_NULLABLE" && c.Skipped != nil:
				if c.Skipped.Message != "waived until 2027-01-31: legacy | 50%" || c.Failure != nil {
					t.Errorf("waived case = %+v", c)
				}
			case s.Name == "USES_DEPRECATED":
				if c.Failure != nil || c.Skipped != nil || !strings.Contains(c.SystemOut, "info[USES_DEPRECATED]") {
					t.Errorf("info case = %+v, want a passing case with its text as output", c)
				}
			}
		}
	}
}

func TestJUnitCleanRunHasPassingCases(t *testing.T) {
	j := parseJUnit(t, render(t, JUnit, cleanReport()))
	if j.Tests != len(fixtureRules()) || j.Failures != 0 || j.Skipped != 0 {
		t.Errorf("clean run: tests/failures/skipped = %d/%d/%d, want %d/0/0", j.Tests, j.Failures, j.Skipped, len(fixtureRules()))
	}
}

func TestJUnitReplacesCharactersXMLCannotHold(t *testing.T) {
	r := cleanReport()
	r.Diagnostics = append(r.Diagnostics, fixtureDiagnostics()[0])
	r.Diagnostics[0].Message = "bell \a and nul \x00 here"
	r.Diagnostics[0].Severity = ecosystem.Error
	j := parseJUnit(t, render(t, JUnit, r))
	found := 0
	for _, s := range j.Suites {
		for _, c := range s.Cases {
			if c.Failure == nil {
				continue
			}
			found++
			if c.Failure.Message != `bell \x07 and nul \x00 here` {
				t.Errorf("failure message = %q, want control characters shown escaped", c.Failure.Message)
			}
		}
	}
	if found != 1 {
		t.Errorf("%d failures, want 1", found)
	}
}
