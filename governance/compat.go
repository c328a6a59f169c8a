package governance

import (
	"fmt"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// Compatibility reports every incompatible difference between the datastores
// and datasets of base (the live model) and head (the proposed one), sorted
// in report order. docs/COMPATIBILITY.md describes the rules and modes.
//
// Each dataset is checked in its compatibility mode as the live model states
// it: the dataset's own mode, else the ecosystem's, else FULL. Taking the mode
// from base means a change cannot loosen the rules it is checked against; a
// new mode applies from the next change on.
//
// Every finding carries the rule ID, the model path, the head position of the
// offending argument (the base position for a removal), the old and new
// values, and the workspaces that consume the object, directly or through
// transformers, both in the message and as Related positions.
//
// Teams, datastores and datasets that base and head share by pointer (the
// evaluator's module cache reuses the objects of unchanged files) are
// skipped without being walked, so the cost grows with the change, not the
// model. A nil model or base == head yields no findings.
func Compatibility(base, head *ecosystem.Ecosystem) ecosystem.Diagnostics {
	if base == nil || head == nil || base == head {
		return nil
	}
	return newCompatChecker(base, head).run()
}

// newCompatChecker prepares a comparison of base with head.
func newCompatChecker(base, head *ecosystem.Ecosystem) *compatChecker {
	return &compatChecker{base: base, head: head}
}

// run compares the models and returns the sorted findings.
func (c *compatChecker) run() ecosystem.Diagnostics {
	base, head := c.base, c.head
	for _, z := range base.Zones {
		for _, t := range z.Teams {
			if head.Team(z.Name, t.Name) == t {
				continue // the team's file was not re-executed: nothing in it changed
			}
			for _, s := range t.Datastores {
				c.store(ecosystem.StoreRef{Zone: z, Team: t, Store: s})
			}
		}
	}
	c.out.Sort()
	return c.out
}

// compatChecker collects the findings of one comparison.
type compatChecker struct {
	base, head *ecosystem.Ecosystem
	out        ecosystem.Diagnostics
	// compared counts the datasets compared field by field, which tests
	// use to check that shared objects are skipped.
	compared int
}

// modeOf returns the mode a base dataset is checked in.
func (c *compatChecker) modeOf(d *ecosystem.Dataset) ecosystem.CompatibilityMode {
	if d.Compatibility != "" {
		return d.Compatibility
	}
	return c.base.EffectiveCompatibility()
}

// store compares one datastore of base with its namesake in head. Stores are
// keyed by name (unique in the ecosystem), so a store that moves to another
// team is compared, not reported as removed.
func (c *compatChecker) store(b ecosystem.StoreRef) {
	h, ok := c.head.Datastore(b.Store.Name)
	if !ok {
		c.storeRemoved(b)
		return
	}
	if h.Store == b.Store {
		return
	}
	heads := storeDatasetLookup(h.Store)
	for _, bd := range b.Store.Datasets {
		hd := heads(bd.Name)
		switch {
		case hd == nil:
			c.datasetRemoved(ecosystem.DatasetRef{StoreRef: b, Dataset: bd})
		case hd != bd:
			c.dataset(ecosystem.DatasetRef{StoreRef: b, Dataset: bd}, ecosystem.DatasetRef{StoreRef: h, Dataset: hd})
		}
	}
}

// storeDatasetLookup returns a lookup of a store's datasets by name; it builds a
// map only for stores large enough for a linear scan to cost more.
func storeDatasetLookup(s *ecosystem.Datastore) func(string) *ecosystem.Dataset {
	if len(s.Datasets) <= 16 {
		return func(name string) *ecosystem.Dataset {
			for _, d := range s.Datasets {
				if d.Name == name {
					return d
				}
			}
			return nil
		}
	}
	m := make(map[string]*ecosystem.Dataset, len(s.Datasets))
	for _, d := range s.Datasets {
		if _, dup := m[d.Name]; !dup {
			m[d.Name] = d
		}
	}
	return func(name string) *ecosystem.Dataset { return m[name] }
}

// storeRemoved reports a datastore that head no longer has.
func (c *compatChecker) storeRemoved(b ecosystem.StoreRef) {
	s := b.Store
	users := newConsumerSet()
	for _, d := range s.Datasets {
		users.add(c.head.Consumers(s.Name, d.Name)...)
	}
	users.add(c.base.StoreConsumers(s.Name)...)
	at := c.removedStorePos(b)
	if !users.empty() {
		c.emitRemoved(&ruleStoreRemovedInUse, b.Path(), at, users,
			"datastore %q (%s) was removed while %s", s.Name, pluralCount(len(s.Datasets), "dataset"), users.phrase())
	}
	if !c.storeExempt(s) && !storeCountsDeprecated(s) {
		c.emitRemoved(&ruleRemovedWithoutDeprecation, b.Path(), at, users,
			"datastore %q was removed but the live model does not deprecate it (nor every dataset in it)%s", s.Name, users.suffix())
	}
}

// storeExempt reports whether every dataset of a store is in mode NONE, which
// exempts the store's removal from the deprecation protocol. An empty store
// follows the ecosystem's mode.
func (c *compatChecker) storeExempt(s *ecosystem.Datastore) bool {
	if len(s.Datasets) == 0 {
		return !ruleRemovedWithoutDeprecation.appliesIn(c.base.EffectiveCompatibility())
	}
	for _, d := range s.Datasets {
		if ruleRemovedWithoutDeprecation.appliesIn(c.modeOf(d)) {
			return false
		}
	}
	return true
}

// storeCountsDeprecated reports whether a store counts as deprecated for removal:
// it is deprecated itself, or every dataset in it is.
func storeCountsDeprecated(s *ecosystem.Datastore) bool {
	if s.IsDeprecated() {
		return true
	}
	for _, d := range s.Datasets {
		if !d.IsDeprecated() {
			return false
		}
	}
	return true
}

// datasetRemoved reports a dataset that head's namesake store no longer has.
func (c *compatChecker) datasetRemoved(b ecosystem.DatasetRef) {
	s, d := b.Store, b.Dataset
	users := newConsumerSet()
	users.add(c.head.Consumers(s.Name, d.Name)...)
	users.add(c.base.Consumers(s.Name, d.Name)...)
	at := removal{base: d.Pos, what: "the dataset"}
	if h, ok := c.head.Datastore(s.Name); ok {
		at.head = h.Store.ArgPos("datasets")
	}
	if !users.empty() {
		c.emitRemoved(&ruleDatasetRemovedInUse, b.Path(), at, users,
			"dataset %q of datastore %q (%s) was removed while %s", d.Name, s.Name, pluralCount(len(d.Columns), "column"), users.phrase())
	}
	if ruleRemovedWithoutDeprecation.appliesIn(c.modeOf(d)) && !d.IsDeprecated() && !s.IsDeprecated() {
		c.emitRemoved(&ruleRemovedWithoutDeprecation, b.Path(), at, users,
			"dataset %q of datastore %q was removed but the live model deprecates neither it nor its store (mode %s)%s",
			d.Name, s.Name, c.modeOf(d), users.suffix())
	}
}

// removal places a finding about something head no longer has. Its
// declaration is only in the base revision, whose lines are not the ones a
// reviewer (or a code-scanning annotation) sees, so the finding points at
// the head argument the object was removed from (a dataset's columns, a
// store's datasets, a team's datastores) and the base declaration becomes a
// related position, said to be in the base revision. Without a head
// container the base position is all there is.
type removal struct {
	head, base ecosystem.Pos
	what       string
}

func (r removal) place() (ecosystem.Pos, []ecosystem.Related) {
	switch {
	case !r.head.IsValid():
		return r.base, nil
	case !r.base.IsValid():
		return r.head, nil
	}
	return r.head, []ecosystem.Related{{Pos: r.base, Message: r.what + " was declared here in the base revision"}}
}

// removedStorePos places the removal of a store: at the datastores argument
// of its team in head, else at the teams argument of its zone.
func (c *compatChecker) removedStorePos(b ecosystem.StoreRef) removal {
	r := removal{base: b.Store.Pos, what: "the datastore"}
	if t := c.head.Team(b.Zone.Name, b.Team.Name); t != nil {
		r.head = t.ArgPos("datastores")
	} else if z := c.head.Zone(b.Zone.Name); z != nil {
		r.head = z.ArgPos("teams")
	}
	return r
}

// emitRemoved records a finding placed by rm (see removal), with the
// consumers as Related positions.
func (c *compatChecker) emitRemoved(r *compatRule, path string, rm removal, users *consumerSet, format string, args ...any) {
	pos, related := rm.place()
	d := r.New(path, pos, format, args...)
	d.Related = append(related, users.related()...)
	c.out = append(c.out, d)
}

// pluralCount formats a count with its noun, pluralised.
func pluralCount(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// quotedNames formats values as "a", "b"; an empty list is "none".
func quotedNames(vs []string) string {
	if len(vs) == 0 {
		return "none"
	}
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}
