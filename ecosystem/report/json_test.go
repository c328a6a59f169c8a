package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// The JSON shape as docs/REPORTS.md documents it, written out again here so
// that a change to the package's own types that is not a change to the
// documentation fails this test.
type docReport struct {
	Version int `json:"version"`
	Tool    struct {
		Name           string `json:"name"`
		Version        string `json:"version"`
		InformationURI string `json:"information_uri"`
	} `json:"tool"`
	Command string `json:"command"`
	Title   string `json:"title"`
	FailOn  string `json:"fail_on"`
	Passed  bool   `json:"passed"`
	Summary struct {
		Errors   int `json:"errors"`
		Warnings int `json:"warnings"`
		Infos    int `json:"infos"`
		Waived   int `json:"waived"`
	} `json:"summary"`
	Diagnostics []docFinding `json:"diagnostics"`
}

type docFinding struct {
	Rule     string       `json:"rule"`
	Severity string       `json:"severity"`
	Path     string       `json:"path"`
	Pos      *docPos      `json:"pos"`
	Related  []docRelated `json:"related"`
	Message  string       `json:"message"`
	Hint     string       `json:"hint"`
	Waived   *docWaiver   `json:"waived"`
}

type docPos struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
}

type docRelated struct {
	Pos     *docPos `json:"pos"`
	Message string  `json:"message"`
}

type docWaiver struct {
	Path    string  `json:"path"`
	Reason  string  `json:"reason"`
	Expires string  `json:"expires"`
	Pos     *docPos `json:"pos"`
}

func decodeJSONReport(t *testing.T, data []byte) docReport {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var r docReport
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("the JSON report does not match the documented shape: %v\n%s", err, data)
	}
	return r
}

func TestJSONRoundTrip(t *testing.T) {
	in := fixtureReport()
	r := decodeJSONReport(t, render(t, JSON, in))
	if r.Version != 1 {
		t.Errorf("version = %d, want 1", r.Version)
	}
	if r.Tool.Name != in.Tool.Name || r.Tool.Version != in.Tool.Version || r.Tool.InformationURI != in.Tool.InformationURI {
		t.Errorf("tool = %+v, want %+v", r.Tool, in.Tool)
	}
	if r.Command != "check" || r.Title != in.Title || r.FailOn != "error" || r.Passed {
		t.Errorf("command, title, fail_on, passed = %q, %q, %q, %v", r.Command, r.Title, r.FailOn, r.Passed)
	}
	sum := Summarize(in.Diagnostics)
	if r.Summary.Errors != sum.Errors || r.Summary.Warnings != sum.Warnings || r.Summary.Infos != sum.Infos || r.Summary.Waived != sum.Waived {
		t.Errorf("summary = %+v, want %+v", r.Summary, sum)
	}

	// Every finding comes back with its values, in report order, with the
	// files shown under Root.
	sorted := fixtureDiagnostics()
	sorted.Sort()
	if len(r.Diagnostics) != len(sorted) {
		t.Fatalf("%d diagnostics, want %d", len(r.Diagnostics), len(sorted))
	}
	for i, d := range sorted {
		if diff := cmp.Diff(expectedJSONFinding(d, "models/"), r.Diagnostics[i]); diff != "" {
			t.Errorf("diagnostic %d (%s) (-want +got):\n%s", i, d.Rule, diff)
		}
	}
}

// expectedJSONFinding is what the documentation says a diagnostic becomes.
func expectedJSONFinding(d ecosystem.Diagnostic, root string) docFinding {
	pos := func(p ecosystem.Pos) *docPos {
		if !p.IsValid() {
			return nil
		}
		return &docPos{File: root + p.File, Line: p.Line, Col: p.Col}
	}
	f := docFinding{
		Rule: d.Rule, Severity: d.Severity.String(), Path: d.Path, Pos: pos(d.Pos),
		Related: []docRelated{}, Message: d.Message, Hint: d.Hint,
	}
	for _, rel := range d.Related {
		f.Related = append(f.Related, docRelated{Pos: pos(rel.Pos), Message: rel.Message})
	}
	if w := d.Waived; w != nil {
		f.Waived = &docWaiver{Path: w.Path, Reason: w.Reason, Expires: w.Expires, Pos: pos(w.Pos)}
	}
	return f
}

func TestJSONVerdictFollowsFailOn(t *testing.T) {
	warningsOnly := &Report{Diagnostics: ecosystem.Diagnostics{{Rule: "R", Severity: ecosystem.Warning, Message: "w"}}}
	if r := decodeJSONReport(t, render(t, JSON, warningsOnly)); !r.Passed || r.FailOn != "error" {
		t.Errorf("warnings at the default threshold: passed = %v, fail_on = %q; want true, error", r.Passed, r.FailOn)
	}
	warningsOnly.FailOn = ecosystem.Warning
	if r := decodeJSONReport(t, render(t, JSON, warningsOnly)); r.Passed || r.FailOn != "warning" {
		t.Errorf("warnings with fail-on warning: passed = %v, fail_on = %q; want false, warning", r.Passed, r.FailOn)
	}
}

func TestJSONEmptyListsAreArrays(t *testing.T) {
	var raw map[string]any
	if err := json.Unmarshal(render(t, JSON, &Report{}), &raw); err != nil {
		t.Fatal(err)
	}
	if list, ok := raw["diagnostics"].([]any); !ok || len(list) != 0 {
		t.Errorf("diagnostics of an empty report = %#v, want []", raw["diagnostics"])
	}
	if tool := raw["tool"].(map[string]any); tool["name"] != DefaultToolName {
		t.Errorf("tool name of a report without one = %v, want %q", tool["name"], DefaultToolName)
	}
}
