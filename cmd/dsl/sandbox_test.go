package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestModelRootSymlinkEscape checks that a symbolic link inside the model
// folder cannot make load() read a file outside it.
func TestModelRootSymlinkEscape(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(dir, "outside.star")
	if err := os.WriteFile(outside, []byte("secret = 'read outside the model root'\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	model := filepath.Join(dir, "model")
	if err := os.Mkdir(model, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(model, "link.star")); err != nil {
		t.Skipf("cannot make symbolic links here: %v", err)
	}
	eco := `load("//link.star", "secret")
ecosystem(name = secret, repo = repo("github.com/acme/eco"), live_repo = repo("github.com/acme/eco", branch = "live"))
`
	if err := os.WriteFile(filepath.Join(model, "eco.star"), []byte(eco), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), &env{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}, []string{"eval", model})
	if code != exitUsage {
		t.Fatalf("exit %d, want %d; stdout:\n%s\nstderr:\n%s", code, exitUsage, stdout.String(), stderr.String())
	}
	if strings.Contains(stdout.String()+stderr.String(), "read outside the model root") {
		t.Fatalf("the model read a file outside its root:\n%s%s", stdout.String(), stderr.String())
	}
	if !strings.Contains(stderr.String(), "link.star") {
		t.Errorf("the error should name the link that was refused:\n%s", stderr.String())
	}
}

// TestSymlinkEscapeHasAPosition: a link out of the model folder is
// reported at the load() that names it, in the text and GitHub formats, as
// a finding with its rule rather than as an I/O error.
func TestSymlinkEscapeHasAPosition(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(dir, "outside.star")
	if err := os.WriteFile(outside, tinyTeam, 0o644); err != nil {
		t.Fatal(err)
	}
	model := filepath.Join(dir, "model")
	if err := os.Mkdir(model, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(model, "team.star")); err != nil {
		t.Skipf("cannot make symbolic links here: %v", err)
	}
	if err := os.WriteFile(filepath.Join(model, "eco.star"), tinyEco, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	for format, want := range map[string]string{
		"text":   "model/eco.star:1:6: error[LOAD_UNREADABLE]: load: \"//team.star\" cannot be read: it is a symbolic link that cannot be followed",
		"github": "::error file=model/eco.star,line=1,col=6,title=LOAD_UNREADABLE::",
	} {
		code, out, errs := runCLI("lint", "model", "--format", format)
		if code != exitUsage || !strings.Contains(out, want) {
			t.Errorf("--format %s: exit %d, stdout %q, stderr %q; want %q", format, code, out, errs, want)
		}
	}
}
