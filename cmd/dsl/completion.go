package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// completionSummary is the completion command's line in the command list.
const completionSummary = "Print a shell completion script: dsl completion bash|zsh|fish|powershell."

// shells are the shells dsl completion writes a script for, each with its
// writer and how to load the script.
var shells = []struct {
	name, load string
	write      func(root *cobra.Command, w io.Writer, descriptions bool) error
}{
	{"bash", "source <(dsl completion bash)", func(root *cobra.Command, w io.Writer, d bool) error { return root.GenBashCompletionV2(w, d) }},
	{"zsh", "source <(dsl completion zsh)", func(root *cobra.Command, w io.Writer, d bool) error {
		if d {
			return root.GenZshCompletion(w)
		}
		return root.GenZshCompletionNoDesc(w)
	}},
	{"fish", "dsl completion fish | source", func(root *cobra.Command, w io.Writer, d bool) error { return root.GenFishCompletion(w, d) }},
	{"powershell", "dsl completion powershell | Out-String | Invoke-Expression", func(root *cobra.Command, w io.Writer, d bool) error {
		if d {
			return root.GenPowerShellCompletionWithDesc(w)
		}
		return root.GenPowerShellCompletion(w)
	}},
}

// newCompletionCommand is `dsl completion SHELL`. Unlike cobra's default
// command, an unknown or missing shell is a usage error (exit 2), not a
// help page.
func newCompletionCommand(root *cobra.Command) *cobra.Command {
	var names, load []string
	for _, s := range shells {
		names = append(names, s.name)
		load = append(load, fmt.Sprintf("  %-11s %s", s.name+":", s.load))
	}
	var noDesc bool
	cmd := &cobra.Command{
		Use:                   "completion " + strings.Join(names, "|"),
		Short:                 completionSummary,
		Long:                  completionSummary + "\n\nLoad it in the current shell:\n" + strings.Join(load, "\n") + "\n\nor save it where the shell loads completions from.",
		DisableFlagsInUseLine: true,
		ValidArgs:             names,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("want one shell (%s), got %d arguments", strings.Join(names, ", "), len(args))
			}
			if !slices.Contains(names, args[0]) {
				return fmt.Errorf("unknown shell %q: want %s", args[0], strings.Join(names, ", "))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, s := range shells {
				if s.name == args[0] {
					return s.write(root, cmd.OutOrStdout(), !noDesc)
				}
			}
			return nil // unreachable: Args checked the name
		},
	}
	cmd.Flags().BoolVar(&noDesc, "no-descriptions", false, "leave the commands' and flags' descriptions out of the completions")
	return cmd
}

// newHelpCommand is `dsl help [COMMAND]`. An unknown command is a usage
// error with a did-you-mean, where cobra's own help command would print the
// general help and succeed.
func newHelpCommand(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:                   "help [COMMAND]",
		Short:                 "Print the help of dsl or of one command.",
		DisableFlagsInUseLine: true,
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return commandNames(root), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			target, rest, err := root.Find(args)
			switch {
			case len(args) == 0:
				return root.Help()
			case err != nil || target == root || len(rest) > 0:
				return fmt.Errorf("no help for %q: not a command%s", strings.Join(args, " "), didYouMean(args[len(args)-1], commandNames(root)))
			}
			return target.Help()
		},
	}
}

// completeDirs completes the first n arguments with folders and nothing
// after them.
func completeDirs(n int) cobra.CompletionFunc {
	return func(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) < n {
			return nil, cobra.ShellCompDirectiveFilterDirs
		}
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
}

// flagValuesAnnotation marks a flag whose values flagValues lists.
const flagValuesAnnotation = "dsl_values"

// flagValues records the values a flag takes, which shell completion
// offers.
func flagValues(fs *pflag.FlagSet, name string, values ...string) {
	mustAnnotate(fs, name, flagValuesAnnotation, values)
}

// flagDir makes shell completion offer folders for a flag's value.
func flagDir(fs *pflag.FlagSet, name string) {
	mustAnnotate(fs, name, cobra.BashCompSubdirsInDir, []string{})
}

// mustAnnotate sets an annotation on a flag the command has just defined;
// a missing flag is a mistake in dsl itself.
func mustAnnotate(fs *pflag.FlagSet, name, key string, values []string) {
	if err := fs.SetAnnotation(name, key, values); err != nil {
		panic(fmt.Sprintf("dsl: annotating flag --%s: %v", name, err))
	}
}

// registerFlagCompletions turns the flagValues annotations of cmd's flags
// into completion functions.
func registerFlagCompletions(cmd *cobra.Command) {
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		values, ok := f.Annotations[flagValuesAnnotation]
		if !ok {
			return
		}
		_ = cmd.RegisterFlagCompletionFunc(f.Name, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
	})
}
