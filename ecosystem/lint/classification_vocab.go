package lint

import (
	"slices"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/internal/suggest"
)

// The model declares no list of classifications: its vocabulary is what
// datasets and columns are classified as and what classification policies
// name. Policies compare labels by ecosystem.ClassificationKey, which already
// folds case, surrounding blanks and look-alike letters; what it cannot fold
// without guessing (a typo, "top-secret" against "top_secret") is reported
// by CLASSIFICATION_UNMATCHED where a policy and the data disagree.

// labelUse is one place a dataset or a column is classified.
type labelUse struct {
	label, path, owner string
	pos                ecosystem.Pos
}

// policyLabel is one entry of a classification policy.
type policyLabel struct {
	label, arg string
	zone       *ecosystem.Zone
	policy     *ecosystem.Policy
}

// checkClassificationUnmatched implements CLASSIFICATION_UNMATCHED. A
// classification policy matches labels exactly (up to the key), so a label
// one typo away from the one a policy names escapes the policy:
//
//   - a dataset or column label that no policy names but that is near a
//     label a policy names and data carries is reported where it is written
//     (the data is probably misspelt);
//   - a policy entry that no dataset or column carries but that is near a
//     label data carries is reported at the policy (the policy is probably
//     misspelt, and protects nothing).
//
// Labels that are near one another only among datasets change no verdict
// and are left alone, as are labels no policy is near: with no declared
// vocabulary, an allow list already refuses labels it does not name.
func checkClassificationUnmatched(p *pass, r *reporter) {
	var entries []policyLabel
	named := map[string]policyLabel{} // key -> first entry naming it
	for _, z := range p.m.Zones {
		for _, pol := range z.Policies {
			if pol.Kind != ecosystem.ClassificationPolicy {
				continue
			}
			forEachEntry(pol, func(arg, l string) {
				e := policyLabel{label: l, arg: arg, zone: z, policy: pol}
				entries = append(entries, e)
				if _, ok := named[ecosystem.ClassificationKey(l)]; !ok {
					named[ecosystem.ClassificationKey(l)] = e
				}
			})
		}
	}
	if len(entries) == 0 {
		return
	}
	var uses []labelUse
	used := map[string]labelUse{} // key -> first use
	add := func(u labelUse) {
		uses = append(uses, u)
		if k := ecosystem.ClassificationKey(u.label); used[k].owner == "" {
			used[k] = u
		}
	}
	forEachDataset(p, func(s ecosystem.StoreRef, ds *ecosystem.Dataset) {
		for _, l := range ds.Classifications {
			add(labelUse{label: l, path: datasetPath(s, ds), owner: "dataset " + quote(ds.Name) + " of datastore " + quote(s.Store.Name), pos: ds.ArgPos("classification")})
		}
		for _, c := range ds.Columns {
			for _, l := range c.Classifications {
				add(labelUse{label: l, path: ecosystem.ColumnPath(s.Zone.Name, s.Team.Name, s.Store.Name, ds.Name, c.Name),
					owner: "column " + quote(c.Name) + " of dataset " + quote(ds.Name), pos: c.ArgPos("classification")})
			}
		}
	})
	// Candidates in sorted order, so suggestions do not depend on model order.
	var carried, established []string
	for k := range used {
		carried = append(carried, k)
		if _, ok := named[k]; ok {
			established = append(established, k)
		}
	}
	slices.Sort(carried)
	slices.Sort(established)

	for _, u := range uses {
		k := ecosystem.ClassificationKey(u.label)
		if _, ok := named[k]; ok {
			continue
		}
		c, ok := nearLabel(k, established)
		if !ok {
			continue
		}
		e := named[c]
		d := r.diag(u.path, u.pos, "%s is classified %q, which no classification policy names, while policy %q of zone %q %s %q: did you mean %q?",
			u.owner, u.label, e.policy.Name, e.zone.Name, entryVerb(e.arg), e.label, c)
		d.Hint = `write "` + c + `" if that is meant: policies compare classifications exactly (ignoring only case, surrounding blanks and look-alike letters), so a misspelt label escapes them`
		d.Related = related(d.Related, e.policy.ArgPos(e.arg), "policy "+quote(e.policy.Name)+" names "+quote(e.label)+" here")
		r.add(d)
	}
	for _, e := range entries {
		k := ecosystem.ClassificationKey(e.label)
		if _, ok := used[k]; ok {
			continue
		}
		c, ok := nearLabel(k, carried)
		if !ok {
			continue
		}
		u := used[c]
		d := r.diag(ecosystem.ZonePath(e.zone.Name), e.policy.ArgPos(e.arg),
			"classification policy %q of zone %q %s %q, which no dataset or column is classified as, while %s is classified %q: did you mean %q?",
			e.policy.Name, e.zone.Name, entryVerb(e.arg), e.label, u.owner, u.label, c)
		d.Hint = `write "` + c + `" if that is meant: as written, the policy ` + entryVerb(e.arg) + ` a label no data carries`
		d.Related = related(d.Related, u.pos, u.owner+" is classified "+quote(u.label)+" here")
		r.add(d)
	}
}

// nearLabel returns the candidate key nearest to the key k among those near
// it (see nearLabels), or false when none is.
func nearLabel(k string, candidates []string) (string, bool) {
	var near []string
	for _, c := range candidates {
		if c != k && nearLabels(k, c) {
			near = append(near, c)
		}
	}
	return suggest.Closest(k, near)
}

// nearLabels reports whether two classification keys probably mean the same
// label: equal but for '_' and '-' ("top-secret", "top_secret", "topsecret"),
// or, when both have at least four letters, one edit apart (a typo, a
// transposition). Labels that differ only in digits at the same places
// ("tier1", "tier2") are numbered levels, not typos; shorter labels ("pii",
// "pci") are too often distinct to guess about.
func nearLabels(a, b string) bool {
	fa, fb := foldLabel(a), foldLabel(b)
	if fa == fb {
		return true
	}
	if min(len(fa), len(fb)) < 4 || suggest.Distance(fa, fb) != 1 {
		return false
	}
	return !digitsOnlyDiffer(fa, fb)
}

func foldLabel(k string) string {
	return strings.NewReplacer("_", "", "-", "").Replace(k)
}

// digitsOnlyDiffer reports whether a and b have the same length and differ
// only at places where both have a digit.
func digitsOnlyDiffer(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' }
	for i := 0; i < len(a); i++ {
		if a[i] != b[i] && !(isDigit(a[i]) && isDigit(b[i])) {
			return false
		}
	}
	return true
}

// entryVerb is how a message says what a policy does with an entry.
func entryVerb(arg string) string {
	if arg == "allow" {
		return "allows"
	}
	return "denies"
}
