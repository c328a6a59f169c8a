// Command dsl is the thin command-line face of DataSurface for Go: it
// evaluates and lints a model, checks a pull request between two git
// revisions, and shows the pipelines the broker derives.
//
// Exit codes (DESIGN.md section 4): 0 clean or warnings only, 1 findings at
// or above --fail-on, 2 usage or load failure.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
)

// Exit codes shared by every command.
const (
	exitClean    = 0
	exitFindings = 1
	exitUsage    = 2
)

// command is one sub-command of dsl.
type command struct {
	name    string
	usage   string // the argument synopsis after the command name
	summary string
	run     func(ctx context.Context, env *env, args []string) int
}

// env is what a command writes to; tests swap the writers.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
}

// errUsage marks an error in how a command was called (exit code 2).
var errUsage = errors.New("usage")

var commands []*command

func register(c *command) { commands = append(commands, c) }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, &env{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}, os.Args[1:]))
}

// run dispatches to a sub-command and returns the exit code.
func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		if len(args) > 1 {
			if c := lookup(args[1]); c != nil {
				return c.run(ctx, e, []string{"--help"})
			}
		}
		printUsage(e.stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitClean
	}
	c := lookup(args[0])
	if c == nil {
		fmt.Fprintf(e.stderr, "dsl: unknown command %q%s\nRun 'dsl --help' for the list of commands.\n", args[0], suggest(args[0]))
		return exitUsage
	}
	return c.run(ctx, e, args[1:])
}

func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

func suggest(name string) string {
	for _, c := range commands {
		if strings.HasPrefix(c.name, name) || strings.HasPrefix(name, c.name) {
			return fmt.Sprintf(" (did you mean %q?)", c.name)
		}
	}
	return ""
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "dsl: the DataSurface model tool")
	fmt.Fprintln(w, "\nUsage: dsl COMMAND [flags] [arguments]\n\nCommands:")
	sorted := append([]*command(nil), commands...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].name < sorted[j].name })
	for _, c := range sorted {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'dsl COMMAND --help' for a command's flags.")
	fmt.Fprintln(w, "Exit codes: 0 clean (or warnings only), 1 findings at or above --fail-on, 2 usage or load failure.")
}

// newFlags returns a flag set for a command whose usage prints the synopsis
// and the flags to stdout on --help and to stderr on mistakes.
func newFlags(c *command, e *env) *flag.FlagSet {
	fs := flag.NewFlagSet("dsl "+c.name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: dsl %s %s\n\n%s\n\nFlags:\n", c.name, c.usage, c.summary)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args; it returns (exit code, false) when the command
// should stop: 0 after --help, 2 after a mistake.
func parseFlags(fs *flag.FlagSet, e *env, args []string) (int, bool) {
	for _, a := range args {
		if a == "-h" || a == "--help" || a == "-help" {
			fs.SetOutput(e.stdout)
			fs.Usage()
			return exitClean, false
		}
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage, false
	}
	return 0, true
}

// usageError prints a usage mistake and returns exit code 2.
func usageError(e *env, c *command, format string, args ...any) int {
	fmt.Fprintf(e.stderr, "dsl %s: %s\nUsage: dsl %s %s\n", c.name, fmt.Sprintf(format, args...), c.name, c.usage)
	return exitUsage
}
