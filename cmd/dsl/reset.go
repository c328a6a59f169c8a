package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/datasurface/datasurface-go/internal/safetext"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform"
)

func init() {
	register(&command{
		name:    "reset",
		usage:   "[flags] MODEL_DIR --stream STREAM",
		summary: "Discard the uncommitted batch of one stream of a sql platform, so that the next run starts that batch afresh from the source; a committed batch is never reset.",
		exitHelp: "Exit codes: 0 the batch was discarded, 1 nothing to reset (the latest batch is committed, or none ran) or another runner holds the stream, " +
			"2 usage or load failure.",
		dirArgs: 1,
		setup:   runReset,
	})
}

func runReset(fs *pflag.FlagSet) runFunc {
	var pf platformFlags
	pf.register(fs)
	stream := fs.String("stream", "", "the stream whose uncommitted batch to discard (required): a datastore's name, or STORE.DATASET")
	return func(ctx context.Context, e *env, args []string) int {
		c := lookup("reset")
		if len(args) != 1 {
			return usageError(e, c, "want one model folder, got %d arguments", len(args))
		}
		if *stream == "" {
			return usageError(e, c, "name the stream to reset with --stream (dsl status lists the streams)")
		}
		t, code, ok := openSQLPlatform(ctx, e, c, &pf, args[0], false, discardLogger())
		if !ok {
			return code
		}
		batch, err := t.platform.Reset(ctx, t.pipeline, *stream)
		switch {
		case errors.Is(err, sqlplatform.ErrNothingToReset), errors.Is(err, sqlplatform.ErrStreamBusy):
			errorf(e, "dsl reset: %v\n", err)
			return exitFindings
		case err != nil:
			errorf(e, "dsl reset: %v\n", err)
			return exitUsage
		}
		fmt.Fprintf(e.stdout, "%s\nstream %s: uncommitted batch %d discarded; the next dsl run starts batch %d afresh from the source\n",
			t.describe(), safetext.Line(*stream), batch, batch)
		return exitClean
	}
}
