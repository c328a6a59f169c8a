package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
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
	} {
		code, out, errs := runCLI(args...)
		if code != exitClean || !strings.HasPrefix(out, "flowchart LR") {
			t.Errorf("dsl %s: exit %d, stdout %.40q, stderr %q", strings.Join(args, " "), code, out, errs)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"lint", "../../examples/acme", "--bogus"}, "dsl lint: unknown flag: --bogus\nUsage: dsl lint [flags] MODEL_DIR"},
		{[]string{"lint", "--format", "yaml", "../../examples/acme"}, `dsl lint: invalid argument "yaml" for "--format" flag`},
		{[]string{"lnit"}, `(did you mean "lint"?)`},
		{[]string{"graph"}, "dsl graph: want one model folder, got 0 arguments"},
		{[]string{"version", "extra"}, "dsl version: it takes no arguments"},
	} {
		code, _, errs := runCLI(tc.args...)
		if code != exitUsage || !strings.Contains(errs, tc.want) {
			t.Errorf("dsl %s: exit %d, stderr %q; want exit 2 and %q", strings.Join(tc.args, " "), code, errs, tc.want)
		}
	}
}

func TestHelpAndCompletion(t *testing.T) {
	code, out, _ := runCLI("check", "--help")
	if code != exitClean || !strings.Contains(out, "--source string") || !strings.Contains(out, "Usage:\n  dsl check --repo PATH") {
		t.Errorf("dsl check --help: exit %d\n%s", code, out)
	}
	for shell, marker := range map[string]string{"bash": "complete -o default", "zsh": "#compdef dsl", "fish": "complete -c dsl"} {
		code, out, errs := runCLI("completion", shell)
		if code != exitClean || !strings.Contains(out, marker) {
			t.Errorf("dsl completion %s: exit %d, stderr %q, no %q in the script", shell, code, errs, marker)
		}
	}
}
