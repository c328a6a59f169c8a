package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/datasurface/datasurface-go/internal/safetext"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform"
)

func init() {
	register(&command{
		name:  "trigger",
		usage: "[flags] MODEL_DIR EVENT",
		summary: "Fire an external event of a sql platform: record it in the merge store, so that a running dsl run runs the streams whose capture has trigger = external(EVENT), " +
			"or run them now with --run.",
		exitHelp: "Exit codes: 0 the event was recorded (with --run: and every batch it ran committed), " +
			"1 a batch did not commit (the event stays recorded for the next run), the merge store cannot be used, or the model has errors, " +
			"2 usage or load failure, or an event no stream is triggered by.",
		dirArgs: 1,
		setup:   runTrigger,
	})
}

func runTrigger(fs *pflag.FlagSet) runFunc {
	var pf platformFlags
	pf.register(fs)
	runNow := fs.Bool("run", false, "run the event's streams now, in this process, one batch each, and print what each batch did (as dsl run --once does)")
	format := textOrJSONFlag(fs)
	return func(ctx context.Context, e *env, args []string) int {
		c := lookup("trigger")
		asJSON, code, ok := textOrJSON(c, e, *format)
		if !ok {
			return code
		}
		if len(args) != 2 {
			return usageError(e, c, "want a model folder and an event, got %d arguments", len(args))
		}
		event := args[1]
		t, code, ok := openSQLPlatform(ctx, e, c, &pf, args[0], true, discardLogger())
		if !ok {
			return code
		}
		defer func() { _ = t.close() }()
		streams, err := t.platform.EventStreams(t.pipeline, event)
		if err != nil {
			return usageError(e, c, "%v", err)
		}
		if *runNow {
			out := &runPrinter{e: e, t: t, asJSON: asJSON, cmd: "trigger"}
			if !asJSON && isTerminal(e, e.stderr) {
				out.progress = &progressLine{w: e.stderr}
			}
			opts := sqlplatform.RunOptions{Event: event}
			if out.progress != nil {
				opts.Progress = out.progress.update
			}
			return out.once(ctx, opts)
		}
		rep, err := t.platform.Trigger(ctx, t.pipeline, event)
		switch {
		case errors.Is(err, sqlplatform.ErrUnknownEvent):
			return usageError(e, c, "%v", err)
		case err != nil:
			errorf(e, "dsl trigger: %v\n", err)
			return exitFindings
		}
		if asJSON {
			if err := writeJSON(e.stdout, triggerJSON{
				Platform: rep.Platform, Event: rep.Event, Streams: rep.Streams, Store: rep.Store, StoreFrom: t.storeFrom,
				Fired: rep.Fired.UTC().Format(time.RFC3339Nano),
			}); err != nil {
				errorf(e, "dsl trigger: %v\n", err)
				return exitUsage
			}
			return exitClean
		}
		fmt.Fprintln(e.stdout, t.describe())
		fmt.Fprintf(e.stdout, "event %s recorded for %s %s\n", safetext.Line(event), pluralWord(int64(len(streams)), "stream"), safetext.Line(strings.Join(rep.Streams, ", ")))
		them := "it"
		if len(streams) > 1 {
			them = "them"
		}
		fmt.Fprintf(e.stdout, "a running dsl run %s runs %s within seconds; until one runs, the event waits in the merge store (dsl trigger --run runs %s now)\n",
			t.commandArgs(), them, them)
		return exitClean
	}
}

// triggerJSON is what dsl trigger --format json prints when it records an
// event: one object.
type triggerJSON struct {
	Platform  string   `json:"platform"`
	Event     string   `json:"event"`
	Streams   []string `json:"streams"`
	Store     string   `json:"store"`
	StoreFrom string   `json:"store_from"`
	// Fired is when the event was recorded, RFC 3339 UTC.
	Fired string `json:"fired_at"`
}
