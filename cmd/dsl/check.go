package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path"
	"time"

	"github.com/spf13/pflag"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/ecosystem/report"
	"github.com/datasurface/datasurface-go/governance"
	"github.com/datasurface/datasurface-go/governance/gitfs"
	"github.com/datasurface/datasurface-go/platforms"
)

func init() {
	register(&command{
		name:    "check",
		usage:   "--repo PATH --base REV --head REV [--source REPO@BRANCH] [flags]",
		summary: "Check a pull request between two git revisions: validity, authorization, compatibility, policies, platform acceptance.",
		setup:   runCheck,
	})
}

func runCheck(fs *pflag.FlagSet) runFunc {
	var ef evalFlags
	var rf reportFlags
	ef.register(fs)
	rf.register(fs)
	repoPath := fs.String("repo", ".", "the git repository holding the model (bare or not)")
	baseRev := fs.String("base", "", "the revision the pull request merges into (branch, tag, commit, HEAD~1, ...)")
	headRev := fs.String("head", "", "the revision proposed by the pull request")
	sourceFlag := fs.String("source", "", "the repository and branch the pull request comes from, NAME@BRANCH (default: read from the GitHub Actions environment)")
	dir := fs.String("dir", ".", "the model root's folder inside the repository")
	sarifPath := fs.String("sarif", "", "also write the report as SARIF 2.1.0 to this file (for code scanning uploads)")
	now := fs.String("now", "", "the date waivers are checked against, YYYY-MM-DD (default: today, UTC)")
	flagDir(fs, "repo")
	return func(ctx context.Context, e *env, args []string) int {
		c := lookup("check")
		if len(args) != 0 {
			return usageError(e, c, "unexpected arguments %q: the revisions are given with --base and --head", args)
		}
		if *baseRev == "" || *headRev == "" {
			return usageError(e, c, "both --base and --head are required")
		}
		modelDir, err := cleanDir(*dir)
		if err != nil {
			return usageError(e, c, "%v", err)
		}
		source, err := checkSource(*sourceFlag, e.getenv)
		if err != nil {
			return usageError(e, c, "%v", err)
		}
		clock, err := parseNow(*now)
		if err != nil {
			return usageError(e, c, "%v", err)
		}

		repo, err := gitfs.Open(*repoPath)
		if err != nil {
			errorf(e, "dsl check: %v", err)
			return exitUsage
		}
		base, err := modelFolder(repo, *baseRev, modelDir)
		if err != nil {
			errorf(e, "dsl check: base: %v", err)
			return exitUsage
		}
		head, err := modelFolder(repo, *headRev, modelDir)
		if err != nil {
			errorf(e, "dsl check: head: %v", err)
			return exitUsage
		}
		if base.notFolder && head.fsys == nil {
			errorf(e, "dsl check: neither %s nor %s has a model folder at %s (%s %s): pass the model's folder with --dir", *baseRev, *headRev, modelDir, *baseRev, base.absent)
			return exitUsage
		}
		if base.notFolder {
			// Not read as an empty base: a base that cannot be read must not
			// turn every pull request into a first model.
			errorf(e, "dsl check: the base revision %s %s, so nothing can be checked against it: fix the base branch first", *baseRev, base.absent)
			return exitUsage
		}
		baseHasModel := hasEntry(base.fsys, ef.entry)
		headHasFolder := head.fsys != nil
		if !baseHasModel && (headHasFolder && !hasEntry(head.fsys, ef.entry) || !headHasFolder && !head.notFolder) {
			// Neither revision has a model there: the folder (or the
			// entry file) is wrong, not the pull request.
			errorf(e, "dsl check: neither %s nor %s has %s: pass the model's folder with --dir (and its entry file with --entry)",
				*baseRev, *headRev, path.Join(modelDir, ef.entry))
			return exitUsage
		}
		baseFS := base.fsys
		if !baseHasModel {
			// An empty repository: the first model is checked against nothing,
			// and must come from the ecosystem's own repository.
			errorf(e, "dsl check: base revision %s has no %s: checking the head as the first model", *baseRev, path.Join(modelDir, ef.entry))
			baseFS = nil
		}

		// Whatever the head does to the model is the pull request's doing,
		// so it is reported as findings in every format (exit 1), never as
		// a load failure (exit 2): a removed or replaced model folder or
		// entry file here; files that cannot be model files (links,
		// submodules, FIFOs, oversized files) and code that does not
		// evaluate in the evaluation.
		diags := headRemoval(head, *headRev, *baseRev, modelDir, ef.entry, baseHasModel)
		if diags == nil {
			res, err := governance.CheckFS(ctx, baseFS, head.fsys, source,
				governance.WithNow(clock),
				governance.WithEvalOptions(ef.options()...),
				governance.WithAcceptance(platforms.Acceptance(registry())),
			)
			if err != nil {
				errorf(e, "dsl check: %v", err)
				return exitUsage
			}
			diags = res.Diagnostics
		}
		rep := &report.Report{
			Tool:        toolInfo(),
			Command:     "check",
			Title:       fmt.Sprintf("dsl check %s..%s from %s", *baseRev, *headRev, source),
			Rules:       checkRules(),
			Diagnostics: diags,
			FailOn:      rf.failOn,
			Root:        slashRel(modelDir),
		}
		if headHasFolder {
			rep.Sources = report.FromFS(head.fsys)
		}
		if err := report.Write(e.stdout, rf.format, rep); err != nil {
			errorf(e, "dsl check: %v", err)
			return exitUsage
		}
		if *sarifPath != "" {
			if err := writeSARIF(*sarifPath, rep); err != nil {
				errorf(e, "dsl check: %v", err)
				return exitUsage
			}
		}
		return report.ExitCode(diags, rf.failOn)
	}
}

// checkRules lists every rule the check may report, platforms' included.
func checkRules() []ecosystem.Rule { return ecosystem.AllRules() }

// writeSARIF writes the report as SARIF to path, replacing the file only
// once the whole report is written.
func writeSARIF(path string, rep *report.Report) error {
	var buf bytes.Buffer
	if err := report.Write(&buf, report.SARIF, rep); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("--sarif: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("--sarif: %w", err)
	}
	return nil
}

// parseNow parses the --now flag: a date, or empty for the current time.
func parseNow(s string) (time.Time, error) {
	if s == "" {
		return time.Now(), nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--now %q: want a date such as 2027-01-31", s)
	}
	return t, nil
}
