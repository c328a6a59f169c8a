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
	tests := []struct {
		name, flag string
		env        map[string]string
		want       string // the source, or the start of the error
	}{
		{"flag wins", "github.com/acme/sales@dev", map[string]string{"GITHUB_REPOSITORY": "acme/other", "GITHUB_HEAD_REF": "x"}, "github.com/acme/sales@dev"},
		{"flag without branch means main", "github.com/acme/sales", nil, "github.com/acme/sales@main"},
		{"pull request event names the fork", "", map[string]string{"GITHUB_EVENT_PATH": event, "GITHUB_REPOSITORY": "acme/sales", "GITHUB_HEAD_REF": "feature/x"}, "github.com/fork/sales@feature/x"},
		{"enterprise server host", "", map[string]string{"GITHUB_SERVER_URL": "https://git.acme.internal", "GITHUB_REPOSITORY": "acme/sales", "GITHUB_HEAD_REF": "b"}, "git.acme.internal/acme/sales@b"},
		{"no event file falls back to the variables", "", map[string]string{"GITHUB_EVENT_PATH": "/nonexistent", "GITHUB_REPOSITORY": "acme/sales", "GITHUB_HEAD_REF": "b"}, "github.com/acme/sales@b"},
		{"push event has no head ref", "", map[string]string{"GITHUB_REPOSITORY": "acme/sales"}, "error: no --source"},
		{"bad flag", "@main", nil, "error: repository"},
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
