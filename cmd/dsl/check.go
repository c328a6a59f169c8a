package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/ecosystem/report"
	"github.com/datasurface/datasurface-go/governance"
	"github.com/datasurface/datasurface-go/governance/gitfs"
	"github.com/datasurface/datasurface-go/internal/safetext"
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
		if err := checkDir(*dir); err != nil {
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
			errorf(e, "dsl check: %v\n", err)
			return exitUsage
		}
		baseFS, err := revisionFS(repo, *baseRev, *dir)
		if err != nil {
			errorf(e, "dsl check: base: %v\n", err)
			return exitUsage
		}
		headFS, err := revisionFS(repo, *headRev, *dir)
		if err != nil {
			errorf(e, "dsl check: head: %v\n", err)
			return exitUsage
		}
		_, headErr := statEntry(headFS, ef.entry)
		_, baseErr := statEntry(baseFS, ef.entry)
		if errors.Is(headErr, os.ErrNotExist) && errors.Is(baseErr, os.ErrNotExist) {
			// Neither revision has a model there: the folder is wrong, not
			// the pull request.
			errorf(e, "dsl check: neither %s nor %s has %s in %s: pass the model's folder with --dir\n",
				safetext.Line(*baseRev), safetext.Line(*headRev), safetext.Line(ef.entry), safetext.Line(*dir))
			return exitUsage
		}
		if errors.Is(baseErr, os.ErrNotExist) {
			// An empty repository: the first model is checked against nothing,
			// and must come from the ecosystem's own repository.
			errorf(e, "dsl check: base revision %s has no %s: checking the head as the first model\n", safetext.Line(*baseRev), safetext.Line(ef.entry))
			baseFS = nil
		}
		// A head that deletes the entry file, or whose files cannot be read as
		// model files, is the pull request's doing: the evaluation reports it
		// as findings (LOAD_NOT_FOUND, LOAD_UNREADABLE) in every format.

		res, err := governance.CheckFS(ctx, baseFS, headFS, source,
			governance.WithNow(clock),
			governance.WithEvalOptions(ef.options()...),
			governance.WithAcceptance(platforms.Acceptance(registry())),
		)
		if err != nil {
			errorf(e, "dsl check: %v\n", err)
			return exitUsage
		}
		rep := &report.Report{
			Tool:        toolInfo(),
			Command:     "check",
			Title:       fmt.Sprintf("dsl check %s..%s from %s", *baseRev, *headRev, source),
			Rules:       checkRules(),
			Diagnostics: res.Diagnostics,
			FailOn:      rf.failOn,
			Root:        strings.TrimPrefix(slashPath(*dir), "."),
			Sources:     report.FromFS(headFS),
		}
		if err := report.Write(e.stdout, rf.format, rep); err != nil {
			errorf(e, "dsl check: %v\n", err)
			return exitUsage
		}
		if *sarifPath != "" {
			if err := writeSARIF(*sarifPath, rep); err != nil {
				errorf(e, "dsl check: %v\n", err)
				return exitUsage
			}
		}
		// A head that does not evaluate is reported as findings, like any
		// other problem the pull request brings: exit 1, not a usage error.
		return report.ExitCode(res.Diagnostics, rf.failOn)
	}
}

// checkRules lists every rule the check may report, platforms' included.
func checkRules() []ecosystem.Rule { return ecosystem.AllRules() }

// revisionFS returns the model folder of one revision.
func revisionFS(repo *gitfs.Repository, rev, dir string) (fs.FS, error) {
	f, err := repo.FS(rev)
	if err != nil {
		return nil, err
	}
	if dir == "." || dir == "" {
		return f, nil
	}
	return f.Sub(slashPath(dir))
}

func statEntry(fsys fs.FS, name string) (fs.FileInfo, error) {
	if fsys == nil {
		return nil, os.ErrNotExist
	}
	return fs.Stat(fsys, name)
}

// checkDir refuses a --dir that is not a folder inside the repository: an
// absolute path (which would otherwise be read as relative to the
// repository's root) or one that climbs out with "..".
func checkDir(dir string) error {
	slashed := strings.ReplaceAll(dir, "\\", "/")
	switch {
	case strings.HasPrefix(slashed, "/") || filepath.IsAbs(dir) || filepath.VolumeName(dir) != "":
		return fmt.Errorf("--dir %s: want the model's folder relative to the repository's root, such as models/acme, not an absolute path", safetext.Line(dir))
	case slices.Contains(strings.Split(slashed, "/"), ".."):
		return fmt.Errorf("--dir %s: the model's folder must be inside the repository; \"..\" leaves it", safetext.Line(dir))
	}
	return nil
}

func slashPath(p string) string { return strings.Trim(strings.ReplaceAll(p, "\\", "/"), "/") }

// checkSource returns the pull request's source repository: the --source
// flag, else the head repository and branch of the GitHub Actions pull
// request event (GITHUB_EVENT_PATH), on the host of GITHUB_SERVER_URL.
//
// It never falls back to GITHUB_REPOSITORY: on pull request events that is
// the base repository, so a fork's branch named like an owner's branch would
// pass as the owner. Without a trustworthy head repository it refuses.
func checkSource(flagValue string, getenv func(string) string) (ecosystem.Repo, error) {
	if flagValue != "" {
		return ecosystem.ParseRepo(flagValue)
	}
	refuse := func(why string) (ecosystem.Repo, error) {
		return ecosystem.Repo{}, fmt.Errorf("no --source, and %s: pass --source NAME@BRANCH, the repository and branch the pull request comes from", why)
	}
	p := getenv("GITHUB_EVENT_PATH")
	if p == "" {
		return refuse("no GitHub Actions pull request event to read it from (GITHUB_EVENT_PATH is not set)")
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return refuse(fmt.Sprintf("the GitHub Actions event file cannot be read (%v)", err))
	}
	var ev struct {
		PullRequest *struct {
			Head struct {
				Ref  string `json:"ref"`
				Repo *struct {
					FullName string `json:"full_name"`
				} `json:"repo"`
			} `json:"head"`
		} `json:"pull_request"`
	}
	if err := json.Unmarshal(b, &ev); err != nil {
		return refuse(fmt.Sprintf("the GitHub Actions event file %s is not valid JSON (%v)", p, err))
	}
	switch {
	case ev.PullRequest == nil:
		return refuse("the GitHub Actions event is not a pull request event")
	case ev.PullRequest.Head.Repo == nil || ev.PullRequest.Head.Repo.FullName == "":
		return refuse("the pull request event names no head repository (head.repo is null: the fork may have been deleted)")
	case ev.PullRequest.Head.Ref == "":
		return refuse("the pull request event names no head branch")
	}
	host := "github.com"
	if u := getenv("GITHUB_SERVER_URL"); u != "" {
		host = strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://"), "/")
	}
	src := ecosystem.Repo{Name: host + "/" + ev.PullRequest.Head.Repo.FullName, Branch: ev.PullRequest.Head.Ref}
	if err := ecosystem.ValidateRepo(src); err != nil {
		return refuse(fmt.Sprintf("the pull request event's head %q is malformed (%v)", src.String(), err))
	}
	return src, nil
}

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
