package governance

import (
	"slices"
)

// classifications reports classification changes of a dataset, in every
// mode: a classification decides which zones may consume the data, so a
// change either way is a governance decision, not a schema detail.
//
// A column's effective classification is the dataset's plus its own. When
// no column's effective classification changed (the labels only moved
// between the dataset and its columns, or the dataset has no columns and
// its own labels are equal) nothing is reported. Otherwise a change at the
// dataset level is one finding at the dataset, and each column whose own
// labels changed is one finding at the column.
func (d *compatDataset) classifications() {
	bd, hd, m := d.b.Dataset, d.h.Dataset, d.m
	dsChanged := !sameLabels(bd.Classifications, hd.Classifications)
	effectiveChanged := false
	for _, p := range m.pairs {
		if !sameLabels(labelUnion(bd.Classifications, p.old.Classifications), labelUnion(hd.Classifications, p.new.Classifications)) {
			effectiveChanged = true
			break
		}
	}
	if len(m.pairs) == 0 {
		effectiveChanged = dsChanged
	}
	if !effectiveChanged {
		return
	}
	if dsChanged {
		d.report(&ruleClassificationChanged, d.h.Path(), hd.ArgPos("classification"),
			"classification of dataset %q changed from %s to %s", hd.Name, classificationList(bd.Classifications), classificationList(hd.Classifications))
	}
	for _, p := range m.pairs {
		if sameLabels(p.old.Classifications, p.new.Classifications) {
			continue
		}
		if sameLabels(labelUnion(bd.Classifications, p.old.Classifications), labelUnion(hd.Classifications, p.new.Classifications)) {
			continue // the column's effective labels did not change
		}
		d.report(&ruleClassificationChanged, compatColumnPath(d.h, p.new.Name), p.new.ArgPos("classification"),
			"classification of column %q changed from %s to %s", p.new.Name, classificationList(p.old.Classifications), classificationList(p.new.Classifications))
	}
}

// sameLabels reports whether two label lists hold the same labels, ignoring
// order and repeats.
func sameLabels(a, b []string) bool {
	return slices.Equal(sortedLabels(a), sortedLabels(b))
}

// labelUnion returns the labels of a and b, sorted, without repeats.
func labelUnion(a, b []string) []string {
	return sortedLabels(append(slices.Clip(a), b...))
}

// sortedLabels returns the labels sorted, without repeats.
func sortedLabels(a []string) []string {
	out := slices.Clone(a)
	slices.Sort(out)
	return slices.Compact(out)
}

// classificationList formats labels as ["a", "b"], or "none".
func classificationList(ls []string) string {
	if len(ls) == 0 {
		return "none"
	}
	return "[" + quotedNames(ls) + "]"
}
