package report

import (
	"bytes"
	"encoding/json"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// JSONVersion is the version of the JSON report shape. It changes only when
// a field is removed, renamed or changes meaning; adding a field keeps it.
// docs/REPORTS.md documents the shape field by field.
const JSONVersion = 1

// The JSON report has its own types rather than marshalling ecosystem values
// directly, so that the documented shape cannot drift when the model's Go
// types change. Field order here is the order in the output.

type jsonReport struct {
	Version     int           `json:"version"`
	Tool        jsonTool      `json:"tool"`
	Command     string        `json:"command"`
	Title       string        `json:"title"`
	FailOn      string        `json:"fail_on"`
	Passed      bool          `json:"passed"`
	Summary     Summary       `json:"summary"`
	Diagnostics []jsonFinding `json:"diagnostics"`
}

type jsonTool struct {
	Name           string `json:"name"`
	Version        string `json:"version"`
	InformationURI string `json:"information_uri"`
}

type jsonFinding struct {
	Rule     string        `json:"rule"`
	Severity string        `json:"severity"`
	Path     string        `json:"path"`
	Pos      *jsonPos      `json:"pos"`
	Related  []jsonRelated `json:"related"`
	Message  string        `json:"message"`
	Hint     string        `json:"hint"`
	Waived   *jsonWaiver   `json:"waived"`
}

type jsonPos struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
}

type jsonRelated struct {
	Pos     *jsonPos `json:"pos"`
	Message string   `json:"message"`
}

type jsonWaiver struct {
	Path    string   `json:"path"`
	Reason  string   `json:"reason"`
	Expires string   `json:"expires"`
	Pos     *jsonPos `json:"pos"`
}

// writeJSON renders the versioned JSON shape: every key is always present
// (null or empty rather than missing), so consumers need no existence checks.
func writeJSON(b *bytes.Buffer, v *view) error {
	out := jsonReport{
		Version: JSONVersion,
		Tool: jsonTool{
			Name:           v.toolName(),
			Version:        v.r.Tool.Version,
			InformationURI: v.r.Tool.InformationURI,
		},
		Command:     v.r.Command,
		Title:       v.r.Title,
		FailOn:      v.failOn.String(),
		Passed:      !v.failed(),
		Summary:     v.summary,
		Diagnostics: make([]jsonFinding, 0, len(v.diags)),
	}
	for _, d := range v.diags {
		f := jsonFinding{
			Rule:     d.Rule,
			Severity: d.Severity.String(),
			Path:     d.Path,
			Pos:      v.jsonPos(d.Pos),
			Related:  make([]jsonRelated, 0, len(d.Related)),
			Message:  d.Message,
			Hint:     d.Hint,
		}
		for _, rel := range d.Related {
			f.Related = append(f.Related, jsonRelated{Pos: v.jsonPos(rel.Pos), Message: rel.Message})
		}
		if w := d.Waived; w != nil {
			f.Waived = &jsonWaiver{Path: w.Path, Reason: w.Reason, Expires: w.Expires, Pos: v.jsonPos(w.Pos)}
		}
		out.Diagnostics = append(out.Diagnostics, f)
	}
	enc := json.NewEncoder(b)
	enc.SetIndent("", "  ")
	// Messages quote model values such as "decimal(10,2) -> decimal(8,2)";
	// HTML escaping would turn them into \u003e for no reader's benefit.
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// jsonPos converts a position, nil when it is not valid. The file is shown
// under Root, as in every format.
func (v *view) jsonPos(p ecosystem.Pos) *jsonPos {
	if !p.IsValid() {
		return nil
	}
	return &jsonPos{File: v.file(p), Line: p.Line, Col: p.Col}
}
