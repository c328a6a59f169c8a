// Command dsl is the thin command-line face of DataSurface for Go: it
// evaluates and lints a model, checks a pull request between two git
// revisions, shows the pipelines the broker derives, and runs the
// pipelines of sql platforms (run, status, reset, trigger).
//
// Exit codes (docs/REPORTS.md): 0 clean or warnings only, 1 findings at
// or above --fail-on, 2 usage or load failure. The commands that run
// pipelines use 1 for a batch that did not commit (docs/SQL_PLATFORM.md).
package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/datasurface/datasurface-go/internal/safetext"
	"github.com/datasurface/datasurface-go/internal/suggest"
)

// Exit codes shared by every command.
const (
	exitClean    = 0
	exitFindings = 1
	exitUsage    = 2
)

// exitCodesHelp ends every command's help.
const exitCodesHelp = "Exit codes: 0 clean (or warnings only), 1 findings at or above --fail-on, 2 usage or load failure."

// command is one sub-command of dsl. A command lives in a file of its own
// that registers it from init; run builds the cobra command from it, so a
// command needs nothing else.
type command struct {
	name    string
	usage   string // the argument synopsis after the command name
	summary string // one sentence: the command list and the help's first line
	// dirArgs is how many leading arguments are folders (model folders):
	// shell completion offers folders for them and nothing after them.
	dirArgs int
	// exitHelp replaces exitCodesHelp at the end of the command's help, for
	// a command whose exit codes mean something else (dsl run).
	exitHelp string
	// setup defines the command's flags on fs and returns the function that
	// runs the command once they are parsed, with the positional arguments.
	// Flags may carry completion hints: see flagValues and flagDir.
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
	// SIGTERM stops like Ctrl-C: dsl run finishes or leaves its batch
	// resumable and exits cleanly when a service manager stops it.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, &env{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}, os.Args[1:]))
}

// run parses the command line with cobra, runs the command and returns its
// exit code: the command's own, 0 after --help, 2 for a usage mistake.
// Every usage mistake is reported the same way: "dsl COMMAND: what is
// wrong", then the command's usage line (or, for a mistake before any
// command, a pointer to dsl --help).
func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 {
		printUsage(e.stdout)
		return exitUsage
	}
	root, code := newRoot(e)
	if a := args[0]; !strings.HasPrefix(a, "-") && !isCommand(root, a) {
		fmt.Fprintf(e.stderr, "dsl: unknown command %q%s\nRun 'dsl --help' for the list of commands.\n", a, didYouMean(a, commandNames(root)))
		return exitUsage
	}
	root.SetArgs(longFlags(root, args))
	cmd, err := root.ExecuteContextC(ctx)
	if err != nil {
		return commandUsageError(e, root, cmd, err)
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
		Long:          "dsl evaluates and lints a DataSurface model, checks a pull request between two git revisions, shows the pipelines the broker derives, and runs the pipelines of sql platforms.\n\n" + exitCodesHelp,
		SilenceErrors: true,
		SilenceUsage:  true,
		// Completion is dsl's own command (completion.go), with a usage
		// error for an unknown shell.
		CompletionOptions: cobra.CompletionOptions{DisableDefaultCmd: true},
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
			Long:                  c.summary + "\n\n" + cmp.Or(c.exitHelp, exitCodesHelp),
			DisableFlagsInUseLine: true,
			Args:                  cobra.ArbitraryArgs,
			ValidArgsFunction:     completeDirs(c.dirArgs),
		}
		runner := c.setup(sub.Flags())
		registerFlagCompletions(sub)
		sub.RunE = func(cmd *cobra.Command, args []string) error {
			*code = runner(cmd.Context(), e, args)
			return nil
		}
		root.AddCommand(sub)
	}
	root.AddCommand(newCompletionCommand(root))
	root.SetHelpCommand(newHelpCommand(root))
	return root, code
}

// isCommand reports whether name is a command of root, or one of cobra's
// own (help, and the hidden commands shell completion calls).
func isCommand(root *cobra.Command, name string) bool {
	switch name {
	case "help", cobra.ShellCompRequestCmd, cobra.ShellCompNoDescRequestCmd:
		return true
	}
	for _, c := range root.Commands() {
		if c.Name() == name || c.HasAlias(name) {
			return true
		}
	}
	return false
}

// commandNames lists the commands people type, for did-you-mean.
func commandNames(root *cobra.Command) []string {
	names := []string{"help"}
	for _, c := range root.Commands() {
		if !c.Hidden {
			names = append(names, c.Name())
		}
	}
	return names
}

// commandUsageError reports a usage mistake cobra found (an unknown flag, a
// bad flag value, a wrong argument count of completion or help) and
// returns exit code 2.
func commandUsageError(e *env, root, cmd *cobra.Command, err error) int {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "unknown flag: --"); ok && cmd != nil {
		var names []string
		cmd.Flags().VisitAll(func(f *pflag.Flag) { names = append(names, "--"+f.Name) })
		if cmd == root {
			// dsl --version meant dsl version.
			for _, c := range commandNames(root) {
				if c == name {
					names = append(names, c)
				}
			}
		}
		msg += didYouMean("--"+name, names)
	}
	if cmd == nil || cmd == root {
		fmt.Fprintf(e.stderr, "dsl: %s\nRun 'dsl --help' for the list of commands.\n", forPeople(msg))
	} else {
		fmt.Fprintf(e.stderr, "%s: %s\nUsage: %s\n", cmd.CommandPath(), forPeople(msg), cmd.UseLine())
	}
	return exitUsage
}

// didYouMean offers the candidate nearest to name, or one it starts, as
// " (did you mean "x"?)"; it is empty when none is near.
func didYouMean(name string, candidates []string) string {
	if c, ok := suggest.Closest(name, candidates); ok {
		return fmt.Sprintf(" (did you mean %q?)", c)
	}
	if name != "" && name != "--" {
		for _, c := range candidates {
			if strings.HasPrefix(c, name) {
				return fmt.Sprintf(" (did you mean %q?)", c)
			}
		}
	}
	return ""
}

// longFlags accepts the single-dash long flags dsl took before it used
// cobra (-format json, -fail-on=warning): "-name" becomes "--name" when
// name is longer than one letter. The value of a flag that takes one is
// left alone, whatever it looks like (--base -x, --entry -odd.star), and so
// is everything after "--".
func longFlags(root *cobra.Command, args []string) []string {
	cmd, _, err := root.Find(args)
	if err != nil || cmd == nil {
		cmd = root
	}
	cmd.InitDefaultHelpFlag()
	out := slices.Clone(args)
	for i := 0; i < len(out); i++ {
		a := out[i]
		if a == "--" {
			break
		}
		if len(a) < 2 || a[0] != '-' {
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if a[1] != '-' {
			if !isFlagName(name) {
				continue // a shorthand such as -h
			}
			out[i] = "-" + a
		}
		if f := cmd.Flags().Lookup(name); f != nil && !hasValue && f.NoOptDefVal == "" {
			i++ // the next argument is this flag's value
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

// printUsage prints the list of commands, for dsl run without one.
func printUsage(w io.Writer) {
	fmt.Fprintln(w, "dsl: the DataSurface model tool")
	fmt.Fprintln(w, "\nUsage: dsl COMMAND [flags] [arguments]\n\nCommands:")
	sorted := slices.Clone(commands)
	slices.SortFunc(sorted, func(a, b *command) int { return strings.Compare(a.name, b.name) })
	for _, c := range sorted {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "  %-10s %s\n", "completion", completionSummary)
	fmt.Fprintln(w, "\nRun 'dsl COMMAND --help' for a command's flags.")
	fmt.Fprintln(w, exitCodesHelp)
}

// errorf prints an error for people, ending it with a newline. The text
// may hold model values, file names and revisions, so it is shown by
// forPeople.
func errorf(e *env, format string, args ...any) {
	fmt.Fprintln(e.stderr, forPeople(strings.TrimSuffix(fmt.Sprintf(format, args...), "\n")))
}

// forPeople makes untrusted text safe to print: control characters are
// shown escaped, and the lines after the first are indented, so that no
// line can start a GitHub Actions workflow command ("::error::...").
func forPeople(s string) string {
	return strings.ReplaceAll(safetext.Text(s), "\n", "\n  ")
}

// usageError prints a usage mistake and returns exit code 2.
func usageError(e *env, c *command, format string, args ...any) int {
	fmt.Fprintf(e.stderr, "dsl %s: %s\nUsage: dsl %s %s\n", c.name, forPeople(fmt.Sprintf(format, args...)), c.name, c.usage)
	return exitUsage
}
