package main

import (
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
