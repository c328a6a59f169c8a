package main

import (
	"github.com/datasurface/datasurface-go/examples/synthetic"
	"github.com/datasurface/datasurface-go/governance/gitfs/gittest"
)

// writeGit writes a bare repository in dir holding the pull request of
// docs/PERFORMANCE.md: the base model on synthetic.BaseBranch, the pull
// request and its incompatible variant each on a branch made from it. The
// objects are packed, as in a clone, so reading them costs what it costs in CI.
func writeGit(dir string, shape synthetic.Shape) error {
	b, err := gittest.Init(dir, true)
	if err != nil {
		return err
	}
	for _, step := range []struct {
		branch  string
		variant synthetic.Variant
	}{
		{synthetic.BaseBranch, synthetic.Base},
		{synthetic.PullRequestBranch, synthetic.PullRequest},
		{synthetic.IncompatibleBranch, synthetic.PullRequestIncompatible},
	} {
		files, err := synthetic.Files(shape, step.variant)
		if err != nil {
			return err
		}
		if step.variant != synthetic.Base {
			if err := b.Branch(step.branch, synthetic.BaseBranch); err != nil {
				return err
			}
		}
		if _, err := b.Commit(step.branch, files); err != nil {
			return err
		}
	}
	return b.Repack()
}
