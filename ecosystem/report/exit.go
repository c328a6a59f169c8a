package report

import (
	"cmp"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// The CLI's exit codes (docs/REPORTS.md).
const (
	// ExitOK means no unwaived finding at or above the --fail-on severity.
	ExitOK = 0
	// ExitFindings means at least one unwaived finding at or above --fail-on.
	ExitFindings = 1
	// ExitUsage means the command could not run: bad flags, an unreadable
	// model or repository. ExitCode never returns it; the CLI does.
	ExitUsage = 2
)

// ExitCode returns ExitFindings when ds holds an unwaived finding whose
// severity is at or above failOn, and ExitOK otherwise. A zero failOn means
// ecosystem.Error, the CLI's default, so warnings alone pass. Waived findings
// never fail a run: that is what a waiver is for.
func ExitCode(ds ecosystem.Diagnostics, failOn ecosystem.Severity) int {
	failOn = cmp.Or(failOn, ecosystem.Error)
	if m := ds.Max(); m != 0 && m >= failOn {
		return ExitFindings
	}
	return ExitOK
}

// ExitCode returns the exit code for the report's findings at its FailOn
// threshold.
func (r *Report) ExitCode() int { return ExitCode(r.Diagnostics, r.FailOn) }
