package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing/filemode"

	"github.com/datasurface/datasurface-go/governance/gitfs/gittest"
)

// tinyEco and tinyTeam are a small model that evaluates.
var (
	tinyEco = []byte(`load("//team.star", "t")
ecosystem(name = "Tiny", repo = repo("github.com/tiny/eco"), live_repo = repo("github.com/tiny/eco", branch = "live"),
    zones = [zone("Main", repo = repo("github.com/tiny/main"), teams = [t])])
`)
	tinyTeam = []byte(`t = team("Sales", repo = repo("github.com/tiny/sales"))` + "\n")
)

// tinyModel is the tiny model under folder dir ("" for the root).
func tinyModel(dir string) map[string]gittest.File {
	return map[string]gittest.File{
		filepath.ToSlash(filepath.Join(dir, "eco.star")):  {Data: tinyEco},
		filepath.ToSlash(filepath.Join(dir, "team.star")): {Data: tinyTeam},
	}
}

// pullRequest writes a repository with base on main and head on pr, a
// child of main, and returns its path.
func pullRequest(t *testing.T, base, head map[string]gittest.File) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "repo")
	b, err := gittest.Init(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.CommitEntries("main", base); err != nil {
		t.Fatal(err)
	}
	if err := b.Branch("pr", "main"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.CommitEntries("pr", head); err != nil {
		t.Fatal(err)
	}
	return dir
}

// checkRun runs dsl check with a SARIF file and returns the exit code,
// stdout, stderr and the SARIF file's content ("" when not written).
func checkRun(t *testing.T, repo string, extra ...string) (int, string, string, string) {
	t.Helper()
	sarif := filepath.Join(t.TempDir(), "out.sarif")
	args := append([]string{"check", "--repo", repo, "--base", "main", "--head", "pr",
		"--source", "github.com/tiny/sales@main", "--now", "2026-01-01", "--sarif", sarif}, extra...)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), &env{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}, args)
	data, _ := os.ReadFile(sarif)
	return code, stdout.String(), stderr.String(), string(data)
}

// sarifRules lists the rule IDs of a SARIF file's results.
func sarifRules(t *testing.T, data string) []string {
	t.Helper()
	var doc struct {
		Runs []struct {
			Results []struct {
				RuleID string `json:"ruleId"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(data), &doc); err != nil {
		t.Fatalf("SARIF does not parse: %v", err)
	}
	var ids []string
	for _, r := range doc.Runs {
		for _, res := range r.Results {
			ids = append(ids, res.RuleID)
		}
	}
	return ids
}

// TestCheckHeadFailuresAreFindings: whatever the pull request's head does
// to the model (removes its folder or entry file, replaces the folder with
// a link or a file, commits a model file as a link, does not evaluate) is
// a finding with a rule ID in every format: a GitHub annotation, the SARIF
// file written, exit 1. It is never a load failure on stderr (exit 2).
func TestCheckHeadFailuresAreFindings(t *testing.T) {
	without := func(files map[string]gittest.File, names ...string) map[string]gittest.File {
		out := map[string]gittest.File{}
		for k, v := range files {
			out[k] = v
		}
		for _, n := range names {
			delete(out, n)
		}
		return out
	}
	other := map[string]gittest.File{"README.md": {Data: []byte("no model here\n")}}
	for _, tc := range []struct {
		name       string
		base, head map[string]gittest.File
		dir        string
		rule, want string // the finding's rule and a part of its message
	}{
		{"head removes the model folder", tinyModel("models"), other, "models",
			"LOAD_NOT_FOUND", "the pull request's head pr removes the model: it has no folder models, which base main has"},
		{"head makes the model folder a link", tinyModel("models"), withFile(tinyModel("real"), "models", gittest.File{Data: []byte("real"), Mode: filemode.Symlink}), "models",
			"LOAD_UNREADABLE", "has models as a symbolic link, not a folder"},
		{"head makes the model folder a file", tinyModel("models"), withFile(other, "models", gittest.File{Data: []byte("x")}), "models",
			"LOAD_UNREADABLE", "has models as a file, not a folder"},
		{"head deletes the entry file", tinyModel(""), without(tinyModel(""), "eco.star"), ".",
			"LOAD_NOT_FOUND", "the pull request's head pr deletes the model's entry file eco.star, which base main has"},
		{"head deletes the entry file in a folder", tinyModel("m"), without(tinyModel("m"), "m/eco.star"), "./m/",
			"LOAD_NOT_FOUND", "deletes the model's entry file eco.star"},
		{"head makes the entry file a link", tinyModel(""), withFile(tinyModel(""), "eco.star", gittest.File{Data: []byte("team.star"), Mode: filemode.Symlink}), ".",
			"LOAD_UNREADABLE", "symbolic link"},
		{"head makes a model file a link out of the model", tinyModel(""), withFile(tinyModel(""), "team.star", gittest.File{Data: []byte("/etc/passwd"), Mode: filemode.Symlink}), ".",
			"LOAD_UNREADABLE", "symbolic link"},
		{"head does not evaluate", tinyModel(""), withFile(tinyModel(""), "team.star", gittest.File{Data: []byte("t = team(\"Sales\",,)\n")}), ".",
			"EVAL_SYNTAX", "syntax error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			repo := pullRequest(t, tc.base, tc.head)
			code, stdout, stderr, sarif := checkRun(t, repo, "--dir", tc.dir, "--format", "github")
			if code != exitFindings {
				t.Fatalf("exit %d, want %d (findings); stdout %q, stderr %q", code, exitFindings, stdout, stderr)
			}
			if !strings.Contains(stdout, "title="+tc.rule+"::") || !strings.Contains(stdout, tc.want) {
				t.Errorf("no %s annotation saying %q:\n%s", tc.rule, tc.want, stdout)
			}
			if sarif == "" {
				t.Fatal("the SARIF file was not written")
			}
			if ids := sarifRules(t, sarif); len(ids) == 0 || ids[0] != tc.rule {
				t.Errorf("SARIF results %v, want %s", ids, tc.rule)
			}
		})
	}
}

// TestCheckHeadLinkHasAPosition: a model file committed as a link is
// reported at the load() that names it.
func TestCheckHeadLinkHasAPosition(t *testing.T) {
	head := tinyModel("")
	head["team.star"] = gittest.File{Data: []byte("/etc/passwd"), Mode: filemode.Symlink}
	code, stdout, _, _ := checkRun(t, pullRequest(t, tinyModel(""), head), "--format", "github")
	if code != exitFindings || !strings.Contains(stdout, "::error file=eco.star,line=1,col=6,title=LOAD_UNREADABLE::") {
		t.Errorf("exit %d, want 1 and an annotation at the load():\n%s", code, stdout)
	}
}

// TestCheckFolderErrors: a --dir that names no model in either revision, a
// base that cannot be read as a model folder and a --dir outside the
// repository are errors (exit 2), not findings, and say what to do.
func TestCheckFolderErrors(t *testing.T) {
	model := tinyModel("models")
	for _, tc := range []struct {
		name       string
		base, head map[string]gittest.File
		dir, want  string
	}{
		{"neither has the folder", model, model, "elsewhere", "neither main nor pr has elsewhere/eco.star: pass the model's folder with --dir"},
		{"--dir names a file in both", model, model, "models/eco.star", "neither main nor pr has a model folder at models/eco.star"},
		{"base folder is a link", withFile(tinyModel("real"), "models", gittest.File{Data: []byte("real"), Mode: filemode.Symlink}), model, "models",
			"the base revision main has models as a symbolic link, not a folder; links are not followed (commit the folder itself), so nothing can be checked against it: fix the base branch first"},
		{"--dir climbs out", model, model, "models/../..", `--dir models/../..: the model's folder must be inside the repository`},
		{"--dir is absolute", model, model, "/etc", "--dir /etc: want the model's folder relative to the repository's root"},
		{"--dir is empty", model, model, "", "--dir is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr, sarif := checkRun(t, pullRequest(t, tc.base, tc.head), "--dir", tc.dir)
			if code != exitUsage || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 saying %q (stdout %q)", code, stderr, tc.want, stdout)
			}
			if sarif != "" {
				t.Errorf("a SARIF file was written for an error")
			}
		})
	}
}

// withFile returns files with name set to f.
func withFile(files map[string]gittest.File, name string, f gittest.File) map[string]gittest.File {
	out := map[string]gittest.File{name: f}
	for k, v := range files {
		if k != name {
			out[k] = v
		}
	}
	return out
}

// TestCheckFirstModelInAFolder: a base without the model's folder is an
// empty base, so the head is checked as the first model.
func TestCheckFirstModelInAFolder(t *testing.T) {
	repo := pullRequest(t, map[string]gittest.File{"README.md": {Data: []byte("x\n")}}, tinyModel("models"))
	code, stdout, stderr, _ := checkRun(t, repo, "--dir", "models", "--format", "github")
	if code != exitFindings || !strings.Contains(stderr, "base revision main has no models/eco.star: checking the head as the first model") ||
		!strings.Contains(stdout, "file=models/eco.star,") || !strings.Contains(stdout, "AUTHZ_FIRST_MODEL_SOURCE") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
}

// TestCheckShallowClone: a base revision beyond a shallow clone's history
// says the clone is shallow and how to fetch it.
func TestCheckShallowClone(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "repo")
	b, err := gittest.Init(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.CommitEntries("main", tinyModel("")); err != nil {
		t.Fatal(err)
	}
	tip, err := b.CommitEntries("main", tinyModel(""))
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Branch("pr", "main"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "shallow"), []byte(tip.String()+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), &env{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }},
		[]string{"check", "--repo", dir, "--base", "main~1", "--head", "pr", "--source", "github.com/tiny/sales@main"})
	if code != exitUsage || !strings.Contains(stderr.String(), "the clone is shallow") || !strings.Contains(stderr.String(), "fetch-depth: 0") {
		t.Errorf("exit %d, stderr %q; want exit 2 saying the clone is shallow", code, stderr.String())
	}
}
