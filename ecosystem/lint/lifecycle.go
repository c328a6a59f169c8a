package lint

import (
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// deprecation returns what is deprecated about the data a sink uses (the
// store, else the dataset), the argument of the sink that names it, and the
// deprecation; nil when the data is current.
func deprecation(u sinkUse) (what, arg string, dep *ecosystem.Deprecation) {
	switch {
	case u.Store.Store.IsDeprecated():
		return "datastore " + quote(u.Store.Store.Name), "store", u.Store.Store.Deprecation
	case u.Dataset.IsDeprecated():
		return "dataset " + quote(u.Sink.String()), "dataset", u.Dataset.Deprecation
	}
	return "", "", nil
}

func because(dep *ecosystem.Deprecation) string {
	if dep.Reason == "" {
		return ""
	}
	return " (" + dep.Reason + ")"
}

// checkDeprecatedUsed implements DEPRECATED_DATA_USED: a sink that accepts
// deprecated data is a warning, so the consumer keeps hearing that the data
// is going away.
func checkDeprecatedUsed(p *pass, r *reporter) {
	for _, u := range p.resolvedSinks() {
		if u.Dataset == nil || !u.Sink.AllowDeprecated {
			continue
		}
		what, _, dep := deprecation(u)
		if dep == nil {
			continue
		}
		d := r.diag(u.path(), u.Sink.ArgPos("allow_deprecated"), "workspace %q uses deprecated %s%s", u.Workspace.Name, what, because(dep))
		d.Hint = "move the workspace to the data that replaces it before the producer removes it"
		d.Related = related(d.Related, dep.Pos, "deprecated here")
		r.add(d)
	}
}

// checkDeprecatedRefused implements DEPRECATED_DATA_REFUSED: a sink that
// does not accept deprecated data must not use any.
func checkDeprecatedRefused(p *pass, r *reporter) {
	for _, u := range p.resolvedSinks() {
		if u.Dataset == nil || u.Sink.AllowDeprecated {
			continue
		}
		what, arg, dep := deprecation(u)
		if dep == nil {
			continue
		}
		d := r.diag(u.path(), u.Sink.ArgPos(arg), "workspace %q uses deprecated %s%s, and its sink does not allow deprecated data", u.Workspace.Name, what, because(dep))
		d.Hint = "use the data that replaces it, or accept it for now with sink(..., allow_deprecated = True)"
		d.Related = related(d.Related, dep.Pos, "deprecated here")
		r.add(d)
	}
}

// checkApprovals implements APPROVAL_MISSING: a datastore that lists its
// approved workspaces (approved_workspaces, even empty) may be used only by
// those, whichever team they belong to. Each workspace and store pair is
// reported once, at its first sink. Approving a workspace that does not
// exist yet is fine: producers approve before consumers add their sinks.
func checkApprovals(p *pass, r *reporter) {
	reported := map[[2]string]bool{}
	for _, u := range p.resolvedSinks() {
		if u.Store.Store == nil {
			continue
		}
		s := u.Store.Store
		if s.ApprovedWorkspaces == nil || contains(s.ApprovedWorkspaces, u.Workspace.Name) {
			continue
		}
		k := [2]string{u.Workspace.Name, s.Name}
		if reported[k] {
			continue
		}
		reported[k] = true
		approved := "approves no workspace"
		if len(s.ApprovedWorkspaces) > 0 {
			approved = "approves only " + strings.Join(s.ApprovedWorkspaces, ", ")
		}
		d := r.diag(u.path(), u.Sink.ArgPos("store"), "workspace %q uses datastore %q, which %s", u.Workspace.Name, s.Name, approved)
		d.Hint = "ask team " + quote(u.Store.Team.Name) + " to add " + quote(u.Workspace.Name) + " to approved_workspaces of datastore " + quote(s.Name)
		d.Related = related(d.Related, s.ArgPos("approved_workspaces"), "approvals declared here")
		r.add(d)
	}
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// checkGroupSinks implements GROUP_NO_SINKS: a dataset group without sinks
// delivers nothing; it is a warning because a consumer may declare the group
// before the data exists.
func checkGroupSinks(p *pass, r *reporter) {
	for _, w := range p.workspaces {
		for _, g := range w.Workspace.Groups {
			if len(g.Sinks) == 0 {
				r.report(ecosystem.GroupPath(w.Zone.Name, w.Team.Name, w.Workspace.Name, g.Name), g.ArgPos("sinks"), "dataset group %q of workspace %q has no sinks", g.Name, w.Workspace.Name)
			}
		}
	}
}
