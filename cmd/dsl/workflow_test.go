package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestWorkflowExampleFlags keeps examples/github-actions/dsl-check.yml true:
// the dsl command lines it runs must parse with today's flags, and the
// source must come from the GitHub Actions environment it provides.
func TestWorkflowExampleFlags(t *testing.T) {
	b, err := os.ReadFile("../../examples/github-actions/dsl-check.yml")
	if err != nil {
		t.Fatal(err)
	}
	// Join continued lines, then take each "dsl ..." command line.
	text := strings.ReplaceAll(string(b), "\\\n", " ")
	// Workflow expressions and shell variables both stand for a branch.
	expr := regexp.MustCompile(`\$\{\{[^}]*\}\}|\$[A-Z_]+`)
	var found int
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "dsl check ") {
			continue
		}
		if strings.Contains(line, "${{") {
			t.Errorf("a workflow expression is spliced into the shell script (pass it through env): %s", line)
		}
		found++
		args := strings.Fields(strings.ReplaceAll(expr.ReplaceAllString(line, "main"), `"`, ""))[1:]
		// Point the repository at a folder that is not one, so the command
		// stops right after parsing its flags and reading its source.
		for i, a := range args {
			if a == "--repo" {
				args[i+1] = t.TempDir()
			}
		}
		event := filepath.Join(t.TempDir(), "event.json")
		if err := os.WriteFile(event, []byte(`{"pull_request": {"head": {"ref": "feature", "repo": {"full_name": "fork/sales"}}}}`), 0o644); err != nil {
			t.Fatal(err)
		}
		env := &env{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, getenv: func(k string) string {
			return map[string]string{"GITHUB_EVENT_PATH": event, "GITHUB_REPOSITORY": "acme/sales", "GITHUB_HEAD_REF": "feature"}[k]
		}}
		code := run(context.Background(), env, args)
		stderr := env.stderr.(*bytes.Buffer).String()
		if code != exitUsage || !strings.Contains(stderr, "not a git repository") && !strings.Contains(stderr, "repository does not exist") {
			t.Errorf("dsl %s: exit %d, stderr %q; want it to get past flag parsing and fail on the repository", strings.Join(args, " "), code, stderr)
		}
	}
	if found == 0 {
		t.Fatal("no dsl check command in the workflow example")
	}
}
