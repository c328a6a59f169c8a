package main

import (
	"context"
	"fmt"
	"runtime"
)

func init() {
	register(&command{
		name:    "version",
		usage:   "",
		summary: "Print the version of dsl.",
		run: func(ctx context.Context, e *env, args []string) int {
			c := lookup("version")
			fs := newFlags(c, e)
			if code, ok := parseFlags(fs, e, args); !ok {
				return code
			}
			fmt.Fprintf(e.stdout, "dsl %s (%s, %s/%s)\n", version(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return exitClean
		},
	})
}
