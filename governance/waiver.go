package governance

import (
	"fmt"
	"strings"
	"time"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/ecosystem/lint"
	"github.com/datasurface/datasurface-go/internal/suggest"
	"github.com/datasurface/datasurface-go/starlark"
)

// The waiver rules. Findings of these rules, and of the authorization rules,
// cannot themselves be waived.
var (
	RuleWaiverExpired = ecosystem.Rule{
		ID:         "WAIVER_EXPIRED",
		Severity:   ecosystem.Error,
		Purpose:    "A waiver's expiry date has passed; it waives nothing any more.",
		Categories: []string{ecosystem.CategoryWaivers},
		Hint:       "fix the findings and remove the waiver, or, after review, give it a later expires date",
	}
	RuleWaiverUnused = ecosystem.Rule{
		ID:         "WAIVER_UNUSED",
		Severity:   ecosystem.Warning,
		Purpose:    "A waiver covers no finding: the problem is fixed, or its rule or path is wrong.",
		Categories: []string{ecosystem.CategoryWaivers},
		Hint:       "remove the waiver, or correct its rule ID or path",
	}
	RuleWaiverOutOfScope = ecosystem.Rule{
		ID:         "WAIVER_OUT_OF_SCOPE",
		Severity:   ecosystem.Error,
		Purpose:    "A waiver's path lies outside the part of the model that holds it, so its owner could waive another owner's findings.",
		Categories: []string{ecosystem.CategoryWaivers, ecosystem.CategoryAuthorization},
		Hint:       "move the waiver into the waivers of the part it waives, where that part's owner reviews it",
	}
	RuleWaiverUnknownRule = ecosystem.Rule{
		ID:         "WAIVER_UNKNOWN_RULE",
		Severity:   ecosystem.Error,
		Purpose:    "A waiver names a rule ID that no registered rule has, so it can never waive anything (a typo, or a rule of a platform the checking program does not have). A warning when the platform checks did not run, since it may name a platform's rule.",
		Categories: []string{ecosystem.CategoryWaivers},
		Hint:       "use the ID of the finding to waive, as reports print it (docs/RULES.md lists every rule)",
	}
	RuleWaiverUnknownPath = ecosystem.Rule{
		ID:         "WAIVER_UNKNOWN_PATH",
		Severity:   ecosystem.Warning,
		Purpose:    "A waiver's path names no object of the model (nor of the base model, in a change check), so it waives nothing: a typo, or the object was renamed or removed before this change.",
		Categories: []string{ecosystem.CategoryWaivers},
		Hint:       "use the model path of the finding to waive, as reports print it, or remove the waiver",
	}
	RuleWaiverNotWaivable = ecosystem.Rule{
		ID:         "WAIVER_NOT_WAIVABLE",
		Severity:   ecosystem.Error,
		Purpose:    "A waiver names a rule whose findings cannot be waived: authorization and waiver rules, evaluation rules (no model exists to hold the waiver), and the type reasons COMPAT_TYPE_CHANGED findings quote.",
		Categories: []string{ecosystem.CategoryWaivers, ecosystem.CategoryAuthorization},
		Hint:       "remove the waiver, and do what the message says instead: an unauthorized change comes from its owner, a waiver finding is fixed in the waiver, an evaluation error in the model code, and a type change is waived as COMPAT_TYPE_CHANGED",
	}
)

// WaiverRules returns the waiver rules, sorted by ID.
func WaiverRules() []ecosystem.Rule {
	return []ecosystem.Rule{RuleWaiverExpired, RuleWaiverNotWaivable, RuleWaiverOutOfScope, RuleWaiverUnknownPath, RuleWaiverUnknownRule, RuleWaiverUnused}
}

// Waivable reports whether findings of the rule may be waived. Authorization
// findings may not (the waiver would be part of the very change being
// authorized), nor may the waiver rules' own findings (lint's WAIVER_INVALID
// included). Evaluation findings (EVAL_*, LOAD_*) cannot be: while there is
// one, no model exists whose waivers could apply. The types package's rules
// (TYPE_*) are reasons quoted by COMPAT_TYPE_CHANGED findings, never findings
// of their own, so a waiver of one could never apply either.
func Waivable(rule string) bool {
	return whyNotWaivable(rule) == ""
}

// whyNotWaivable says why findings of rule cannot be waived, and what to do
// instead; it is empty for a waivable rule.
func whyNotWaivable(rule string) string {
	switch {
	case strings.HasPrefix(rule, "AUTHZ_"):
		return "findings of " + rule + " cannot be waived: an unauthorized change must come from the owner of what it changes"
	case strings.HasPrefix(rule, "WAIVER_"):
		return "findings of " + rule + " cannot be waived: fix the waiver they are about"
	case evaluationRuleIDs[rule]:
		return "findings of " + rule + " cannot be waived: while the model does not evaluate there is no model whose waivers could apply; fix the model code"
	case typeReasonIDs[rule]:
		return rule + " is a reason quoted by COMPAT_TYPE_CHANGED findings, not a finding of its own, so no waiver of it can apply; waive COMPAT_TYPE_CHANGED at the column's path instead"
	}
	return ""
}

// evaluationRuleIDs holds the IDs of the evaluation rules (package starlark).
var evaluationRuleIDs = func() map[string]bool {
	ids := map[string]bool{}
	for _, r := range starlark.Rules() {
		ids[r.ID] = true
	}
	return ids
}()

// ApplyWaivers applies the waivers of model m to the findings ds and returns
// them with the waivers' own findings, sorted. ds is not modified.
//
// A waiver lives in the ecosystem, a zone or a team (their waivers lists)
// and may only cover paths inside that part, as ownership defines parts: a
// team's waivers cover the team and everything in it; a zone's cover the
// zone, its policies and its team declarations but not the teams' contents;
// the ecosystem's cover the top level (vendors, platforms, assignments, the
// zone declarations) but not the zones' contents. A waiver whose path lies
// outside its part is WAIVER_OUT_OF_SCOPE and covers nothing.
//
// An active waiver covers every finding of its rule at its path or under it
// (and inside its part): the finding stays in the list with Waived set. When
// several waivers cover a finding, the one with the longest path wins, then
// the first in model order. A waiver expires at the end of its expiry day
// (UTC); at now or later it is WAIVER_EXPIRED and covers nothing. An active
// waiver that covers nothing is WAIVER_UNUSED (a warning). Authorization and
// waiver findings are never covered (see Waivable); a waiver naming such a
// rule is WAIVER_NOT_WAIVABLE.
//
// A waiver naming a rule ID that no registered rule has is
// WAIVER_UNKNOWN_RULE (an error: it can never apply) at its rule argument,
// with a did-you-mean among the registered IDs that says so when the nearest
// cannot be waived either; an unused waiver whose path
// names no object of m is WAIVER_UNKNOWN_PATH (a warning, like an unused
// waiver, since it blocks nothing), with a did-you-mean among m's paths, at
// its path argument.
//
// ApplyWaivers takes ds to hold the findings of every stage: lint, policies,
// compatibility and the platforms' acceptance.
func ApplyWaivers(m *ecosystem.Ecosystem, ds ecosystem.Diagnostics, now time.Time) ecosystem.Diagnostics {
	return applyWaivers(m, ds, now, waiverStages{compared: true, platforms: true})
}

// waiverStages says which stages produced the findings waivers are applied
// to. A waiver of a rule whose stage did not run says nothing by covering
// nothing, so it is neither WAIVER_UNUSED nor WAIVER_UNKNOWN_PATH: a check
// of one model compares none, so a compatibility waiver, whose path may be
// that of an object this very change removes, cannot be judged there.
type waiverStages struct {
	// compared is set when the head was compared with a base model
	// (compatibility); base is that model, whose paths a waiver may name.
	compared bool
	base     *ecosystem.Ecosystem
	// platforms is set when the platform acceptance ran (binding, the
	// broker, each platform's Accept), so every rule the program can
	// report is registered and known.
	platforms bool
}

// ran reports whether findings of rule were looked for. Lint (the host's
// rules included) and policies always run; compatibility when two models
// were compared; any other rule (the broker's, a platform's) only with the
// platform acceptance.
func (s waiverStages) ran(rule string) bool {
	switch {
	case compatRuleIDs[rule]:
		return s.compared
	case zoneAuthority(rule) || isLintRule(rule):
		return true
	}
	return s.platforms
}

// isLintRule reports whether rule is a lint rule, built in or the host's.
func isLintRule(rule string) bool {
	_, ok := lint.Lookup(rule)
	return ok
}

// hasPath reports whether a waiver's path names an object of head or, in a
// change check, of the base model (an object the change removes).
func (s waiverStages) hasPath(head *ecosystem.Ecosystem, p string) bool {
	return head.HasPath(p) || (s.base != nil && s.base.HasPath(p))
}

// applyWaivers is ApplyWaivers for the findings of the stages that ran.
func applyWaivers(m *ecosystem.Ecosystem, ds ecosystem.Diagnostics, now time.Time, stages waiverStages) ecosystem.Diagnostics {
	out := make(ecosystem.Diagnostics, len(ds), len(ds)+8)
	copy(out, ds)
	if m == nil {
		out.Sort()
		return out
	}
	var active []*heldWaiver
	for _, h := range heldWaivers(m) {
		w := h.waiver
		switch {
		case w.Rule != "" && !knownRule(w.Rule):
			out = append(out, unknownRule(h, stages))
		case !Waivable(w.Rule):
			out = append(out, RuleWaiverNotWaivable.New(h.scope.path, w.ArgPos("rule"),
				"%s: %s", h.describe(), whyNotWaivable(w.Rule)))
		case zoneAuthority(w.Rule) && (h.scope.zone == "" || h.scope.team != ""):
			out = append(out, RuleWaiverOutOfScope.New(h.scope.path, w.ArgPos("rule"),
				"%s: findings of %s belong to the zone whose policy is violated, so only that zone's waivers may cover them", h.describe(), w.Rule))
		case !zoneAuthority(w.Rule) && !h.scope.contains(m, w.Path):
			d := RuleWaiverOutOfScope.New(h.scope.path, w.ArgPos("path"),
				"%s: the path lies outside %s, which holds the waiver; it may only cover %s", h.describe(), h.scope.name, h.scope.extent())
			out = append(out, d)
		case w.Expired(now):
			out = append(out, RuleWaiverExpired.New(h.scope.path, w.ArgPos("expires"),
				"%s expired at the end of %s UTC (now is %s); it waives nothing any more",
				h.describe(), dateText(w.Expires), now.UTC().Format(time.RFC3339)))
		default:
			active = append(active, h)
		}
	}
	if len(active) > 0 {
		for i := range out[:len(ds)] {
			d := &out[i]
			if d.Waived != nil || !Waivable(d.Rule) {
				continue
			}
			var best *heldWaiver
			for _, h := range active {
				if h.waiver.Covers(d.Rule, d.Path) && h.scope.mayWaive(m, d) &&
					(best == nil || len(h.waiver.Path) > len(best.waiver.Path)) {
					best = h
				}
			}
			if best != nil {
				d.Waived = best.waiver.Ref()
				best.used = true
			}
		}
	}
	for _, h := range active {
		if h.used || !stages.ran(h.waiver.Rule) {
			continue
		}
		if h.waiver.Path != "" && !stages.hasPath(m, h.waiver.Path) {
			d := RuleWaiverUnknownPath.New(h.scope.path, h.waiver.ArgPos("path"),
				"%s: no object of the model has the path %s, so it waives nothing", h.describe(), quoted(h.waiver.Path))
			if c := closestPath(m, h.waiver.Path); c != "" {
				d.Hint = fmt.Sprintf("did you mean %s? %s", quoted(c), d.Hint)
			}
			out = append(out, d)
			continue
		}
		d := RuleWaiverUnused.New(h.scope.path, h.waiver.Pos,
			"%s waives nothing: no unwaived %s finding lies at or under %s", h.describe(), h.waiver.Rule, quoted(h.waiver.Path))
		if zoneAuthority(h.waiver.Rule) {
			d.Message += fmt.Sprintf(" that violates a policy of zone %q (a zone waives only its own policies' findings)", h.scope.zone)
		}
		out = append(out, d)
	}
	out.Sort()
	return out
}

// heldWaiver is a waiver with the part of the model that holds it.
type heldWaiver struct {
	waiver *ecosystem.Waiver
	scope  waiverScope
	used   bool
}

func (h *heldWaiver) describe() string {
	return fmt.Sprintf("waiver of %s at %s in %s", h.waiver.Rule, quoted(h.waiver.Path), h.scope.name)
}

// heldWaivers lists every waiver of m in model order: the ecosystem's, then
// each zone's followed by its teams'.
func heldWaivers(m *ecosystem.Ecosystem) []*heldWaiver {
	var out []*heldWaiver
	for _, w := range m.Waivers {
		out = append(out, &heldWaiver{waiver: w, scope: waiverScope{name: "the top level of ecosystem " + quoted(m.Name)}})
	}
	for _, z := range m.Zones {
		zs := waiverScope{zone: z.Name, path: ecosystem.ZonePath(z.Name), name: "zone " + quoted(z.Name)}
		for _, w := range z.Waivers {
			out = append(out, &heldWaiver{waiver: w, scope: zs})
		}
		for _, t := range z.Teams {
			ts := waiverScope{zone: z.Name, team: t.Name, path: ecosystem.TeamPath(z.Name, t.Name)}
			ts.name = "team " + quoted(ts.path)
			for _, w := range t.Waivers {
				out = append(out, &heldWaiver{waiver: w, scope: ts})
			}
		}
	}
	return out
}

// waiverScope is the part of the model a waiver may cover: the ecosystem's
// top level (zone and team empty), a zone's contents (team empty) or a
// team's contents.
type waiverScope struct {
	zone, team string
	path       string // the holder's model path
	name       string // the holder, for messages
}

// contains reports whether the model path p lies inside the scope. The path
// of a zone (or team) itself belongs both to the zone's (team's) own part and
// to the part that declares it, since both own something of it: the
// declaration the name and repository, the zone or team everything else.
func (s waiverScope) contains(m *ecosystem.Ecosystem, p string) bool {
	first, rest, nested := strings.Cut(p, "/")
	switch {
	case s.team != "":
		return ecosystem.PathHasPrefix(p, s.path)
	case s.zone != "":
		if first != s.zone {
			return false
		}
		if !nested {
			return true
		}
		team, _, inTeam := strings.Cut(rest, "/")
		return !inTeam || m.Team(s.zone, team) == nil
	default:
		return !nested || m.Zone(first) == nil
	}
}

// mayWaive reports whether waivers held in the scope may cover d: those of
// the finding's authority when it has one (see ecosystem.Diagnostic), else
// those of the part that holds its path.
func (s waiverScope) mayWaive(m *ecosystem.Ecosystem, d *ecosystem.Diagnostic) bool {
	if d.Authority != "" {
		return s.team == "" && s.zone != "" && s.path == d.Authority
	}
	return s.contains(m, d.Path)
}

// zoneAuthority reports whether findings of rule belong to the zone whose
// policy they concern (and carry it as their Authority): the policy rules.
// Such a waiver is held by that zone and may name any path its policies
// reach, in any zone.
func zoneAuthority(rule string) bool {
	_, ok := policyRuleIDs[rule]
	return ok
}

// extent says in words what the scope may cover.
func (s waiverScope) extent() string {
	switch {
	case s.team != "":
		return fmt.Sprintf("paths at or under %s", quoted(s.path))
	case s.zone != "":
		return fmt.Sprintf("paths at or under %s outside its teams' contents (each team waives its own)", quoted(s.path))
	}
	return "the top level (vendors/, platforms/, assignments/ and the zone declarations), not the zones' contents (each zone and team waives its own)"
}

// compatRuleIDs holds the IDs of the compatibility rules, whose findings
// need two models.
var compatRuleIDs = func() map[string]bool {
	ids := make(map[string]bool, len(compatRules))
	for _, r := range compatRules {
		ids[r.ID] = true
	}
	return ids
}()

// policyRuleIDs holds the IDs of the policy rules (see zoneAuthority).
var policyRuleIDs = func() map[string]struct{} {
	ids := make(map[string]struct{}, len(policyRuleOf))
	for _, r := range policyRuleOf {
		ids[r.ID] = struct{}{}
	}
	return ids
}()

// unknownRule reports the waiver h, whose rule no registered rule has, at
// its rule argument, with a did-you-mean that says when the rule meant
// cannot be waived either. It is an error, since the waiver can never
// apply, unless the platform checks did not run: the program may then not
// link the broker or the platform kinds, whose rules a waiver may rightly
// name, so it is a warning.
func unknownRule(h *heldWaiver, stages waiverStages) ecosystem.Diagnostic {
	w := h.waiver
	d := RuleWaiverUnknownRule.New(h.scope.path, w.ArgPos("rule"), "%s: no rule has the ID %s", h.describe(), w.Rule)
	if !stages.platforms {
		d.Severity = ecosystem.Warning
		d.Message = fmt.Sprintf("%s: no rule this program knows has the ID %s; the platform checks did not run, so it may be a rule of a platform", h.describe(), w.Rule)
	}
	if c, ok := suggest.Closest(w.Rule, ecosystem.RuleIDs()); ok {
		if why := whyNotWaivable(c); why != "" {
			d.Hint = fmt.Sprintf("did you mean %s? But %s", c, why)
		} else {
			d.Hint = fmt.Sprintf("did you mean %s? %s", c, d.Hint)
		}
	}
	return d
}

// knownRule reports whether a rule ID is registered. The registry holds the
// rules of every package the program links (the types package's reasons
// included), the bound platforms' and the host's own.
func knownRule(id string) bool {
	_, ok := ecosystem.LookupRule(id)
	return ok
}

// closestPath suggests the model path nearest to p, among the paths under
// p's longest existing prefix so that the search stays local in a large
// model.
func closestPath(m *ecosystem.Ecosystem, p string) string {
	prefix := p
	for prefix != "" && !m.HasPath(prefix) {
		i := strings.LastIndexByte(prefix, '/')
		if i < 0 {
			prefix = ""
			break
		}
		prefix = prefix[:i]
	}
	var candidates []string
	m.ModelPaths(func(q string) bool {
		if q != "" && ecosystem.PathHasPrefix(q, prefix) && strings.Count(q, "/") == strings.Count(p, "/") {
			candidates = append(candidates, q)
		}
		return len(candidates) < 10000
	})
	c, _ := suggest.Closest(p, candidates)
	return c
}
