package main

import (
	"context"
	"io/fs"
	"strings"
	"testing"

	"github.com/datasurface/datasurface-go/governance/gitfs/gittest"
)

// TestModelFollowerSeesTheBranchMove: the follower reads the branch's
// model folder from a local repository and from a URL (cloned into memory,
// then fetched), and sees each new commit at its next look.
func TestModelFollowerSeesTheBranchMove(t *testing.T) {
	for _, url := range []bool{false, true} {
		name := map[bool]string{false: "path", true: "url"}[url]
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			repo, err := gittest.Init(dir, false)
			if err != nil {
				t.Fatal(err)
			}
			first, err := repo.Commit("main", map[string][]byte{"models/eco.star": []byte("# one\n"), "README": []byte("x")})
			if err != nil {
				t.Fatal(err)
			}
			where := dir
			if url {
				where = "file://" + dir
			}
			ctx := context.Background()
			f, err := newModelFollower(ctx, where, "main", "models")
			if err != nil {
				t.Fatal(err)
			}
			rev, fsys, err := f.look(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if data, err := fs.ReadFile(fsys, "eco.star"); err != nil || string(data) != "# one\n" {
				t.Fatalf("look: eco.star = %q, %v", data, err)
			}
			if rev != first.String() {
				t.Errorf("look gives %s; want the branch's commit %s", rev, first)
			}
			next, err := repo.Commit("main", map[string][]byte{"models/eco.star": []byte("# two\n")})
			if err != nil {
				t.Fatal(err)
			}
			rev, fsys, err = f.look(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if rev != next.String() {
				t.Errorf("after a commit, look gives %s; want the branch's new commit %s", rev, next)
			}
			if data, err := fs.ReadFile(fsys, "eco.star"); err != nil || string(data) != "# two\n" {
				t.Errorf("after a commit, eco.star = %q, %v; want the new text", data, err)
			}
		})
	}
}

// TestModelFollowerErrors: a missing branch or model folder is an error
// naming it; no branch at all is refused up front.
func TestModelFollowerErrors(t *testing.T) {
	dir := t.TempDir()
	repo, err := gittest.Init(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := repo.Commit("main", map[string][]byte{"eco.star": []byte("#\n")}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := newModelFollower(ctx, dir, "", "."); err == nil || !strings.Contains(err.Error(), "--repo needs --branch") {
		t.Errorf("no branch: %v", err)
	}
	f, err := newModelFollower(ctx, dir, "nope", ".")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.look(ctx); err == nil || !strings.Contains(err.Error(), "--branch nope") {
		t.Errorf("unknown branch: %v; want an error naming --branch nope", err)
	}
	f, err = newModelFollower(ctx, dir, "main", "models")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.look(ctx); err == nil || !strings.Contains(err.Error(), "models") {
		t.Errorf("missing folder: %v; want an error naming models", err)
	}
	if got := redactURL("https://bob:s3cret@git.example.com/m.git"); strings.Contains(got, "s3cret") || !strings.Contains(got, "bob:xxxxx@") {
		t.Errorf("redactURL = %q; want the password hidden", got)
	}
}
