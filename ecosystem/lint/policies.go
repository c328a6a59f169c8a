package lint

import (
	"fmt"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// checkPolicyContradictions implements POLICY_CONTRADICTORY: no entry of a
// policy's allow list is also covered by its deny list. Deny wins, so such an
// allow entry allows nothing, while the policy reads as if it did: either the
// allow or the deny is a mistake, and a reviewer cannot tell which. A deny
// entry inside an allowed one is a carve-out ("AWS:USA" allowed, its
// "AWS:USA/us-west-2" denied) and is fine.
func checkPolicyContradictions(p *pass, r *reporter) {
	for _, z := range p.m.Zones {
		for _, pol := range z.Policies {
			for _, a := range pol.Allow {
				for _, d := range pol.Deny {
					if !policyEntryCovers(pol.Kind, d, a) {
						continue
					}
					how := "is also denied"
					if d != a {
						how = "is covered by the denied " + quote(d)
					}
					diag := r.diag(ecosystem.ZonePath(z.Name), pol.ArgPos("allow"),
						"%s policy %q of zone %q allows %q, which %s: deny wins, so the allow entry allows nothing", pol.Kind, pol.Name, z.Name, a, how)
					diag.Hint = "remove " + quote(a) + " from allow if it must stay denied, or " + quote(d) + " from deny if it should be allowed"
					diag.Related = related(diag.Related, pol.ArgPos("deny"), "the deny list is here")
					r.add(diag)
					break
				}
			}
		}
	}
}

// policyEntryCovers reports whether a deny entry covers an allow entry
// entirely, with the matching the policy kind uses when it is enforced.
func policyEntryCovers(kind ecosystem.PolicyKind, deny, allow string) bool {
	switch kind {
	case ecosystem.LocationPolicy:
		return ecosystem.LocationCovers(deny, allow)
	case ecosystem.ClassificationPolicy:
		return ecosystem.ClassificationKey(deny) == ecosystem.ClassificationKey(allow)
	}
	return deny == allow
}

// checkClassificationLabels implements CLASSIFICATION_NONCANONICAL: every
// classification (of a dataset, a column or in a classification policy) is
// written in its canonical form, lower-case ASCII without blanks. Policies
// compare labels in that form, so "MNPI" is denied by a policy denying
// "mnpi"; a label written otherwise still reads to people as another label,
// or hides a look-alike letter from another script.
func checkClassificationLabels(p *pass, r *reporter) {
	report := func(path string, pos ecosystem.Pos, owner, label string) {
		d := r.diag(path, pos, "%s has the classification %q, not in canonical form%s", owner, label, lookAlikeNote(label))
		d.Hint = `write it as "` + ecosystem.ClassificationKey(label) + `", the form policies compare classifications in`
		r.add(d)
	}
	for _, s := range p.stores {
		for _, ds := range s.Store.Datasets {
			path := ecosystem.DatasetPath(s.Zone.Name, s.Team.Name, s.Store.Name, ds.Name)
			for _, l := range ds.Classifications {
				if !ecosystem.CanonicalClassification(l) {
					report(path, ds.ArgPos("classification"), "dataset "+quote(ds.Name), l)
				}
			}
			for _, c := range ds.Columns {
				for _, l := range c.Classifications {
					if !ecosystem.CanonicalClassification(l) {
						report(ecosystem.ColumnPath(s.Zone.Name, s.Team.Name, s.Store.Name, ds.Name, c.Name), c.ArgPos("classification"), "column "+quote(c.Name)+" of dataset "+quote(ds.Name), l)
					}
				}
			}
		}
	}
	for _, z := range p.m.Zones {
		for _, pol := range z.Policies {
			if pol.Kind != ecosystem.ClassificationPolicy {
				continue
			}
			forEachEntry(pol, func(arg, l string) {
				if !ecosystem.CanonicalClassification(l) {
					report(ecosystem.ZonePath(z.Name), pol.ArgPos(arg), "classification policy "+quote(pol.Name)+" of zone "+quote(z.Name)+" ("+arg+")", l)
				}
			})
		}
	}
}

// lookAlikeNote points out letters that are not ASCII, which the reader of
// the message may not see.
func lookAlikeNote(label string) string {
	var odd []string
	for _, c := range label {
		if c >= 0x80 {
			odd = append(odd, fmt.Sprintf("%q (U+%04X)", c, c))
		}
	}
	if len(odd) == 0 {
		return ""
	}
	return " (it contains the non-ASCII " + strings.Join(odd, ", ") + ")"
}
