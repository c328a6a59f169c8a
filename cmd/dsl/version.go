package main

import (
	"context"
	"fmt"
	"runtime"

	"github.com/spf13/pflag"
)

func init() {
	register(&command{
		name:    "version",
		usage:   "",
		summary: "Print the version of dsl.",
		setup: func(*pflag.FlagSet) runFunc {
			return func(ctx context.Context, e *env, args []string) int {
				if len(args) != 0 {
					return usageError(e, lookup("version"), "it takes no arguments, got %d", len(args))
				}
				fmt.Fprintf(e.stdout, "dsl %s (%s, %s/%s)\n", version(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
				return exitClean
			}
		},
	})
}
