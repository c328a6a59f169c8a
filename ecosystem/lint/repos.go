package lint

import (
	"strconv"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// checkRepos implements REPO_INVALID: every repository that owns a part of
// the model (the ecosystem, each zone and team) and every git code reference
// names a well-formed repository and branch (ecosystem.ValidateRepo).
// Ownership is decided by exact repository identity, so an empty or
// malformed name ("owner/", a trailing space, a look-alike letter) would make
// a part owned by a repository nobody can push from.
// live_repo is optional and checked only when given.
func checkRepos(p *pass, r *reporter) {
	// path runs only on failure, so a clean model builds no paths here.
	check := func(kind, name string, path func() string, repo ecosystem.Repo, owner ecosystem.Source, arg string) {
		var problem, badArg string
		switch {
		case repo.IsZero():
			problem = "no repository is given"
		case strings.TrimSpace(repo.Name) == "":
			problem = "the repository has no name"
		case strings.TrimSpace(repo.Branch) == "":
			problem = "the repository " + repo.Name + " has no branch"
		default:
			if err := ecosystem.ValidateRepoName(repo.Name); err != nil {
				problem = "the repository name " + strconv.Quote(repo.Name) + " is malformed: " + err.Error()
				badArg = "name"
			} else if strings.HasSuffix(repo.Name, ".git") {
				// Well formed, but the clone URL's spelling: pull requests
				// come from "acme/sales", never "acme/sales.git", so the
				// part would be owned by a name no change arrives from.
				problem = "the repository name " + strconv.Quote(repo.Name) + " ends with \".git\", which the git host's repository name never does"
				badArg = "name"
			} else if err := ecosystem.ValidateBranchName(repo.Branch); err != nil {
				problem = "the branch " + strconv.Quote(repo.Branch) + " of " + repo.Name + " is malformed: " + err.Error()
				badArg = "branch"
			} else {
				return
			}
		}
		pos := owner.ArgPos(arg)
		if repo.Pos.IsValid() {
			pos = repo.Pos
			if strings.TrimSpace(repo.Name) == "" {
				pos = repo.ArgPos("name")
			} else if strings.TrimSpace(repo.Branch) == "" {
				pos = repo.ArgPos("branch")
			} else if p := repo.ArgPos(badArg); badArg != "" && p.IsValid() {
				pos = p
			}
		}
		d := r.diag(path(), pos, "%s %q %s: %s", kind, name, arg, problem)
		switch badArg {
		case "name":
			d.Hint = `write the repository as owner/repo or host/owner/repo in ASCII letters, digits, '-', '_' and '.', exactly as the git host names it, for example repo("github.com/acme/sales")`
		case "branch":
			d.Hint = `name a branch git accepts, for example branch = "main" or branch = "release/2026.1"`
		default:
			d.Hint = `give the owning repository and branch, for example ` + arg + ` = repo("github.com/acme/sales", branch = "main")`
		}
		r.add(d)
	}
	m := p.m
	root := func() string { return "" }
	check("ecosystem", m.Name, root, m.Repo, m.Source, "repo")
	if !m.LiveRepo.IsZero() {
		check("ecosystem", m.Name, root, m.LiveRepo, m.Source, "live_repo")
	}
	for _, z := range m.Zones {
		check("zone", z.Name, func() string { return ecosystem.ZonePath(z.Name) }, z.Repo, z.Source, "repo")
		for _, t := range z.Teams {
			check("team", t.Name, func() string { return ecosystem.TeamPath(z.Name, t.Name) }, t.Repo, t.Source, "repo")
		}
	}
	for _, w := range p.workspaces {
		if t := w.Workspace.Transformer; t != nil && t.Code.Kind == "git" {
			check("transformer", t.Name, w.Path, t.Code.Repo, t.Code.Source, "repo")
		}
	}
}

// checkLiveRepo implements LIVE_REPO_SAME_AS_OWNER: the live repository
// holds the merged model that pull requests are checked against, while the
// owning repositories are where changes come from. If the ecosystem, a zone
// or a team were owned by the live repository itself (same name and branch),
// its changes would not arrive by pull request and could not be checked.
func checkLiveRepo(p *pass, r *reporter) {
	m := p.m
	live := m.LiveRepo
	if live.IsZero() {
		return
	}
	owned := func(kind, name, path string, repo ecosystem.Repo, owner ecosystem.Source) {
		d := r.diag(path, owner.ArgPos("repo"), "%s %q is owned by %s, the live repository", kind, name, repo)
		d.Related = related(d.Related, m.ArgPos("live_repo"), "live_repo is declared here")
		r.add(d)
	}
	if live.Same(m.Repo) {
		d := r.diag("", m.ArgPos("live_repo"), "ecosystem %q: live_repo %s is the same repository and branch as repo %s", m.Name, live, m.Repo)
		d.Related = related(d.Related, m.ArgPos("repo"), "the owning repo is declared here")
		r.add(d)
	}
	for _, z := range m.Zones {
		if z.Repo.Same(live) {
			owned("zone", z.Name, ecosystem.ZonePath(z.Name), z.Repo, z.Source)
		}
		for _, t := range z.Teams {
			if t.Repo.Same(live) {
				owned("team", t.Name, ecosystem.TeamPath(z.Name, t.Name), t.Repo, t.Source)
			}
		}
	}
}
