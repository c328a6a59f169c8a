package main

import (
	"context"
	"time"

	"github.com/spf13/pflag"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/ecosystem/report"
	"github.com/datasurface/datasurface-go/governance"
	"github.com/datasurface/datasurface-go/platforms"
)

func init() {
	register(&command{
		name:    "lint",
		usage:   "[flags] MODEL_DIR",
		summary: "Evaluate a model and report every problem of it: lint, zone policies, platform binding and acceptance, with its waivers applied.",
		dirArgs: 1,
		setup:   runLint,
	})
}

func runLint(fs *pflag.FlagSet) runFunc {
	var ef evalFlags
	var rf reportFlags
	ef.register(fs)
	rf.register(fs)
	now := fs.String("now", "", "the date waivers are checked against, YYYY-MM-DD (default: today, UTC)")
	return func(ctx context.Context, e *env, args []string) int {
		c := lookup("lint")
		clock, err := parseNow(*now)
		if err != nil {
			return usageError(e, c, "%v", err)
		}
		if len(args) != 1 {
			return usageError(e, c, "want one model folder, got %d arguments", len(args))
		}
		dir := args[0]
		m, evalDiags, fsys, err := loadModel(ctx, dir, &ef)
		if err != nil {
			errorf(e, "dsl lint: %v\n", err)
			return exitUsage
		}
		rep := &report.Report{
			Tool:    toolInfo(),
			Command: "lint",
			Title:   "dsl lint " + dir,
			Rules:   modelRules(),
			FailOn:  rf.failOn,
			Root:    slashRoot(dir),
			Sources: report.FromFS(fsys),
		}
		if m == nil {
			// The model did not evaluate: report why, as a load failure.
			rep.Diagnostics = evalDiags
			if err := report.Write(e.stdout, rf.format, rep); err != nil {
				errorf(e, "dsl lint: %v\n", err)
			}
			return exitUsage
		}
		if rep.Diagnostics, err = modelDiagnostics(ctx, m, clock); err != nil {
			errorf(e, "dsl lint: %v\n", err)
			return exitUsage
		}
		if err := report.Write(e.stdout, rf.format, rep); err != nil {
			errorf(e, "dsl lint: %v\n", err)
			return exitUsage
		}
		return report.ExitCode(rep.Diagnostics, rf.failOn)
	}
}

// modelDiagnostics returns every finding about one model on its own: lint,
// zone policies, the broker's (binding platform declarations to registered
// kinds, assigning every dataset group, each platform's acceptance of its
// pipeline), with the model's waivers applied.
func modelDiagnostics(ctx context.Context, m *ecosystem.Ecosystem, now time.Time) (ecosystem.Diagnostics, error) {
	return registry().CheckModel(ctx, m, governance.WithNow(now))
}

// modelErrors returns the findings that keep a model from running,
// rendering or being published: dsl lint's errors that no waiver covers.
func modelErrors(ctx context.Context, m *ecosystem.Ecosystem) (ecosystem.Diagnostics, error) {
	diags, err := modelDiagnostics(ctx, m, time.Now().UTC())
	if err != nil {
		return nil, err
	}
	var errs ecosystem.Diagnostics
	for _, d := range diags {
		if d.Severity == ecosystem.Error && d.Waived == nil {
			errs = append(errs, d)
		}
	}
	return errs, nil
}

// modelRules lists the rules whose findings lint may report: every rule of
// the one registry.
func modelRules() []ecosystem.Rule { return ecosystem.AllRules() }

// registry returns the platform kinds dsl knows: the library's own.
func registry() *platforms.Registry { return platforms.Builtin() }
