package main

import (
	"bytes"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/datasurface/datasurface-go/examples/synthetic"
	"github.com/datasurface/datasurface-go/governance/gitfs"
)

// TestWriteGit checks that -git writes the three branches a benchmark of
// `dsl check` needs, each holding exactly its variant of the model.
func TestWriteGit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "model.git")
	var out, errs bytes.Buffer
	if code := run([]string{"-git", "-shape", "small", "-out", dir}, &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	repo, err := gitfs.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for branch, variant := range map[string]synthetic.Variant{
		synthetic.BaseBranch:         synthetic.Base,
		synthetic.PullRequestBranch:  synthetic.PullRequest,
		synthetic.IncompatibleBranch: synthetic.PullRequestIncompatible,
	} {
		fsys, err := repo.FS(branch)
		if err != nil {
			t.Fatalf("branch %s: %v", branch, err)
		}
		want, err := synthetic.Files(synthetic.Small, variant)
		if err != nil {
			t.Fatal(err)
		}
		for name, data := range want {
			got, err := fs.ReadFile(fsys, name)
			if err != nil || !bytes.Equal(got, data) {
				t.Errorf("branch %s: %s differs from the %v variant (err %v)", branch, name, variant, err)
			}
		}
	}
	if !strings.Contains(out.String(), synthetic.IncompatibleBranch) {
		t.Errorf("output does not name the branches: %q", out.String())
	}
}
