package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckSource(t *testing.T) {
	event := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(event, []byte(`{"pull_request": {"head": {"ref": "feature/x", "repo": {"full_name": "fork/sales"}}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	write := func(name, body string) string {
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	nullHead := write("null.json", `{"pull_request": {"head": {"ref": "main", "repo": null}}}`)
	push := write("push.json", `{"ref": "refs/heads/main", "repository": {"full_name": "acme/sales"}}`)
	broken := write("broken.json", `{"pull_request": `)
	badName := write("bad.json", `{"pull_request": {"head": {"ref": "main", "repo": {"full_name": "fork/"}}}}`)
	badRef := write("badref.json", `{"pull_request": {"head": {"ref": "a..b", "repo": {"full_name": "fork/sales"}}}}`)
	base := map[string]string{"GITHUB_REPOSITORY": "acme/sales", "GITHUB_HEAD_REF": "main"}
	with := func(path string) map[string]string {
		m := map[string]string{"GITHUB_EVENT_PATH": path}
		for k, v := range base {
			m[k] = v
		}
		return m
	}
	tests := []struct {
		name, flag string
		env        map[string]string
		want       string // the source, or the start of the error
	}{
		{"flag wins", "github.com/acme/sales@dev", map[string]string{"GITHUB_REPOSITORY": "acme/other", "GITHUB_HEAD_REF": "x"}, "github.com/acme/sales@dev"},
		{"flag without branch means main", "github.com/acme/sales", nil, "github.com/acme/sales@main"},
		{"pull request event names the fork", "", map[string]string{"GITHUB_EVENT_PATH": event, "GITHUB_REPOSITORY": "acme/sales", "GITHUB_HEAD_REF": "feature/x"}, "github.com/fork/sales@feature/x"},
		{"enterprise server host", "", map[string]string{"GITHUB_EVENT_PATH": event, "GITHUB_SERVER_URL": "https://git.acme.internal/"}, "git.acme.internal/fork/sales@feature/x"},
		// A fork's branch named main must never pass as the base repository.
		{"base repository variables are never trusted", "", base, "error: no --source, and no GitHub Actions pull request event"},
		{"unreadable event file", "", with("/nonexistent"), "error: no --source, and the GitHub Actions event file cannot be read"},
		{"head repository null", "", with(nullHead), "error: no --source, and the pull request event names no head repository"},
		{"not a pull request event", "", with(push), "error: no --source, and the GitHub Actions event is not a pull request event"},
		{"broken event file", "", with(broken), "error: no --source, and the GitHub Actions event file"},
		{"malformed head repository", "", with(badName), "error: no --source, and the pull request event's head"},
		{"malformed head branch", "", with(badRef), "error: no --source, and the pull request event's head"},
		{"bad flag", "@main", nil, "error: repository"},
		{"malformed flag: empty repo part", "owner/@main", nil, `error: repository "owner/@main" is malformed`},
		{"malformed flag: one part", "no-slash@main", nil, `error: repository "no-slash@main" is malformed`},
		{"malformed flag: space", "a b/c@main", nil, `error: repository "a b/c@main" is malformed`},
		{"malformed flag: trailing space", "acme/sales @main", nil, `error: repository "acme/sales @main" is malformed`},
		{"malformed flag: look-alike letter", "github.com/acme/s\u0430les@main", nil, `error: repository`},
		{"malformed flag: branch", "acme/sales@a..b", nil, `error: repository "acme/sales@a..b" is malformed`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := checkSource(tt.flag, func(k string) string { return tt.env[k] })
			if err != nil {
				if !strings.HasPrefix("error: "+err.Error(), tt.want) {
					t.Fatalf("error %q, want %q", err, tt.want)
				}
				return
			}
			if got.String() != tt.want {
				t.Fatalf("source %s, want %s", got, tt.want)
			}
		})
	}
}

// TestForkPullRequestIsRefused runs dsl check as a fork's pull request
// would in GitHub Actions: GITHUB_REPOSITORY names the base repository and
// the fork's branch is called main. Without a readable event naming the
// head repository, dsl must refuse (exit 2) rather than check the change as
// coming from the base repository.
func TestForkPullRequestIsRefused(t *testing.T) {
	repo := pullRequest(t, tinyModel(""), tinyModel(""))
	nullHead := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(nullHead, []byte(`{"pull_request": {"head": {"ref": "main", "repo": null}, "base": {"repo": {"full_name": "tiny/eco"}}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, event := range map[string]string{"no event file": "", "unreadable event file": filepath.Join(t.TempDir(), "missing.json"), "head.repo null": nullHead} {
		t.Run(name, func(t *testing.T) {
			vars := map[string]string{"GITHUB_REPOSITORY": "tiny/eco", "GITHUB_HEAD_REF": "main", "GITHUB_BASE_REF": "main",
				"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": event}
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), &env{stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return vars[k] }},
				[]string{"check", "--repo", repo, "--base", "main", "--head", "pr"})
			if code != exitUsage || !strings.Contains(stderr.String(), "pass --source NAME@BRANCH") || stdout.String() != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 asking for --source", code, stdout.String(), stderr.String())
			}
		})
	}
}

// TestMalformedSourceIsAUsageError: a malformed --source stops dsl check
// with exit 2 and the command's usage line, before anything is read.
func TestMalformedSourceIsAUsageError(t *testing.T) {
	repo := pullRequest(t, tinyModel(""), tinyModel(""))
	for _, source := range []string{"owner/@main", "no-slash@main", "a b/c@main", "github.com/tiny/s\u0430les@main", "github.com/tiny/sales @main", "github.com/tiny/sales@main "} {
		code, stdout, stderr := runCLI("check", "--repo", repo, "--base", "main", "--head", "pr", "--source", source)
		if code != exitUsage || !strings.Contains(stderr, "dsl check: ") || !strings.Contains(stderr, "\nUsage: dsl check") || stdout != "" {
			t.Errorf("--source %q: exit %d, stdout %q, stderr %q; want a usage error", source, code, stdout, stderr)
		}
	}
}
