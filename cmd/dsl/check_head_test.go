package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing/filemode"

	"github.com/datasurface/datasurface-go/governance/gitfs/gittest"
)

// TestCheckHeadSymlinkIsAFinding: a pull request that commits a symbolic
// link where a model file was is the pull request's problem, so it is a
// finding with a position in every format (exit 1, SARIF written), not a
// load failure on stderr (exit 2).
func TestCheckHeadSymlinkIsAFinding(t *testing.T) {
	dir := t.TempDir()
	b, err := gittest.Init(filepath.Join(dir, "repo"), false)
	if err != nil {
		t.Fatal(err)
	}
	eco := []byte(`load("//team.star", "t")
ecosystem(name = "Tiny", repo = repo("github.com/tiny/eco"), live_repo = repo("github.com/tiny/eco", branch = "live"),
    zones = [zone("Main", repo = repo("github.com/tiny/main"), teams = [t])])
`)
	team := []byte(`t = team("Sales", repo = repo("github.com/tiny/sales"))` + "\n")
	if _, err := b.CommitEntries("main", map[string]gittest.File{"eco.star": {Data: eco}, "team.star": {Data: team}}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.CommitEntries("pr", map[string]gittest.File{"eco.star": {Data: eco}, "team.star": {Data: []byte("/etc/passwd"), Mode: filemode.Symlink}}); err != nil {
		t.Fatal(err)
	}
	sarif := filepath.Join(dir, "out.sarif")
	var stdout, stderr bytes.Buffer
	e := &env{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	code := run(context.Background(), e, []string{"check", "--repo", filepath.Join(dir, "repo"), "--base", "main", "--head", "pr",
		"--source", "github.com/tiny/sales@main", "--format", "github", "--sarif", sarif})
	if code != exitFindings {
		t.Fatalf("exit %d, want %d; stderr %q", code, exitFindings, stderr.String())
	}
	if !strings.Contains(stdout.String(), "::error file=eco.star,line=1,col=6,title=LOAD_UNREADABLE::") || !strings.Contains(stdout.String(), "symbolic link") {
		t.Errorf("no GitHub annotation at the load(): %q", stdout.String())
	}
	data, err := os.ReadFile(sarif)
	if err != nil {
		t.Fatalf("SARIF not written: %v", err)
	}
	if !strings.Contains(string(data), `"ruleId": "LOAD_UNREADABLE"`) {
		t.Errorf("SARIF has no LOAD_UNREADABLE result")
	}
}
