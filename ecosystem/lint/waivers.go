package lint

import (
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// checkWaivers implements WAIVER_INVALID: a waiver names the rule it waives
// (a SCREAMING_SNAKE ID), a reason and an expiry date. Whether its path lies
// inside the part that holds it, whether it has expired and whether it waives
// anything are the change check's concern (package governance:
// WAIVER_OUT_OF_SCOPE, WAIVER_EXPIRED, WAIVER_UNUSED), since they depend on
// ownership, the date and the findings of every stage.
func checkWaivers(p *pass, r *reporter) {
	check := func(owner, ownerPath string, w *ecosystem.Waiver) {
		bad := func(arg, format string, args ...any) {
			d := r.diag(ownerPath, w.ArgPos(arg), "waiver of %s for rule %q at %q: "+format, append([]any{owner, w.Rule, w.Path}, args...)...)
			d.Hint = `give every waiver rule, path, reason and expires, for example waiver(rule = "DATASET_UNCLASSIFIED", path = "Zone/Team/Store", reason = "classification review PROJ-123", expires = "2026-12-31")`
			r.add(d)
		}
		switch {
		case w.Rule == "":
			bad("rule", "it names no rule")
		case !ecosystem.IsRuleID(w.Rule):
			bad("rule", "%q is not a rule ID; rule IDs are upper case letters, digits and _ (SCREAMING_SNAKE)", w.Rule)
		}
		if strings.TrimSpace(w.Reason) == "" {
			bad("reason", "it gives no reason")
		}
		if w.Expires.IsZero() {
			bad("expires", "it has no expiry date")
		}
	}
	m := p.m
	for _, w := range m.Waivers {
		check("ecosystem "+quote(m.Name), "", w)
	}
	for _, z := range m.Zones {
		for _, w := range z.Waivers {
			check("zone "+quote(z.Name), ecosystem.ZonePath(z.Name), w)
		}
		for _, t := range z.Teams {
			for _, w := range t.Waivers {
				check("team "+quote(t.Name), ecosystem.TeamPath(z.Name, t.Name), w)
			}
		}
	}
}
