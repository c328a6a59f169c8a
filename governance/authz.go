package governance

import (
	"fmt"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// The authorization rules. Their IDs are stable: reports, waivers and CI
// configurations refer to them. Authorization findings cannot be waived (a
// waiver is itself part of the change being authorized).
var (
	RuleUnauthorizedChange = ecosystem.Rule{
		ID:         "AUTHZ_UNAUTHORIZED_CHANGE",
		Severity:   ecosystem.Error,
		Purpose:    "The pull request changes a part of the model that its source repository does not own.",
		Categories: []string{ecosystem.CategoryAuthorization},
		Hint:       "make this change in a pull request from the owning repository, or leave it out of this one",
	}
	RuleRemoveNotEmpty = ecosystem.Rule{
		ID:         "AUTHZ_REMOVE_NOT_EMPTY",
		Severity:   ecosystem.Error,
		Purpose:    "A zone or team is removed while it still has contents; its own repository must empty it first.",
		Categories: []string{ecosystem.CategoryAuthorization, ecosystem.CategoryLifecycle},
		Hint:       "remove a zone or team in two pull requests: its own repository empties it, then the parent's repository removes the empty declaration",
	}
	RuleUnknownSource = ecosystem.Rule{
		ID:         "AUTHZ_UNKNOWN_SOURCE",
		Severity:   ecosystem.Error,
		Purpose:    "The pull request comes from a repository that owns no part of the base model.",
		Categories: []string{ecosystem.CategoryAuthorization},
		Hint:       "run the check with the repository and branch the pull request comes from (--source NAME@BRANCH); repository identity is exact, so name, branch and letter case must match the model",
	}
	RuleFirstModelSource = ecosystem.Rule{
		ID:         "AUTHZ_FIRST_MODEL_SOURCE",
		Severity:   ecosystem.Error,
		Purpose:    "The first model of an empty repository does not come from the ecosystem's own repository.",
		Categories: []string{ecosystem.CategoryAuthorization, ecosystem.CategoryLifecycle},
		Hint:       "create the first model in a pull request from the repository the ecosystem names as its repo",
	}
)

// AuthorizationRules returns the authorization rules, sorted by ID.
func AuthorizationRules() []ecosystem.Rule {
	return []ecosystem.Rule{RuleFirstModelSource, RuleRemoveNotEmpty, RuleUnauthorizedChange, RuleUnknownSource}
}

// Authorization reports every difference between base and head that the
// source repository does not own (docs/CHECK.md). Models are compared part by
// part, never by file:
//
//   - the ecosystem's repository (as in base) owns the top level: name,
//     repositories, compatibility, documentation, vendors, platforms,
//     assignments, ecosystem waivers, and each zone's name and repository;
//   - a zone's repository owns its contents: documentation, policies, zone
//     waivers, and each team's name and repository;
//   - a team's repository owns everything inside the team.
//
// The owner of an existing part is the repository base names; a repository
// change (a transfer) is made by that current owner, who may change the
// contents in the same pull request (the new owner takes over once it is
// merged). A zone or
// team added in head belongs to the repository head declares for it:
// declaring it empty is the parent's change alone, declaring it with contents
// also needs its own repository. A zone or team with contents in base cannot
// be removed (AUTHZ_REMOVE_NOT_EMPTY), whoever asks: its repository empties
// it first, then the parent removes the empty declaration. Renaming is a
// removal plus an addition, so it obeys the same rules.
//
// A source that owns nothing in base (not the ecosystem's, a zone's or a
// team's repository; the live repository owns nothing) is refused with one
// AUTHZ_UNKNOWN_SOURCE finding and nothing else. With base nil (the first
// model of an empty repository) the source must be head's ecosystem
// repository. With head nil there is nothing to authorize.
//
// Objects shared by pointer between base and head, as the evaluator's module
// cache makes them for unchanged files, are not compared, and parts the
// source owns are not compared at all, so the cost follows the change.
func Authorization(base, head *ecosystem.Ecosystem, source ecosystem.Repo) ecosystem.Diagnostics {
	if head == nil {
		return nil
	}
	a := &authorizer{source: source}
	switch {
	case base == nil:
		if !source.Same(head.Repo) {
			d := RuleFirstModelSource.New("", head.ArgPos("repo"),
				"the first model of ecosystem %s must come from its own repository %s, but this change comes from %s",
				quoted(head.Name), head.Repo, repoText(source))
			a.out = append(a.out, d)
		}
	case !ownsSomething(base, source):
		a.out = append(a.out, unknownSource(base, source))
	default:
		a.ecosystem(base, head)
	}
	a.out.Sort()
	return a.out
}

// authorizer walks the two models part by part.
type authorizer struct {
	source ecosystem.Repo
	out    ecosystem.Diagnostics
}

// ownedPart is an owned part of the model: a description for messages, the owning
// repository, and where that owner is declared.
type ownedPart struct {
	name     string
	owner    ecosystem.Repo
	ownerPos ecosystem.Pos
}

func (a *authorizer) owns(p ownedPart) bool { return a.source.Same(p.owner) }

func (a *authorizer) ecosystem(base, head *ecosystem.Ecosystem) {
	top := ownedPart{
		name:     fmt.Sprintf("the top level of ecosystem %s", quoted(base.Name)),
		owner:    base.Repo,
		ownerPos: repoPos(base.Repo, base.Source),
	}
	if !a.owns(top) {
		var d differ
		d.ecosystemTop(base, head)
		a.report(top, d.out)
	}
	removed, added, both := matchKeyed(base.Zones, head.Zones, func(z *ecosystem.Zone) string { return z.Name })
	for _, z := range removed {
		path := ecosystem.ZonePath(z.Name)
		if !z.IsEmpty() {
			a.removeNotEmpty("zone", path, z.Pos, contentsOfZone(z), z.Repo, base.Repo, head.ArgPos("zones"))
			continue
		}
		if !a.owns(top) {
			a.report(top, []difference{{object: "zone " + quoted(path), path: path, pos: z.Pos, what: "declaration removed"}})
		}
	}
	for _, z := range added {
		path := ecosystem.ZonePath(z.Name)
		if !a.owns(top) {
			a.report(top, []difference{{object: "zone " + quoted(path), path: path, pos: z.Pos, what: fmt.Sprintf("declared with repo %s", z.Repo)}})
		}
		a.zone(&ecosystem.Zone{Name: z.Name, Repo: z.Repo}, z)
	}
	for _, p := range both {
		bz, hz := p.base, p.head
		if bz == hz {
			continue
		}
		path := ecosystem.ZonePath(hz.Name)
		if !bz.Repo.Same(hz.Repo) {
			a.transfer("zone", path, bz.Repo, hz.Repo, hz.ArgPos("repo"))
		}
		a.zone(bz, hz)
	}
}

// zone authorizes the contents of a zone; base is an empty stand-in for a
// zone that head adds, whose contents then belong to head's repository.
func (a *authorizer) zone(base, head *ecosystem.Zone) {
	zp := ecosystem.ZonePath(head.Name)
	contents := ownedPart{
		name:     "the contents of zone " + quoted(zp),
		owner:    base.Repo,
		ownerPos: ownerPos(base.Repo, head.Repo, head.Source),
	}
	if !a.owns(contents) {
		var d differ
		d.zoneContents(base, head)
		a.report(contents, d.out)
	}
	removed, added, both := matchKeyed(base.Teams, head.Teams, func(t *ecosystem.Team) string { return t.Name })
	for _, t := range removed {
		path := ecosystem.TeamPath(zp, t.Name)
		if !t.IsEmpty() {
			a.removeNotEmpty("team", path, t.Pos, contentsOfTeam(t), t.Repo, base.Repo, head.ArgPos("teams"))
			continue
		}
		if !a.owns(contents) {
			a.report(contents, []difference{{object: "team " + quoted(path), path: path, pos: t.Pos, what: "declaration removed"}})
		}
	}
	for _, t := range added {
		path := ecosystem.TeamPath(zp, t.Name)
		if !a.owns(contents) {
			a.report(contents, []difference{{object: "team " + quoted(path), path: path, pos: t.Pos, what: fmt.Sprintf("declared with repo %s", t.Repo)}})
		}
		a.team(zp, &ecosystem.Team{Name: t.Name, Repo: t.Repo}, t)
	}
	for _, p := range both {
		bt, ht := p.base, p.head
		if bt == ht {
			continue
		}
		path := ecosystem.TeamPath(zp, ht.Name)
		if !bt.Repo.Same(ht.Repo) {
			a.transfer("team", path, bt.Repo, ht.Repo, ht.ArgPos("repo"))
		}
		a.team(zp, bt, ht)
	}
}

// team authorizes the contents of a team, as zone does for zones.
func (a *authorizer) team(zone string, base, head *ecosystem.Team) {
	contents := ownedPart{
		name:     "the contents of team " + quoted(ecosystem.TeamPath(zone, head.Name)),
		owner:    base.Repo,
		ownerPos: ownerPos(base.Repo, head.Repo, head.Source),
	}
	if a.owns(contents) {
		return
	}
	var d differ
	d.teamContents(zone, base, head)
	a.report(contents, d.out)
}

// report turns the differences found in a part the source does not own into
// findings, one each.
func (a *authorizer) report(p ownedPart, diffs []difference) {
	for _, df := range diffs {
		d := RuleUnauthorizedChange.New(df.path, df.pos,
			"%s: %s; this is part of %s, owned by %s, but the change comes from %s",
			df.object, df.what, p.name, p.owner, repoText(a.source))
		d.Hint = fmt.Sprintf("make this change in a pull request from %s, or leave it out of this one", p.owner)
		if df.basePos.IsValid() {
			d.Related = append(d.Related, ecosystem.Related{Pos: df.basePos, Message: "it was declared here in the base revision"})
		}
		if p.ownerPos.IsValid() {
			d.Related = append(d.Related, ecosystem.Related{Pos: p.ownerPos, Message: "the owner " + p.owner.String() + " is declared here"})
		}
		a.out = append(a.out, d)
	}
}

// transfer authorizes a change of a zone's or team's repository. A part is
// transferred (its repo changed) by its current owner (docs/CHECK.md), so the repository that owns the part in base gives it away; the
// parent, which owns the declaration's name, cannot take a part over by
// pointing it at another repository (its own, say) and then changing the
// contents.
func (a *authorizer) transfer(kind, path string, from, to ecosystem.Repo, pos ecosystem.Pos) {
	part := ownedPart{name: kind + " " + quoted(path) + ", which only its current owner may transfer", owner: from}
	if a.owns(part) {
		return
	}
	a.report(part, []difference{{object: kind + " " + quoted(path), path: path, pos: pos,
		what: fmt.Sprintf("repo changed from %s to %s (a transfer of the %s)", from, to, kind)}})
}

// removeNotEmpty reports the removal of a zone or team that still has
// contents. pos is where the object was in base; parentPos is the list in
// head it was removed from, where the finding points.
func (a *authorizer) removeNotEmpty(kind, path string, pos ecosystem.Pos, contents string, own, parent ecosystem.Repo, parentPos ecosystem.Pos) {
	// Like every removal, reported where the reviewer sees it: the head list
	// it was removed from, with the base declaration related.
	at, related := parentPos, ecosystem.Related{Pos: pos, Message: "it was declared here in the base revision"}
	if !at.IsValid() {
		at, related = pos, ecosystem.Related{}
	}
	d := RuleRemoveNotEmpty.New(path, at,
		"%s %s is removed while it still has contents (%s); first its repository %s removes them, then %s removes the empty declaration",
		kind, quoted(path), contents, own, parent)
	if related.Pos.IsValid() {
		d.Related = append(d.Related, related)
	}
	a.out = append(a.out, d)
}

// ownsSomething reports whether source owns a part of m: the ecosystem's
// top level, a zone's contents or a team's contents.
func ownsSomething(m *ecosystem.Ecosystem, source ecosystem.Repo) bool {
	if source.Same(m.Repo) {
		return true
	}
	for _, z := range m.Zones {
		if source.Same(z.Repo) {
			return true
		}
		for _, t := range z.Teams {
			if source.Same(t.Repo) {
				return true
			}
		}
	}
	return false
}

// unknownSource explains why the source owns nothing, pointing out the
// near misses that identity being exact makes easy: another letter case,
// another branch, the live repository.
func unknownSource(m *ecosystem.Ecosystem, source ecosystem.Repo) ecosystem.Diagnostic {
	var near []string
	consider := func(r ecosystem.Repo, owner string) {
		switch {
		case strings.EqualFold(r.Name, source.Name) && strings.EqualFold(r.Branch, source.Branch):
			near = append(near, fmt.Sprintf("%s (owner of %s) differs only in letter case", r, owner))
		case r.Name == source.Name:
			near = append(near, fmt.Sprintf("%s (owner of %s) is another branch of the same repository", r, owner))
		}
	}
	consider(m.Repo, "the ecosystem")
	for _, z := range m.Zones {
		consider(z.Repo, "zone "+quoted(z.Name))
		for _, t := range z.Teams {
			consider(t.Repo, "team "+quoted(ecosystem.TeamPath(z.Name, t.Name)))
		}
	}
	msg := fmt.Sprintf("the source repository %s owns no part of the base model: it is neither the ecosystem's repository %s nor a zone's or a team's", repoText(source), m.Repo)
	if !m.LiveRepo.IsZero() && source.Same(m.LiveRepo) {
		msg = fmt.Sprintf("the source repository %s is the ecosystem's live repository, which holds the merged model and owns no part of it", source)
	}
	if len(near) > 0 {
		const maxNear = 3
		more := ""
		if len(near) > maxNear {
			more = fmt.Sprintf(" (and %d more)", len(near)-maxNear)
			near = near[:maxNear]
		}
		msg += "; similar owners: " + strings.Join(near, "; ") + more
	}
	return RuleUnknownSource.New("", ecosystem.Pos{}, "%s", msg)
}

// ownerPos is where the owner of a part is declared in head, when head
// still names the same owner (after a transfer head names the new one,
// which is not the owner of this change).
func ownerPos(owner, declared ecosystem.Repo, holder ecosystem.Source) ecosystem.Pos {
	if !owner.Same(declared) {
		return ecosystem.Pos{}
	}
	return repoPos(declared, holder)
}

// repoPos is where a repository is declared: the repo() call, else the
// owner's repo argument.
func repoPos(r ecosystem.Repo, owner ecosystem.Source) ecosystem.Pos {
	if r.Pos.IsValid() {
		return r.Pos
	}
	return owner.ArgPos("repo")
}

func contentsOfZone(z *ecosystem.Zone) string {
	return countedContents(len(z.Policies), "policy", "policies", len(z.Teams), "team", "teams", len(z.Waivers), "waiver", "waivers", z.Meta)
}

func contentsOfTeam(t *ecosystem.Team) string {
	return countedContents(len(t.Datastores), "datastore", "datastores", len(t.Workspaces), "workspace", "workspaces", len(t.Waivers), "waiver", "waivers", t.Meta)
}

// countedContents describes contents as "2 teams, 1 policy, documentation".
func countedContents(n1 int, s1, p1 string, n2 int, s2, p2 string, n3 int, s3, p3 string, m ecosystem.Meta) string {
	var parts []string
	add := func(n int, s, p string) {
		switch {
		case n == 1:
			parts = append(parts, "1 "+s)
		case n > 1:
			parts = append(parts, fmt.Sprintf("%d %s", n, p))
		}
	}
	add(n1, s1, p1)
	add(n2, s2, p2)
	add(n3, s3, p3)
	if m.Doc != "" {
		parts = append(parts, "documentation")
	}
	if len(m.Tags) > 0 {
		parts = append(parts, "tags")
	}
	return strings.Join(parts, ", ")
}
