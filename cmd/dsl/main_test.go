package main

import (
	"bytes"
	"context"
	"github.com/datasurface/datasurface-go/internal/diagtest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/datasurface/datasurface-go/governance/gitfs/gittest"
)

var update = diagtest.Update // -update rewrites the golden files

// TestCLI runs each testdata/cli/*.txtar archive as a dsl session. The
// archive's comment is the command line (after "dsl"); its files are
// written to a fresh folder, which becomes the working folder. Files under
// base/ and head/ are instead committed to a git repository at repo/ on
// branches "main" and "pr" (head as a child of base). The sections exit,
// stdout and stderr hold what dsl must print; -update rewrites them.
func TestCLI(t *testing.T) {
	archives, err := filepath.Glob("testdata/cli/*.txtar")
	if err != nil || len(archives) == 0 {
		t.Fatalf("no archives in testdata/cli (err %v)", err)
	}
	for _, file := range archives {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			args := strings.Fields(string(ar.Comment))
			dir := t.TempDir()
			base, head := map[string][]byte{}, map[string][]byte{}
			want := map[string]string{}
			for _, f := range ar.Files {
				switch {
				case f.Name == "exit" || f.Name == "stdout" || f.Name == "stderr":
					want[f.Name] = string(f.Data)
				case strings.HasPrefix(f.Name, "base/"):
					base[strings.TrimPrefix(f.Name, "base/")] = f.Data
				case strings.HasPrefix(f.Name, "head/"):
					head[strings.TrimPrefix(f.Name, "head/")] = f.Data
				default:
					p := filepath.Join(dir, filepath.FromSlash(f.Name))
					if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(p, f.Data, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			if len(base) > 0 || len(head) > 0 {
				if err := gittest.WritePullRequest(filepath.Join(dir, "repo"), "main", base, "pr", head); err != nil {
					t.Fatal(err)
				}
			}
			t.Chdir(dir)
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), &env{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}, args)
			got := map[string]string{
				"exit":   strconv.Itoa(code) + "\n",
				"stdout": stdout.String(),
				"stderr": stderr.String(),
			}
			if *update {
				var files []txtar.File
				for _, f := range ar.Files {
					if _, isWant := want[f.Name]; !isWant {
						files = append(files, f)
					}
				}
				for _, name := range []string{"exit", "stdout", "stderr"} {
					if got[name] != "" {
						files = append(files, txtar.File{Name: name, Data: []byte(got[name])})
					}
				}
				ar.Files = files
				if err := os.WriteFile(filepath.Join(origWD, file), txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			for _, name := range []string{"exit", "stdout", "stderr"} {
				if got[name] != want[name] {
					t.Errorf("%s differs (run with -update to accept):\n--- got ---\n%s\n--- want ---\n%s", name, got[name], want[name])
				}
			}
		})
	}
}

// origWD is the package folder, where the archives live.
var origWD, _ = os.Getwd()
