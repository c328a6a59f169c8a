// Command embed shows how a Go program embeds DataSurface: it evaluates a
// model from an io/fs.FS with sandbox limits, lints it, and walks the typed
// model, printing each zone, team, datastore and dataset with the workspaces
// that consume it (directly or through transformers).
//
// Usage:
//
//	go run ./examples/embed [-max-steps N] [-timeout D] [DIR]
//
// With DIR, the model is read from that directory (for example
// examples/acme). Without, the program evaluates the tiny model compiled into
// it with //go:embed, the way a service would ship a model inside its binary.
//
// The exit code is 0 when the model is valid (warnings allowed), 1 when lint
// reports errors and 2 when the arguments are wrong or the model does not
// evaluate: the convention of the dsl command line.
package main

import (
	"context"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/ecosystem/lint"
	"github.com/datasurface/datasurface-go/starlark"
)

// builtinModel is the model evaluated when no directory is given.
//
//go:embed model
var builtinModel embed.FS

// The exit codes.
const (
	exitOK      = 0
	exitInvalid = 1 // lint found errors
	exitUsage   = 2 // bad arguments, or the model does not evaluate
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole program, with its arguments and outputs passed in so that
// a test can call it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("embed", flag.ContinueOnError)
	flags.SetOutput(stderr)
	maxSteps := flags.Uint64("max-steps", 0, "stop evaluation after this many Starlark steps (0: the library's default)")
	timeout := flags.Duration("timeout", 0, "stop evaluation after this long (0: the library's default)")
	flags.Usage = func() {
		fmt.Fprintln(stderr, "usage: embed [-max-steps N] [-timeout D] [DIR]")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return exitUsage
	}
	if flags.NArg() > 1 {
		fmt.Fprintf(stderr, "embed: want at most one model directory, got %d arguments\n", flags.NArg())
		flags.Usage()
		return exitUsage
	}

	fsys, name, err := modelFS(flags.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "embed:", err)
		return exitUsage
	}
	var opts []starlark.Option
	if *maxSteps > 0 {
		opts = append(opts, starlark.WithMaxSteps(*maxSteps))
	}
	if *timeout > 0 {
		opts = append(opts, starlark.WithTimeout(*timeout))
	}

	m, err := starlark.Evaluate(ctx, fsys, opts...)
	if err != nil {
		fmt.Fprintf(stderr, "embed: %s does not evaluate:\n", name)
		var diags ecosystem.DiagnosticsError
		if errors.As(err, &diags) {
			for _, d := range diags {
				fmt.Fprintln(stderr, d.Error())
			}
		} else {
			fmt.Fprintln(stderr, err)
		}
		return exitUsage
	}

	diags := lint.Lint(m)
	walk(stdout, m)
	printDiagnostics(stdout, diags)
	if diags.Max() >= ecosystem.Error {
		return exitInvalid
	}
	return exitOK
}

// modelFS returns the file system holding the model: the directory dir, or
// the embedded model when dir is empty, and a name for messages.
func modelFS(dir string) (fs.FS, string, error) {
	if dir == "" {
		sub, err := fs.Sub(builtinModel, "model")
		return sub, "the embedded model", err
	}
	info, err := os.Stat(dir)
	if err != nil {
		return nil, "", fmt.Errorf("model directory: %w", err)
	}
	if !info.IsDir() {
		return nil, "", fmt.Errorf("model directory %s is a file: give the folder that holds eco.star", dir)
	}
	return os.DirFS(dir), dir, nil
}
