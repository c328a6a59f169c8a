package governance

import (
	"maps"
	"slices"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// difference is one change between the base and head versions of an object,
// as the authorization check reports it: which object, where, and what
// changed with the old and new values.
type difference struct {
	// object names the object for messages: its kind and model path.
	object string
	path   string
	// pos is the head position of the change; for a removal, the head
	// argument the object was removed from (a store's datasets, say), since
	// base lines are not the ones a reviewer sees.
	pos ecosystem.Pos
	// basePos, for a removal, is where the object was declared in base.
	basePos ecosystem.Pos
	what    string
}

// differ compares the versions of one part of the model and collects every
// difference. Values are compared ignoring source positions, so moving an
// object to another line or file is not a change. Lists whose order carries
// no meaning (zones, teams, stores, datasets, workspaces, policies, sinks,
// tags, locations, classifications) are compared as sets keyed by name;
// ordered lists (columns, partition columns) also report reordering. Objects
// shared by pointer between the versions are skipped without looking inside,
// so the cost of a comparison follows what changed.
type differ struct {
	out []difference
}

// add records a difference of the object of the given kind ("dataset") at
// path. The ecosystem itself, at the empty path, passes its full name as
// kind. Names are formatted here, once a difference is found, so that
// comparing equal objects costs no formatting.
func (d *differ) add(kind, path string, pos ecosystem.Pos, format string, args ...any) {
	d.removed(kind, path, pos, ecosystem.Pos{}, format, args...)
}

// removed records the removal of something declared at basePos in base,
// reported at pos, the head argument it was removed from.
func (d *differ) removed(kind, path string, pos, basePos ecosystem.Pos, format string, args ...any) {
	object := kind
	if path != "" {
		object = kind + " " + quoted(path)
	}
	d.out = append(d.out, difference{object: object, path: path, pos: pos, basePos: basePos, what: formatWhat(format, args...)})
}

// namedChildren compares a list of named children (a team's datastores, a
// store's datasets, ...) of the object at path: a removed child is reported
// at the head argument listArg it was removed from, an added one where it is
// declared, and a child in both is compared by compare.
func namedChildren[T any](d *differ, kind, path string, listArg ecosystem.Pos, base, head []T,
	name func(T) string, pos func(T) ecosystem.Pos, compare func(path string, b, h T)) {
	removed, added, both := matchKeyed(base, head, name)
	for _, x := range removed {
		d.removed(kind, ecosystem.JoinPath(path, name(x)), listArg, pos(x), "removed")
	}
	for _, x := range added {
		d.add(kind, ecosystem.JoinPath(path, name(x)), pos(x), "added")
	}
	for _, p := range both {
		compare(ecosystem.JoinPath(path, name(p.head)), p.base, p.head)
	}
}

// ecosystemTop compares what the ecosystem repository owns, except the zone
// declarations, which the authorization walk compares itself because their
// lifecycle decides who owns each difference.
func (d *differ) ecosystemTop(b, h *ecosystem.Ecosystem) {
	obj := "ecosystem " + quoted(h.Name)
	if b.Name != h.Name {
		d.add(obj, "", h.ArgPos("name"), "name changed from %s to %s", quoted(b.Name), quoted(h.Name))
	}
	if !b.Repo.Same(h.Repo) {
		d.add(obj, "", h.ArgPos("repo"), "repo changed from %s to %s (a transfer of the ecosystem)", b.Repo, h.Repo)
	}
	if !b.LiveRepo.Same(h.LiveRepo) {
		d.add(obj, "", h.ArgPos("live_repo"), "live_repo changed from %s to %s", repoText(b.LiveRepo), repoText(h.LiveRepo))
	}
	if b.EffectiveCompatibility() != h.EffectiveCompatibility() {
		d.add(obj, "", h.ArgPos("compatibility"), "compatibility changed from %s to %s", b.EffectiveCompatibility(), h.EffectiveCompatibility())
	}
	d.meta(obj, "", h.Source, b.Meta, h.Meta)
	d.vendors(b.Vendors, h.Vendors)
	d.platforms(b.Platforms, h.Platforms)
	d.assignments(b.Assignments, h.Assignments)
	d.waivers(obj, "", h.Source, b.Waivers, h.Waivers)
}

// zoneContents compares what a zone's repository owns, except the team
// declarations, which the authorization walk compares.
func (d *differ) zoneContents(b, h *ecosystem.Zone) {
	path := ecosystem.ZonePath(h.Name)
	obj := "zone"
	d.meta(obj, path, h.Source, b.Meta, h.Meta)
	d.policies(path, h.Source, b.Policies, h.Policies)
	d.waivers(obj, path, h.Source, b.Waivers, h.Waivers)
}

// teamContents compares everything inside a team.
func (d *differ) teamContents(zone string, b, h *ecosystem.Team) {
	path := ecosystem.TeamPath(zone, h.Name)
	obj := "team"
	d.meta(obj, path, h.Source, b.Meta, h.Meta)
	namedChildren(d, "datastore", path, h.ArgPos("datastores"), b.Datastores, h.Datastores,
		func(s *ecosystem.Datastore) string { return s.Name }, func(s *ecosystem.Datastore) ecosystem.Pos { return s.Pos }, d.datastore)
	namedChildren(d, "workspace", path, h.ArgPos("workspaces"), b.Workspaces, h.Workspaces,
		func(w *ecosystem.Workspace) string { return w.Name }, func(w *ecosystem.Workspace) ecosystem.Pos { return w.Pos }, d.workspace)
	d.waivers(obj, path, h.Source, b.Waivers, h.Waivers)
}

func (d *differ) datastore(path string, b, h *ecosystem.Datastore) {
	if b == h {
		return
	}
	obj := "datastore"
	d.capture(obj, path, h.ArgPos("capture"), b.Capture, h.Capture)
	if b.Production != h.Production {
		d.add(obj, path, h.ArgPos("production"), "production changed from %t to %t", b.Production, h.Production)
	}
	d.deprecation(obj, path, h.ArgPos("deprecation"), b.Deprecation, h.Deprecation)
	if (b.ApprovedWorkspaces == nil) != (h.ApprovedWorkspaces == nil) || !sameStringSet(b.ApprovedWorkspaces, h.ApprovedWorkspaces) {
		d.add(obj, path, h.ArgPos("approved_workspaces"), "approved_workspaces changed from %s to %s", approvalsText(b.ApprovedWorkspaces), approvalsText(h.ApprovedWorkspaces))
	}
	d.meta(obj, path, h.Source, b.Meta, h.Meta)
	namedChildren(d, "dataset", path, h.ArgPos("datasets"), b.Datasets, h.Datasets,
		func(x *ecosystem.Dataset) string { return x.Name }, func(x *ecosystem.Dataset) ecosystem.Pos { return x.Pos }, d.dataset)
}

func (d *differ) dataset(path string, b, h *ecosystem.Dataset) {
	if b == h {
		return
	}
	obj := "dataset"
	removed, added, both := matchKeyed(b.Columns, h.Columns, func(c *ecosystem.Column) string { return c.Name })
	for _, c := range removed {
		d.removed(obj, path, h.ArgPos("columns"), c.Pos, "column %s removed", quoted(c.Name))
	}
	for _, c := range added {
		d.add(obj, path, c.Pos, "column %s added", quoted(c.Name))
	}
	for _, p := range both {
		if !sameColumn(p.base, p.head) {
			d.column(ecosystem.JoinPath(path, p.head.Name), p.base, p.head)
		}
	}
	if !sameKeyOrder(b.Columns, h.Columns, func(c *ecosystem.Column) string { return c.Name }) {
		d.columnOrder(obj, path, b, h)
	}
	if !slices.Equal(b.PartitionBy, h.PartitionBy) {

		d.add(obj, path, h.ArgPos("partition_by"), "partition_by changed from %s to %s", listText(b.PartitionBy), listText(h.PartitionBy))
	}
	if !sameStringSet(b.Classifications, h.Classifications) {
		d.add(obj, path, h.ArgPos("classification"), "classification changed from %s to %s", listText(b.Classifications), listText(h.Classifications))
	}
	d.deprecation(obj, path, h.ArgPos("deprecation"), b.Deprecation, h.Deprecation)
	if b.Compatibility != h.Compatibility {
		d.add(obj, path, h.ArgPos("compatibility"), "compatibility changed from %s to %s", modeText(b.Compatibility), modeText(h.Compatibility))
	}
	d.meta(obj, path, h.Source, b.Meta, h.Meta)
}

// columnOrder reports a change in the relative order of the columns both
// versions have (added and removed columns are reported on their own).
func (d *differ) columnOrder(obj, path string, b, h *ecosystem.Dataset) {
	bo, ho := commonOrder(b.Columns, h.Columns, func(c *ecosystem.Column) string { return c.Name })
	if !slices.Equal(bo, ho) {
		d.add(obj, path, h.ArgPos("columns"), "column order changed from %s to %s", listText(bo), listText(ho))
	}
}

// sameColumn reports whether two versions of a column are equal, ignoring
// positions; it is the fast path that lets column build its path and
// messages only for columns that changed.
func sameColumn(b, h *ecosystem.Column) bool {
	return b == h || (sameColumnType(b, h) && b.Key == h.Key && b.Nullable == h.Nullable &&
		sameStringSet(b.Classifications, h.Classifications) && b.Doc == h.Doc && maps.Equal(b.Tags, h.Tags))
}

func (d *differ) column(path string, b, h *ecosystem.Column) {
	obj := "column"
	if !sameColumnType(b, h) {
		d.add(obj, path, h.ArgPos("type"), "type changed from %s to %s", columnTypeString(b), columnTypeString(h))
	}
	if b.Key != h.Key {
		d.add(obj, path, h.ArgPos("key"), "key changed from %t to %t", b.Key, h.Key)
	}
	if b.Nullable != h.Nullable {
		d.add(obj, path, h.ArgPos("nullable"), "nullable changed from %t to %t", b.Nullable, h.Nullable)
	}
	if !sameStringSet(b.Classifications, h.Classifications) {
		d.add(obj, path, h.ArgPos("classification"), "classification changed from %s to %s", listText(b.Classifications), listText(h.Classifications))
	}
	d.meta(obj, path, h.Source, b.Meta, h.Meta)
}

func (d *differ) workspace(path string, b, h *ecosystem.Workspace) {
	if b == h {
		return
	}
	obj := "workspace"
	if b.Priority.Effective() != h.Priority.Effective() {
		d.add(obj, path, h.ArgPos("priority"), "priority changed from %s to %s", b.Priority, h.Priority)
	}
	d.container(obj, path, h.ArgPos("container"), "container", b.Container, h.Container)
	d.transformer(obj, path, h.ArgPos("transformer"), b.Transformer, h.Transformer)
	d.deprecation(obj, path, h.ArgPos("deprecation"), b.Deprecation, h.Deprecation)
	d.meta(obj, path, h.Source, b.Meta, h.Meta)
	namedChildren(d, "dataset group", path, h.ArgPos("groups"), b.Groups, h.Groups,
		func(g *ecosystem.DatasetGroup) string { return g.Name }, func(g *ecosystem.DatasetGroup) ecosystem.Pos { return g.Pos }, d.group)
}

func (d *differ) group(path string, b, h *ecosystem.DatasetGroup) {
	if b == h {
		return
	}
	obj := "dataset group"
	if b.Platform != h.Platform {
		d.add(obj, path, h.ArgPos("platform"), "platform changed from %s to %s", quoted(b.Platform), quoted(h.Platform))
	}
	if bt, ht := requirementsText(b.Requirements), requirementsText(h.Requirements); bt != ht {
		d.add(obj, path, h.ArgPos("requirements"), "requirements changed from %s to %s", bt, ht)
	}
	removed, added, both := matchKeyed(b.Sinks, h.Sinks, (*ecosystem.Sink).String)
	for _, s := range removed {
		d.removed(obj, path, h.ArgPos("sinks"), s.Pos, "sink %s removed", s)
	}
	for _, s := range added {
		d.add(obj, path, s.Pos, "sink %s added", s)
	}
	for _, p := range both {
		if p.base.AllowDeprecated != p.head.AllowDeprecated {
			d.add(obj, path, p.head.ArgPos("allow_deprecated"), "sink %s allow_deprecated changed from %t to %t", p.head, p.base.AllowDeprecated, p.head.AllowDeprecated)
		}
	}
	d.meta(obj, path, h.Source, b.Meta, h.Meta)
}

func (d *differ) transformer(obj, path string, pos ecosystem.Pos, b, h *ecosystem.Transformer) {
	switch {
	case b == h:
		return
	case b == nil:
		d.add(obj, path, pos, "transformer %s added", quoted(h.Name))
		return
	case h == nil:
		d.add(obj, path, pos, "transformer %s removed", quoted(b.Name))
		return
	}
	what := "transformer " + quoted(h.Name)
	if b.Name != h.Name {
		d.add(obj, path, h.ArgPos("name"), "transformer name changed from %s to %s", quoted(b.Name), quoted(h.Name))
	}
	if !sameCode(b.Code, h.Code) {
		d.add(obj, path, h.ArgPos("code"), "%s code changed from %s to %s", what, codeText(b.Code), codeText(h.Code))
	}
	if b.Output != h.Output {
		d.add(obj, path, h.ArgPos("output"), "%s output changed from %s to %s", what, quoted(b.Output), quoted(h.Output))
	}
	d.trigger(obj, path, h.ArgPos("trigger"), what+" trigger", b.Trigger, h.Trigger)
	d.meta(obj, path, h.Source, b.Meta, h.Meta)
}

func (d *differ) waivers(obj, path string, owner ecosystem.Source, b, h []*ecosystem.Waiver) {
	key := func(w *ecosystem.Waiver) string { return w.Rule + " " + w.Path }
	removed, added, both := matchKeyed(b, h, key)
	for _, w := range removed {
		d.removed(obj, path, owner.ArgPos("waivers"), w.Pos, "waiver of %s at %s removed", w.Rule, quoted(w.Path))
	}
	for _, w := range added {
		d.add(obj, path, w.Pos, "waiver of %s at %s added", w.Rule, quoted(w.Path))
	}
	for _, p := range both {
		bw, hw := p.base, p.head
		if bw.Reason != hw.Reason {
			d.add(obj, path, hw.ArgPos("reason"), "waiver of %s at %s: reason changed from %s to %s", hw.Rule, quoted(hw.Path), quoted(bw.Reason), quoted(hw.Reason))
		}
		if !bw.Expires.Equal(hw.Expires) {
			d.add(obj, path, hw.ArgPos("expires"), "waiver of %s at %s: expires changed from %s to %s", hw.Rule, quoted(hw.Path), dateText(bw.Expires), dateText(hw.Expires))
		}
	}
}
