package governance

import (
	"fmt"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// entryMatcher says whether a policy entry covers a value. Most kinds match
// exactly; locations match hierarchically.
type entryMatcher func(entry, value string) bool

func exactEntry(entry, value string) bool { return entry == value }

// classificationEntry compares classifications by ecosystem.ClassificationKey,
// so that a denied "mnpi" also refuses "MNPI", "mnpi " and look-alikes.
func classificationEntry(entry, value string) bool {
	return entry == value || ecosystem.ClassificationKey(entry) == ecosystem.ClassificationKey(value)
}

// locationEntry lets an entry cover every location under it, and a bare
// vendor name cover every location of that vendor.
func locationEntry(entry, value string) bool { return ecosystem.LocationCovers(entry, value) }

// policyVerdict decides a value under a policy: a value covered by a Deny entry is
// refused whatever Allow says; otherwise an empty Allow allows everything
// and a non-empty one allows only what it covers. When refused, why says
// which entries decided it, for the message.
func policyVerdict(p *ecosystem.Policy, value string, match entryMatcher) (ok bool, why string) {
	for _, d := range p.Deny {
		if match(d, value) {
			return false, "denied: " + d
		}
	}
	if len(p.Allow) == 0 {
		return true, ""
	}
	for _, a := range p.Allow {
		if match(a, value) {
			return true, ""
		}
	}
	return false, policyAllowedSet(p)
}

// policyAllowedSet formats what a policy allows: "allowed: a, b" (with the denied
// entries too when there are any), for messages.
func policyAllowedSet(p *ecosystem.Policy) string {
	var b strings.Builder
	if len(p.Allow) == 0 {
		b.WriteString("allowed: anything")
	} else {
		b.WriteString("allowed: ")
		b.WriteString(strings.Join(p.Allow, ", "))
	}
	if len(p.Deny) > 0 {
		b.WriteString("; denied: ")
		b.WriteString(strings.Join(p.Deny, ", "))
	}
	return b.String()
}

// policyViolation builds the finding for a refused value. Messages follow one
// shape so they read alike across kinds:
//
//	zone "USA" policy "US only" (location): workspace "Churn" container "wsdb" is at "AWS:EU/eu-west-1", allowed: AWS:USA
func policyViolation(z *ecosystem.Zone, p *ecosystem.Policy, path string, pos ecosystem.Pos, object, state, why string) ecosystem.Diagnostic {
	d := policyRuleOf[p.Kind].New(path, pos, "zone %q policy %q (%s): %s %s, %s", z.Name, p.Name, p.Kind, object, state, why)
	d.Related = []ecosystem.Related{{Pos: p.Pos, Message: fmt.Sprintf("policy %q of zone %q is declared here", p.Name, z.Name)}}
	// The zone owns its policies, so only the zone may waive their findings,
	// whichever team's object (in whichever zone) violates them.
	d.Authority = ecosystem.ZonePath(z.Name)
	return d
}
