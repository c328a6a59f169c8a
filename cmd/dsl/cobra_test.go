package main

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(context.Background(), &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}, args)
	return code, out.String(), errb.String()
}

// TestInterspersedFlags: flags may follow the arguments, in either the
// POSIX form or the single-dash form dsl took before.
func TestInterspersedFlags(t *testing.T) {
	for _, args := range [][]string{
		{"graph", "../../examples/acme", "--format", "mermaid"},
		{"graph", "--format", "mermaid", "../../examples/acme"},
		{"graph", "../../examples/acme", "-format", "mermaid"},
		{"graph", "../../examples/acme", "--format=mermaid"},
		{"graph", "../../examples/acme", "-format=mermaid", "--timeout", "30s"},
	} {
		code, out, errs := runCLI(args...)
		if code != exitClean || !strings.HasPrefix(out, "flowchart LR") {
			t.Errorf("dsl %s: exit %d, stdout %.40q, stderr %q", strings.Join(args, " "), code, out, errs)
		}
	}
}

// TestLongFlagsLeaveValuesAlone: the single-dash long flags are rewritten,
// the values of flags never are, whatever they look like.
func TestLongFlagsLeaveValuesAlone(t *testing.T) {
	root, _ := newRoot(&env{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, getenv: func(string) string { return "" }})
	for _, tc := range []struct{ in, want []string }{
		{[]string{"check", "--base", "-main", "-head", "pr"}, []string{"check", "--base", "-main", "--head", "pr"}},
		{[]string{"check", "-base=-x", "-head", "-y"}, []string{"check", "--base=-x", "--head", "-y"}},
		{[]string{"lint", "-h"}, []string{"lint", "-h"}},
		{[]string{"lint", "--", "-format"}, []string{"lint", "--", "-format"}},
		{[]string{"lint", "-entry", "-odd.star", "model"}, []string{"lint", "--entry", "-odd.star", "model"}},
	} {
		if got := longFlags(root, tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("longFlags(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	// Through the command line: "-main" reaches git as the base revision.
	code, _, errs := runCLI("check", "--repo", t.TempDir(), "--base", "-main", "--head", "pr", "--source", "github.com/a/b@main")
	if code != exitUsage || strings.Contains(errs, "unknown flag") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}

// TestUsageErrors: every usage mistake is exit 2 with "dsl COMMAND: what"
// and the command's usage line (or a pointer to dsl --help).
func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"lint", "../../examples/acme", "--bogus"}, "dsl lint: unknown flag: --bogus\nUsage: dsl lint [flags] MODEL_DIR"},
		{[]string{"lint", "../../examples/acme", "--fromat", "json"}, `dsl lint: unknown flag: --fromat (did you mean "--format"?)` + "\nUsage: dsl lint [flags] MODEL_DIR"},
		{[]string{"lint", "--format", "yaml", "../../examples/acme"}, `dsl lint: invalid argument "yaml" for "--format" flag`},
		{[]string{"lint", "--timeout", "soon", "../../examples/acme"}, `dsl lint: invalid argument "soon" for "--timeout" flag`},
		{[]string{"check", "--base"}, "dsl check: flag needs an argument: --base\nUsage: dsl check --repo PATH"},
		{[]string{"lintt"}, `dsl: unknown command "lintt" (did you mean "lint"?)` + "\nRun 'dsl --help' for the list of commands."},
		// An unknown command is named as such even when flags follow it.
		{[]string{"nope", "--format", "json"}, `dsl: unknown command "nope"` + "\n"},
		{[]string{"--version"}, `dsl: unknown flag: --version (did you mean "version"?)`},
		{[]string{"graph"}, "dsl graph: want one model folder, got 0 arguments\nUsage: dsl graph [flags] MODEL_DIR"},
		{[]string{"version", "extra"}, "dsl version: it takes no arguments"},
		{[]string{"help", "chek"}, `dsl help: no help for "chek": not a command (did you mean "check"?)`},
		{[]string{"completion"}, "dsl completion: want one shell (bash, zsh, fish, powershell), got 0 arguments\nUsage: dsl completion bash|zsh|fish|powershell"},
		{[]string{"completion", "tcsh"}, `dsl completion: unknown shell "tcsh": want bash, zsh, fish, powershell`},
		{[]string{"completion", "bash", "--bogus"}, "dsl completion: unknown flag: --bogus"},
	} {
		code, out, errs := runCLI(tc.args...)
		if code != exitUsage || !strings.Contains(errs, tc.want) || out != "" {
			t.Errorf("dsl %s: exit %d, stdout %q, stderr %q; want exit 2 and %q", strings.Join(tc.args, " "), code, out, errs, tc.want)
		}
	}
}

// TestEveryCommandHelp: each command's --help (and -h, and dsl help
// COMMAND) exits 0 and lists the command's usage and every flag it takes.
func TestEveryCommandHelp(t *testing.T) {
	for _, c := range commands {
		fs := pflag.NewFlagSet(c.name, pflag.ContinueOnError)
		c.setup(fs)
		for _, args := range [][]string{{c.name, "--help"}, {c.name, "-h"}, {"help", c.name}} {
			code, out, errs := runCLI(args...)
			if code != exitClean || errs != "" || !strings.Contains(out, "Usage:\n  dsl "+c.name) || !strings.Contains(out, "Exit codes:") {
				t.Errorf("dsl %s: exit %d, stderr %q\n%s", strings.Join(args, " "), code, errs, out)
				continue
			}
			fs.VisitAll(func(f *pflag.Flag) {
				if !strings.Contains(out, "--"+f.Name+" ") {
					t.Errorf("dsl %s does not list --%s:\n%s", strings.Join(args, " "), f.Name, out)
				}
			})
		}
	}
	code, out, _ := runCLI("check", "--help")
	if code != exitClean || !strings.Contains(out, "--source string") || !strings.Contains(out, "Usage:\n  dsl check --repo PATH") {
		t.Errorf("dsl check --help: exit %d\n%s", code, out)
	}
}

// TestCompletion: dsl completion writes each shell's script, and the
// completions it asks dsl for offer folders for model arguments and the
// values of enumerated flags.
func TestCompletion(t *testing.T) {
	for shell, marker := range map[string]string{
		"bash": "complete -o default", "zsh": "#compdef dsl", "fish": "complete -c dsl", "powershell": "Register-ArgumentCompleter",
	} {
		for _, args := range [][]string{{"completion", shell}, {"completion", shell, "--no-descriptions"}} {
			code, out, errs := runCLI(args...)
			if code != exitClean || !strings.Contains(out, marker) || errs != "" {
				t.Errorf("dsl %s: exit %d, stderr %q, no %q in the script", strings.Join(args, " "), code, errs, marker)
			}
		}
	}
	for _, tc := range []struct {
		args []string
		want []string // the completions, then the directive line
	}{
		{[]string{"lint", ""}, []string{":16"}}, // folders only
		{[]string{"lint", "model", ""}, []string{":4"}},
		{[]string{"explain", "model", ""}, []string{":4"}},
		{[]string{"plan", "base", ""}, []string{":16"}},
		{[]string{"check", "--repo", ""}, []string{":16"}},
		{[]string{"lint", "--format", ""}, []string{"text", "json", "sarif", "github", "junit", "markdown", ":4"}},
		{[]string{"lint", "--fail-on", ""}, []string{"error", "warning", "info", ":4"}},
		{[]string{"graph", "m", "--format", ""}, []string{"json", "dot", "mermaid", ":4"}},
		{[]string{"eval", "--format", ""}, []string{"text", "json", ":4"}},
		{[]string{"completion", ""}, []string{"bash", "zsh", "fish", "powershell", ":4"}},
	} {
		code, out, _ := runCLI(append([]string{"__completeNoDesc"}, tc.args...)...)
		if got := strings.Fields(out); code != exitClean || !slices.Equal(got, tc.want) {
			t.Errorf("completing dsl %s: exit %d, got %q, want %q", strings.Join(tc.args, " "), code, got, tc.want)
		}
	}
}
