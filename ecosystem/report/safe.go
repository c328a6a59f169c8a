package report

import (
	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/internal/safetext"
)

// forPeople reports whether a format is read by people (or by a CI log that
// interprets lines, such as GitHub Actions' workflow commands) rather than
// parsed as data. JSON and SARIF escape everything through encoding/json and
// keep the model's values exactly.
func forPeople(f Format) bool { return f != JSON && f != SARIF }

// sanitize returns the view with every text that comes from the model or the
// file system made safe to print: control characters (ESC sequences,
// carriage returns, NUL), bidirectional and invisible format characters and
// invalid UTF-8 are shown escaped (\x1b, \u202e). Messages, hints and notes
// may keep their line breaks, which each format then renders its own safe
// way; one-line fields (paths, file names, titles, waiver reasons, rule IDs)
// lose them. Rule IDs and the tool's name come from code rather than the
// model, but a host can register rules of its own, so they are escaped too.
func (v *view) sanitize() {
	r := *v.r
	r.Title = safetext.Line(r.Title)
	r.Root = safetext.Line(r.Root)
	r.Command = safetext.Line(r.Command)
	r.Tool.Name = safetext.Line(r.Tool.Name)
	r.Tool.Version = safetext.Line(r.Tool.Version)
	v.r = &r
	// The same escaping on both sides keeps findings grouped under their
	// rule (JUnit's suites).
	for i := range v.rules {
		v.rules[i].ID = safetext.Line(v.rules[i].ID)
	}
	for i := range v.diags {
		d := &v.diags[i]
		d.Rule = safetext.Line(d.Rule)
		d.Message = safetext.Text(d.Message)
		d.Hint = safetext.Text(d.Hint)
		d.Path = safetext.Line(d.Path)
		d.Pos.File = safetext.Line(d.Pos.File)
		if len(d.Related) > 0 {
			rel := make([]ecosystem.Related, len(d.Related))
			for j, x := range d.Related {
				x.Message = safetext.Text(x.Message)
				x.Pos.File = safetext.Line(x.Pos.File)
				rel[j] = x
			}
			d.Related = rel
		}
		if d.Waived != nil {
			w := *d.Waived
			w.Reason = safetext.Line(w.Reason)
			w.Expires = safetext.Line(w.Expires)
			w.Pos.File = safetext.Line(w.Pos.File)
			d.Waived = &w
		}
	}
}

// lineStart is safetext.LineStart (see there).
func lineStart(s string) string { return safetext.LineStart(s) }
