package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWritesTheModel(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := run([]string{"-shape", "small", "-t", "3", "-w", "1", "-variant", "pr", "-out", dir}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr.String())
	}
	// -t 3 overrides the small shape's two teams per zone.
	for _, f := range []string{"eco.star", "zones/Z0.star", "teams/Z0_T0.star", "teams/Z0_T2.star"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s was not written: %v", f, err)
		}
	}
	team, err := os.ReadFile(filepath.Join(dir, "teams", "Z0_T0.star"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(team), "Z0_T0_SPR") {
		t.Error("the pr variant did not add store Z0_T0_SPR")
	}
	if want := "150 datasets, 1500 columns, 3 workspaces"; !strings.Contains(stdout.String(), want) {
		t.Errorf("stdout = %q, want it to contain %q", stdout.String(), want)
	}
}

func TestUsageErrors(t *testing.T) {
	out := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-shape", "small"}, "want -out DIR"},
		{[]string{"-shape", "huge", "-out", out}, `unknown shape "huge"`},
		{[]string{"-variant", "draft", "-out", out}, `unknown synthetic variant "draft"`},
		{[]string{"-z", "0", "-out", out}, "Zones (Z) is 0"},
		{[]string{"-bogus"}, "flag provided but not defined"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(c.args, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("gen %q: exit %d, stderr %q; want 2 and %q", c.args, code, stderr.String(), c.want)
		}
	}
}
