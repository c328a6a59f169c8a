package report

import (
	"cmp"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// Report is what every command renders: its diagnostics, plus what the
// formats need around them.
type Report struct {
	// Tool identifies the program that produced the report. A zero Tool
	// renders as DefaultToolName with no version.
	Tool Tool
	// Command is the sub-command that ran, such as "lint" or "check". It
	// names the SARIF run's category and the JUnit and Markdown headings.
	Command string
	// Title is one line saying what was checked, for example
	// "github.com/acme/eco main..feature from github.com/acme/sales@feature".
	// It may be empty.
	Title string
	// Rules describes every rule whose findings may appear. SARIF lists them
	// as the driver's rules and JUnit gives each a test suite. A diagnostic
	// whose rule is missing here still renders, with a bare descriptor.
	// When two entries share an ID the first one is used.
	Rules []ecosystem.Rule
	// Diagnostics are the findings, in any order: every format sorts a copy.
	Diagnostics ecosystem.Diagnostics
	// FailOn is the severity at or above which an unwaived finding fails the
	// run, as the CLI's --fail-on flag sets it; zero means ecosystem.Error.
	// It decides the pass or fail verdict shown in JSON and Markdown.
	FailOn ecosystem.Severity
	// Root is the model root's path relative to where the report is read
	// (the repository root for SARIF and GitHub annotations), slash-separated.
	// Renderers show Root joined with Pos.File; Sources still receives
	// Pos.File unchanged. Empty means Pos.File is already relative to there.
	Root string
	// Sources reads model files, so the text format can show the source line
	// under each finding. It may be nil; a file it cannot read is shown
	// without its line.
	Sources SourceReader
}

// DefaultToolName is the tool name used when Report.Tool.Name is empty.
const DefaultToolName = "dsl"

// Tool identifies the program that produced a report.
type Tool struct {
	Name string
	// Version is the program's version, such as "v0.3.1"; may be empty.
	Version string
	// InformationURI is where users learn about the tool; may be empty.
	InformationURI string
}

// SourceReader reads a model file by the name recorded in Pos.File.
type SourceReader interface {
	ReadSource(file string) ([]byte, error)
}

// SourceFunc adapts a function to a SourceReader.
type SourceFunc func(file string) ([]byte, error)

// ReadSource calls f(file).
func (f SourceFunc) ReadSource(file string) ([]byte, error) { return f(file) }

// FromFS returns a SourceReader over a model root presented as an fs.FS (a
// folder, a git revision, a map in tests). Pos.File is taken as a path inside
// fsys; a leading "//" (the model-root notation of load()) or "/" is dropped.
func FromFS(fsys fs.FS) SourceReader {
	return SourceFunc(func(file string) ([]byte, error) {
		return fs.ReadFile(fsys, strings.TrimLeft(file, "/"))
	})
}

// view is a report prepared for rendering: a sorted copy of the findings,
// the rules sorted by ID with one entry per ID, and the counts.
type view struct {
	r         *Report
	opts      options
	diags     ecosystem.Diagnostics
	rules     []ecosystem.Rule
	ruleIndex map[string]int
	summary   Summary
	failOn    ecosystem.Severity
	sources   *sourceCache
}

func newView(r *Report, o options) *view {
	v := &view{
		r:       r,
		opts:    o,
		diags:   slices.Clone(r.Diagnostics),
		summary: Summarize(r.Diagnostics),
		failOn:  cmp.Or(r.FailOn, ecosystem.Error),
		sources: newSourceCache(r.Sources),
	}
	v.diags.Sort()

	v.ruleIndex = map[string]int{}
	for _, rule := range r.Rules {
		if _, dup := v.ruleIndex[rule.ID]; !dup {
			v.ruleIndex[rule.ID] = len(v.rules)
			v.rules = append(v.rules, rule)
		}
	}
	for _, d := range v.diags {
		if _, known := v.ruleIndex[d.Rule]; !known {
			// A rule missing from Rules still needs a descriptor: SARIF
			// results point at one by index.
			v.ruleIndex[d.Rule] = len(v.rules)
			v.rules = append(v.rules, ecosystem.Rule{ID: d.Rule})
		}
	}
	slices.SortFunc(v.rules, func(a, b ecosystem.Rule) int { return cmp.Compare(a.ID, b.ID) })
	for i, rule := range v.rules {
		v.ruleIndex[rule.ID] = i
	}
	return v
}

// toolName returns the tool's name, DefaultToolName when unset.
func (v *view) toolName() string { return cmp.Or(v.r.Tool.Name, DefaultToolName) }

// heading names the run, such as "dsl check".
func (v *view) heading() string {
	return strings.TrimSpace(v.toolName() + " " + v.r.Command)
}

// failed reports whether the findings fail the run at the report's threshold.
func (v *view) failed() bool { return ExitCode(v.diags, v.failOn) != ExitOK }

// file returns the name under which a position's file is shown: Root joined
// with Pos.File, without the model-root marker "//". Absolute names are kept
// as they are.
func (v *view) file(p ecosystem.Pos) string {
	f := p.File
	if strings.HasPrefix(f, "//") {
		f = strings.TrimLeft(f, "/")
	}
	if v.r.Root == "" || path.IsAbs(f) {
		return f
	}
	return path.Join(v.r.Root, f)
}

// pos formats a position as file:line:col with the shown file name, or ""
// when the position is not valid.
func (v *view) pos(p ecosystem.Pos) string {
	if !p.IsValid() {
		return ""
	}
	p.File = v.file(p)
	return p.String()
}
