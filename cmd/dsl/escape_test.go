package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStderrEscapesModelText: a value the user or the model controls that
// reaches an error message on stderr cannot carry terminal sequences or
// start a GitHub Actions workflow command on a line of its own.
func TestStderrEscapesModelText(t *testing.T) {
	code, _, errs := runCLI("impact", "../../examples/acme", "No\x1b[31mSuch\n::error::store")
	if code != exitUsage {
		t.Fatalf("exit %d, want 2", code)
	}
	if strings.Contains(errs, "\x1b") || strings.Contains(errs, "\n::error") {
		t.Errorf("stderr carries raw model text: %q", errs)
	}
	if !strings.Contains(errs, `\x1b[31m`) {
		t.Errorf("stderr does not show the escape: %q", errs)
	}
}

// TestErrorContinuationLines: an error that spans lines (here a folder
// name with a newline, quoted by the error it is in only by chance) never
// starts a line with a workflow command.
func TestErrorContinuationLines(t *testing.T) {
	for _, args := range [][]string{
		{"eval", "no\n::error::such folder"},
		{"check", "--repo", "no\n::error::such", "--base", "a", "--head", "b", "--source", "github.com/a/b@main"},
		{"plan", "--repo", ".", "--base", "a", "--head", "b", "--dir", "/x\n::error::y"},
	} {
		code, out, errs := runCLI(args...)
		for _, line := range strings.Split(out+errs, "\n") {
			if strings.HasPrefix(line, "::") {
				t.Errorf("dsl %q: exit %d, a line starts a workflow command: %q", args, code, out+errs)
			}
		}
	}
}

// TestEvalSummaryEscapesNames: the summary's names come from the model, so
// a name cannot recolour the terminal, break the table onto a new line or
// start a workflow command.
func TestEvalSummaryEscapesNames(t *testing.T) {
	dir := t.TempDir()
	eco := `load("//team.star", "t")
ecosystem(name = "Ti\x1b[31mny", repo = repo("github.com/tiny/eco"), live_repo = repo("github.com/tiny/eco", branch = "live"),
    zones = [zone("Main", repo = repo("github.com/tiny/main"), teams = [t])])
`
	team := `t = team("Sa\nles\n::error::x", repo = repo("github.com/tiny/sales"))` + "\n"
	for name, data := range map[string]string{"eco.star": eco, "team.star": team} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errs := runCLI("eval", dir)
	if code != exitClean {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if strings.Contains(out, "\x1b") || strings.Contains(out, "\n::error") {
		t.Errorf("the summary prints raw model text:\n%s", out)
	}
	if !strings.Contains(out, `ecosystem Ti\x1b[31mny`) || !strings.Contains(out, `Sa\nles\n::error::x`) {
		t.Errorf("the summary does not show the names escaped:\n%s", out)
	}
}
