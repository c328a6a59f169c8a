package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage/memory"

	"github.com/datasurface/datasurface-go/governance/gitfs"
	"github.com/datasurface/datasurface-go/internal/safetext"
)

// modelFollower reads the model from a branch of a git repository, for
// dsl worker --repo: a local path is read in place (reopened at each look,
// so commits made meanwhile are seen), and a URL is cloned into memory
// once and fetched at each look. Only the branch is read; no worktree is
// written.
type modelFollower struct {
	repo, branch, dir string
	// remote is the in-memory clone of a URL; nil for a local path.
	remote *git.Repository
}

// isRemote reports whether repo is a URL to clone rather than a path.
func isRemote(repo string) bool {
	return strings.Contains(repo, "://") || strings.HasPrefix(repo, "git@")
}

// newModelFollower checks the flags and, for a URL, clones the branch.
func newModelFollower(ctx context.Context, repo, branch, dir string) (*modelFollower, error) {
	if branch == "" {
		return nil, errors.New("--repo needs --branch: the branch whose model the worker runs, such as main")
	}
	clean, err := cleanDir(dir)
	if err != nil {
		return nil, fmt.Errorf("--path: %w", err)
	}
	f := &modelFollower{repo: repo, branch: branch, dir: clean}
	if isRemote(repo) {
		r, err := git.CloneContext(ctx, memory.NewStorage(), nil, &git.CloneOptions{
			URL: repo, ReferenceName: plumbing.NewBranchReferenceName(branch), SingleBranch: true, NoCheckout: true, Tags: git.NoTags,
		})
		if err != nil {
			return nil, fmt.Errorf("--repo %s: cloning branch %s: %w", safetext.Line(redactURL(repo)), safetext.Line(branch), err)
		}
		f.remote = r
	}
	return f, nil
}

// look returns the branch's current commit and the model folder in it.
func (f *modelFollower) look(ctx context.Context) (string, fs.FS, error) {
	var repo *gitfs.Repository
	if f.remote != nil {
		ref := config.RefSpec(fmt.Sprintf("+refs/heads/%s:refs/heads/%s", f.branch, f.branch))
		err := f.remote.FetchContext(ctx, &git.FetchOptions{RefSpecs: []config.RefSpec{ref}, Tags: git.NoTags, Force: true})
		if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
			return "", nil, fmt.Errorf("--repo %s: fetching branch %s: %w", safetext.Line(redactURL(f.repo)), safetext.Line(f.branch), err)
		}
		repo = gitfs.New(f.remote)
	} else {
		r, err := gitfs.Open(f.repo)
		if err != nil {
			return "", nil, fmt.Errorf("--repo: %w", err)
		}
		repo = r
	}
	root, err := repo.FS("refs/heads/" + f.branch)
	if err != nil {
		return "", nil, fmt.Errorf("--branch %s: %w", safetext.Line(f.branch), err)
	}
	fsys, err := revisionFS(repo, root.Commit(), f.dir)
	if err != nil {
		return "", nil, fmt.Errorf("--path: %w", err)
	}
	return root.Commit(), fsys, nil
}

// redactURL hides the password of a URL's user information.
func redactURL(s string) string {
	at := strings.LastIndex(s, "@")
	scheme := strings.Index(s, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return s
	}
	user := s[scheme+3 : at]
	if i := strings.Index(user, ":"); i >= 0 {
		return s[:scheme+3] + user[:i] + ":xxxxx" + s[at:]
	}
	return s
}
