// Command dsl is the thin command-line face of DataSurface for Go: it
// evaluates and lints a model, checks a pull request between two git
// revisions, and shows the pipelines the broker derives.
//
// Exit codes (docs/REPORTS.md): 0 clean or warnings only, 1 findings at
// or above --fail-on, 2 usage or load failure.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/datasurface/datasurface-go/internal/safetext"
	suggestpkg "github.com/datasurface/datasurface-go/internal/suggest"
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
	// setup defines the command's flags on fs and returns the function that
	// runs the command once they are parsed, with the positional arguments.
	setup func(fs *pflag.FlagSet) runFunc
}

// runFunc runs a command and returns its exit code.
type runFunc func(ctx context.Context, e *env, args []string) int

// env is what a command writes to; tests swap the writers.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
}

var commands []*command

// register adds a command; each command's file registers itself in init.
func register(c *command) { commands = append(commands, c) }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, &env{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}, os.Args[1:]))
}

// run parses the command line with cobra, runs the command and returns its
// exit code: the command's own, 0 after --help, 2 for a usage mistake.
func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 {
		printUsage(e.stdout)
		return exitUsage
	}
	root, code := newRoot(e)
	root.SetArgs(longFlags(args))
	cmd, err := root.ExecuteContextC(ctx)
	if err != nil {
		name := "dsl"
		if cmd != nil && cmd != root {
			name = "dsl " + cmd.Name()
		}
		msg := safetext.Text(err.Error())
		if cmd == root || cmd == nil {
			fmt.Fprintf(e.stderr, "%s: %s%s\nRun 'dsl --help' for the list of commands.\n", name, msg, suggest(args[0]))
		} else {
			fmt.Fprintf(e.stderr, "%s: %s\nUsage: %s\n", name, msg, cmd.UseLine())
		}
		return exitUsage
	}
	return *code
}

// newRoot builds the cobra command tree. The returned code is set by the
// command that runs.
func newRoot(e *env) (*cobra.Command, *int) {
	code := new(int)
	root := &cobra.Command{
		Use:           "dsl",
		Short:         "dsl: the DataSurface model tool",
		Long:          "dsl evaluates and lints a DataSurface model, checks a pull request between two git revisions, and shows the pipelines the broker derives.\n\nExit codes: 0 clean (or warnings only), 1 findings at or above --fail-on, 2 usage or load failure.",
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmd.Help()
		},
	}
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return err })
	sorted := slices.Clone(commands)
	slices.SortFunc(sorted, func(a, b *command) int { return strings.Compare(a.name, b.name) })
	for _, c := range sorted {
		sub := &cobra.Command{
			Use:                   strings.TrimSpace(c.name + " " + c.usage),
			Short:                 c.summary,
			Long:                  c.summary + "\n\nExit codes: 0 clean (or warnings only), 1 findings at or above --fail-on, 2 usage or load failure.",
			DisableFlagsInUseLine: true,
			Args:                  cobra.ArbitraryArgs,
		}
		runner := c.setup(sub.Flags())
		sub.RunE = func(cmd *cobra.Command, args []string) error {
			*code = runner(cmd.Context(), e, args)
			return nil
		}
		root.AddCommand(sub)
	}
	return root, code
}

// longFlags accepts the single-dash long flags dsl took before it used
// cobra (-format json, -fail-on=warning): "-name" becomes "--name" when name
// is longer than one letter. Arguments after "--" are left alone.
func longFlags(args []string) []string {
	out := slices.Clone(args)
	for i, a := range out {
		if a == "--" {
			break
		}
		if len(a) > 2 && a[0] == '-' && a[1] != '-' && isFlagName(strings.SplitN(a[1:], "=", 2)[0]) {
			out[i] = "-" + a
		}
	}
	return out
}

func isFlagName(s string) bool {
	if len(s) < 2 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r == '-') {
			return false
		}
	}
	return true
}

func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

// suggest offers the command nearest to an unknown one.
func suggest(name string) string {
	var names []string
	for _, c := range commands {
		names = append(names, c.name)
	}
	names = append(names, "completion", "help")
	if c, ok := suggestpkg.Closest(name, names); ok {
		return fmt.Sprintf(" (did you mean %q?)", c)
	}
	for _, n := range names {
		if strings.HasPrefix(n, name) {
			return fmt.Sprintf(" (did you mean %q?)", n)
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
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "  %-10s %s\n", "completion", "Print a shell completion script: dsl completion bash|zsh|fish|powershell.")
	fmt.Fprintln(w, "\nRun 'dsl COMMAND --help' for a command's flags.")
	fmt.Fprintln(w, "Exit codes: 0 clean (or warnings only), 1 findings at or above --fail-on, 2 usage or load failure.")
}

// errorf prints an error for people: the text may hold model values, file
// names and revisions, so control characters are shown escaped.
func errorf(e *env, format string, args ...any) {
	fmt.Fprint(e.stderr, safetext.Text(fmt.Sprintf(format, args...)))
}

// usageError prints a usage mistake and returns exit code 2.
func usageError(e *env, c *command, format string, args ...any) int {
	fmt.Fprintf(e.stderr, "dsl %s: %s\nUsage: dsl %s %s\n", c.name, safetext.Text(fmt.Sprintf(format, args...)), c.name, c.usage)
	return exitUsage
}
