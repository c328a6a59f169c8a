// Command embed shows how a Go program embeds DataSurface, end to end:
//
//  1. it evaluates a model from an io/fs.FS with sandbox limits;
//  2. it registers its own platform kind, "sqlscript" (platform_sqlscript.go),
//     beside the library's built-in ones (platforms.Builtin);
//  3. it lints the model, binds the model's platform declarations to their
//     kinds, assigns the dataset groups to platforms and builds one pipeline
//     per platform (Registry.Broker), and runs each platform's acceptance
//     check (Bound.Accept);
//  4. it walks the typed model, printing each zone, team, datastore and
//     dataset with the workspaces that consume it (directly or through
//     transformers), then the lint and platform findings;
//  5. when there is no error, it renders the pipeline of every platform of
//     kind "sqlscript" (Bound.Render) and lists the artifacts, or writes them
//     to a folder.
//
// Usage:
//
//	go run ./examples/embed [-max-steps N] [-timeout D] [-out DIR] [MODEL_DIR]
//
// With MODEL_DIR, the model is read from that directory (for example
// examples/acme). Without, the program evaluates the tiny model compiled into
// it with //go:embed, the way a service would ship a model inside its binary;
// its group Sales.daily is served by the sqlscript platform "Scripts".
//
// Without -out, each rendered artifact is listed with its size. With -out,
// the artifacts of platform P are written to DIR/P/ (PostgreSQL scripts,
// run.sh and schedule.crontab for the sqlscript kind), once every platform
// has rendered: a failed render writes nothing. Each file is written to a
// temporary name and renamed into place, and no file is written outside DIR;
// files an earlier run left in DIR/P/ are kept, so render into an empty
// folder to get exactly the current artifacts.
//
// The exit code is 0 when the model is valid (warnings allowed) and its
// pipelines render, 1 when lint or a platform reports errors (a platform kind
// the program does not register is PLATFORM_KIND_UNKNOWN) or a pipeline does
// not render, and 2 when the arguments are wrong, the model does not evaluate
// or the artifacts cannot be written: the convention of the dsl command line.
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
	"github.com/datasurface/datasurface-go/platforms"
	"github.com/datasurface/datasurface-go/starlark"
)

// builtinModel is the model evaluated when no directory is given.
//
//go:embed model
var builtinModel embed.FS

// The exit codes.
const (
	exitOK      = 0
	exitInvalid = 1 // lint or a platform found errors, or a pipeline does not render
	exitUsage   = 2 // bad arguments, the model does not evaluate, or -out cannot be written
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
	outDir := flags.String("out", "", "write the artifacts of each "+sqlScriptKind+" platform P to `DIR`/P/ instead of listing them")
	flags.Usage = func() {
		fmt.Fprintln(stderr, "usage: embed [-max-steps N] [-timeout D] [-out DIR] [MODEL_DIR]")
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

	// The host's registry: the library's platform kinds and its own.
	reg := platforms.Builtin()
	if err := registerPlatforms(reg); err != nil {
		fmt.Fprintln(stderr, "embed: registering the program's platform kinds:", err)
		return exitUsage
	}

	lintDiags := lint.Lint(m)
	// Broker binds each platform declaration to its kind, assigns the
	// dataset groups and builds every platform's pipeline. Accept returns
	// the broker's findings (b.Diagnostics: binding and assignment) with
	// every bound platform's acceptance check; it leaves out GRAPH_CYCLE,
	// which lint reports as TRANSFORMER_CYCLE.
	b := reg.Broker(m)
	platformDiags := b.Accept(ctx)

	walk(stdout, m)
	printDiagnostics(stdout, "lint", lintDiags)
	printDiagnostics(stdout, "platforms", platformDiags)
	if lintDiags.Max() >= ecosystem.Error || platformDiags.Max() >= ecosystem.Error {
		return exitInvalid
	}

	return realise(ctx, b, *outDir, stdout, stderr)
}

// realise renders the pipeline of every platform of kind sqlscript, then
// lists the artifacts, or writes them to outDir when it is set: only once
// every platform has rendered, so that a failure writes nothing. It returns
// the exit code.
func realise(ctx context.Context, b *platforms.Bound, outDir string, stdout, stderr io.Writer) int {
	rendered, err := renderKind(ctx, b, sqlScriptKind)
	if err != nil {
		fmt.Fprintln(stderr, "embed:", err)
		return exitInvalid
	}
	if outDir != "" {
		if err := writeArtifacts(outDir, rendered); err != nil {
			fmt.Fprintln(stderr, "embed: -out:", err)
			return exitUsage
		}
	}
	printRendered(stdout, sqlScriptKind, rendered, outDir)
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
	// os.Root, unlike os.DirFS, refuses symbolic links that lead outside
	// the folder, so the model reads nothing outside its root.
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, "", err
	}
	return root.FS(), dir, nil
}
