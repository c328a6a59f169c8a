package main

import (
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
