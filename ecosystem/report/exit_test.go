package report

import (
	"testing"

	"github.com/datasurface/datasurface-go/ecosystem"
)

func TestExitCode(t *testing.T) {
	finding := func(s ecosystem.Severity) ecosystem.Diagnostic {
		return ecosystem.Diagnostic{Rule: "R", Severity: s, Message: s.String()}
	}
	waived := func(s ecosystem.Severity) ecosystem.Diagnostic {
		d := finding(s)
		d.Waived = &ecosystem.WaiverRef{Reason: "accepted", Expires: "2027-01-31"}
		return d
	}
	lists := map[string]ecosystem.Diagnostics{
		"none":          nil,
		"info":          {finding(ecosystem.Info)},
		"warning":       {finding(ecosystem.Info), finding(ecosystem.Warning)},
		"error":         {finding(ecosystem.Warning), finding(ecosystem.Error)},
		"waived error":  {waived(ecosystem.Error), finding(ecosystem.Info)},
		"waived all":    {waived(ecosystem.Error), waived(ecosystem.Warning), waived(ecosystem.Info)},
		"error, waived": {waived(ecosystem.Warning), finding(ecosystem.Error)},
	}
	// want[list][failOn]: 1 when the list holds an unwaived finding at or
	// above the threshold. Zero failOn behaves as Error.
	want := map[string]map[ecosystem.Severity]int{
		"none":          {0: 0, ecosystem.Info: 0, ecosystem.Warning: 0, ecosystem.Error: 0},
		"info":          {0: 0, ecosystem.Info: 1, ecosystem.Warning: 0, ecosystem.Error: 0},
		"warning":       {0: 0, ecosystem.Info: 1, ecosystem.Warning: 1, ecosystem.Error: 0},
		"error":         {0: 1, ecosystem.Info: 1, ecosystem.Warning: 1, ecosystem.Error: 1},
		"waived error":  {0: 0, ecosystem.Info: 1, ecosystem.Warning: 0, ecosystem.Error: 0},
		"waived all":    {0: 0, ecosystem.Info: 0, ecosystem.Warning: 0, ecosystem.Error: 0},
		"error, waived": {0: 1, ecosystem.Info: 1, ecosystem.Warning: 1, ecosystem.Error: 1},
	}
	for name, ds := range lists {
		for failOn, code := range want[name] {
			if got := ExitCode(ds, failOn); got != code {
				t.Errorf("ExitCode(%s, fail-on %v) = %d, want %d", name, failOn, got, code)
			}
			r := Report{Diagnostics: ds, FailOn: failOn}
			if got := r.ExitCode(); got != code {
				t.Errorf("Report{%s, FailOn: %v}.ExitCode() = %d, want %d", name, failOn, got, code)
			}
		}
	}
}
