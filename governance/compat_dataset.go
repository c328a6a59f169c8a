package governance

import (
	"fmt"
	"slices"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/types"
)

// compatDataset compares one dataset present in both models.
type compatDataset struct {
	c    *compatChecker
	b, h ecosystem.DatasetRef
	mode ecosystem.CompatibilityMode
	m    schemaMatch
	// users is computed on the first finding: most changed datasets have
	// none, and lineage is the costly part of a finding.
	users *consumerSet
}

// dataset compares a dataset of base with its namesake in head.
func (c *compatChecker) dataset(b, h ecosystem.DatasetRef) {
	c.compared++
	if sameSchema(b.Dataset, h.Dataset) {
		return // the common case when base and head were evaluated apart
	}
	d := &compatDataset{c: c, b: b, h: h, mode: c.modeOf(b.Dataset), m: matchSchema(b.Dataset.Columns, h.Dataset.Columns)}
	d.columns()
	d.classifications()
}

// consumers returns the head workspaces that consume the dataset.
func (d *compatDataset) consumers() *consumerSet {
	if d.users == nil {
		d.users = newConsumerSet()
		d.users.add(d.c.head.Consumers(d.h.Store.Name, d.h.Dataset.Name)...)
	}
	return d.users
}

// report emits a finding of r when r is enforced in the dataset's mode. The
// message gets the mode (when the rule depends on it) and the consumers.
func (d *compatDataset) report(r *compatRule, path string, pos ecosystem.Pos, format string, args ...any) {
	d.reportRemoved(r, path, removal{head: pos}, format, args...)
}

// reportRemoved is report for a column head no longer has, placed by rm
// (see removal).
func (d *compatDataset) reportRemoved(r *compatRule, path string, rm removal, format string, args ...any) {
	if !r.appliesIn(d.mode) {
		return
	}
	users := d.consumers()
	msg := fmt.Sprintf(format, args...)
	if r.modes != allModes {
		msg += fmt.Sprintf(" (mode %s)", d.mode)
	}
	d.c.emitRemoved(r, path, rm, users, "%s%s", msg, users.suffix())
}

// sameSchema reports, without allocating, whether two datasets agree on
// everything the compatibility rules look at: columns in order with their
// names, types, key and nullability flags and classifications, the
// partitioning and the dataset's classifications. Label order counts here,
// so a reordering takes the slow path, which ignores it.
func sameSchema(a, b *ecosystem.Dataset) bool {
	if len(a.Columns) != len(b.Columns) || !slices.Equal(a.PartitionBy, b.PartitionBy) ||
		!slices.Equal(a.Classifications, b.Classifications) {
		return false
	}
	for i, ac := range a.Columns {
		bc := b.Columns[i]
		if ac.Name != bc.Name || ac.Key != bc.Key || ac.Nullable != bc.Nullable ||
			!types.Equal(ac.Type, bc.Type) || !slices.Equal(ac.Classifications, bc.Classifications) {
			return false
		}
	}
	return true
}

// compatColumnPath returns the model path of a column of the head dataset, or of
// the base dataset for a removed column.
func compatColumnPath(r ecosystem.DatasetRef, column string) string {
	return ecosystem.ColumnPath(r.Zone.Name, r.Team.Name, r.Store.Name, r.Dataset.Name, column)
}

// schemaPair is a base column and the head column it became.
type schemaPair struct{ old, new *ecosystem.Column }

// schemaMatch is how the columns of the two versions correspond.
type schemaMatch struct {
	pairs   []schemaPair        // same name, or renamed, in head order
	removed []*ecosystem.Column // in base only, in base order
	added   []*ecosystem.Column // in head only, in head order
	renamed map[string]string   // base name -> head name
}

// newName returns the head name of a base column: its new name when renamed.
func (m schemaMatch) newName(old string) string {
	if n, ok := m.renamed[old]; ok {
		return n
	}
	return old
}

// matchSchema pairs columns by name. A base column missing from head and a
// head column missing from base at the same index with the same type are
// taken as one renamed column: that is what a rename looks like in a model,
// and reporting it as a removal plus an addition would hide the cause.
func matchSchema(old, new []*ecosystem.Column) schemaMatch {
	inOld := make(map[string]*ecosystem.Column, len(old))
	for _, c := range old {
		inOld[c.Name] = c
	}
	inNew := make(map[string]*ecosystem.Column, len(new))
	for _, c := range new {
		inNew[c.Name] = c
	}
	m := schemaMatch{renamed: map[string]string{}}
	renamedTo := map[*ecosystem.Column]*ecosystem.Column{}
	for i, oc := range old {
		if inNew[oc.Name] != nil {
			continue
		}
		if i < len(new) {
			nc := new[i]
			if inOld[nc.Name] == nil && types.Equal(oc.Type, nc.Type) {
				renamedTo[nc] = oc
				m.renamed[oc.Name] = nc.Name
				continue
			}
		}
		m.removed = append(m.removed, oc)
	}
	for _, nc := range new {
		switch {
		case inOld[nc.Name] != nil:
			m.pairs = append(m.pairs, schemaPair{inOld[nc.Name], nc})
		case renamedTo[nc] != nil:
			m.pairs = append(m.pairs, schemaPair{renamedTo[nc], nc})
		default:
			m.added = append(m.added, nc)
		}
	}
	return m
}

// columns compares the schemas: columns, nullability, types, key and partitioning.
func (d *compatDataset) columns() {
	bd, hd, m := d.b.Dataset, d.h.Dataset, d.m
	for _, oc := range m.removed {
		// FORWARD tolerates removing a nullable column: readers on the old
		// schema see nulls, which it allowed.
		if d.mode == ecosystem.Forward && oc.Nullable {
			continue
		}
		d.reportRemoved(&ruleColumnRemoved, compatColumnPath(d.b, oc.Name), removal{head: hd.ArgPos("columns"), base: oc.Pos, what: "the column"},
			"column %q (%s) was removed from dataset %q", oc.Name, columnSummary(oc), bd.Name)
	}
	for _, nc := range m.added {
		switch {
		case nc.Key:
			d.report(&ruleColumnAddedKey, compatColumnPath(d.h, nc.Name), nc.ArgPos("key"),
				"column %q (%s) was added to dataset %q as a primary key column: primary key was %s, is now %s",
				nc.Name, columnSummary(nc), hd.Name, columnList(bd.PrimaryKey()), columnList(hd.PrimaryKey()))
		case !nc.Nullable:
			d.report(&ruleColumnAddedNotNullable, compatColumnPath(d.h, nc.Name), columnNullablePos(nc),
				"column %q (%s) was added to dataset %q as NOT NULL: rows written before the change have no value for it",
				nc.Name, columnSummary(nc), hd.Name)
		}
	}
	for _, p := range m.pairs {
		path := compatColumnPath(d.h, p.new.Name)
		if p.old.Name != p.new.Name {
			d.report(&ruleColumnRenamed, path, p.new.ArgPos("name"),
				"column %q was renamed to %q (same position %d, same type %s)",
				p.old.Name, p.new.Name, slices.Index(hd.Columns, p.new)+1, columnTypeText(p.new.Type))
		}
		switch {
		case p.old.Nullable && !p.new.Nullable:
			d.report(&ruleNullabilityTightened, path, columnNullablePos(p.new),
				"column %q changed from nullable to NOT NULL", p.new.Name)
		case !p.old.Nullable && p.new.Nullable:
			d.report(&ruleNullabilityLoosened, path, columnNullablePos(p.new),
				"column %q changed from NOT NULL to nullable", p.new.Name)
		}
		d.typeChange(path, p.old, p.new)
	}
	d.primaryKey()
	d.partitioning()
}

// primaryKey reports key columns added, removed or reordered among the
// columns both versions have; new key columns and removed columns have their
// own rules and are left out here so one change gives one finding.
func (d *compatDataset) primaryKey() {
	bd, hd, m := d.b.Dataset, d.h.Dataset, d.m
	removed := map[string]bool{}
	for _, c := range m.removed {
		removed[c.Name] = true
	}
	added := map[string]bool{}
	for _, c := range m.added {
		added[c.Name] = true
	}
	var was, is []string
	for _, k := range bd.PrimaryKey() {
		if !removed[k] {
			was = append(was, m.newName(k))
		}
	}
	for _, k := range hd.PrimaryKey() {
		if !added[k] {
			is = append(is, k)
		}
	}
	if slices.Equal(was, is) {
		return
	}
	// Point at the key flag of the first key position that differs.
	pos := hd.ArgPos("columns")
	for i := range max(len(was), len(is)) {
		if i < len(was) && i < len(is) && was[i] == is[i] {
			continue
		}
		name := ""
		if i < len(is) {
			name = is[i]
		} else {
			name = was[i]
		}
		if c := hd.Column(name); c != nil {
			pos = c.ArgPos("key")
		}
		break
	}
	d.report(&rulePrimaryKeyChanged, d.h.Path(), pos,
		"primary key of dataset %q changed from %s to %s", hd.Name, columnList(bd.PrimaryKey()), columnList(hd.PrimaryKey()))
}

// partitioning reports partition columns added, removed or reordered,
// following renamed columns.
func (d *compatDataset) partitioning() {
	bd, hd, m := d.b.Dataset, d.h.Dataset, d.m
	was := make([]string, len(bd.PartitionBy))
	for i, p := range bd.PartitionBy {
		was[i] = m.newName(p)
	}
	if slices.Equal(was, hd.PartitionBy) {
		return
	}
	d.report(&rulePartitionChanged, d.h.Path(), hd.ArgPos("partition_by"),
		"partitioning of dataset %q changed from %s to %s", hd.Name, columnList(bd.PartitionBy), columnList(hd.PartitionBy))
}

// columnNullablePos points at the argument that decides a column's nullability:
// nullable when given, else key (key columns default to NOT NULL), else the call.
func columnNullablePos(c *ecosystem.Column) ecosystem.Pos {
	if p, ok := c.Args.Lookup("nullable"); ok {
		return p
	}
	return c.ArgPos("key")
}

// columnSummary formats a column's type and flags: "varchar(20), NOT NULL, key".
func columnSummary(c *ecosystem.Column) string {
	parts := []string{columnTypeText(c.Type)}
	if c.Nullable {
		parts = append(parts, "nullable")
	} else {
		parts = append(parts, "NOT NULL")
	}
	if c.Key {
		parts = append(parts, "key")
	}
	return strings.Join(parts, ", ")
}

// columnTypeText prints a type, or "no type" for a column built without one.
func columnTypeText(t types.Type) string {
	if t == nil {
		return "no type"
	}
	return t.String()
}

// columnList formats an ordered column list: (a, b), or () when empty.
func columnList(names []string) string { return "(" + strings.Join(names, ", ") + ")" }
