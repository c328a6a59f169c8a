package ecosystem

import "strings"

// Model paths name objects independently of the files they were written in.
// Zone contents nest as zone/team/store/dataset/column and
// zone/team/workspace/group; ecosystem-level objects live under fixed
// prefixes (vendors/, platforms/, assignments/). The ecosystem itself has the
// empty path.

// JoinPath joins path elements with "/", skipping empty ones.
func JoinPath(elems ...string) string {
	var b strings.Builder
	for _, e := range elems {
		if e == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('/')
		}
		b.WriteString(e)
	}
	return b.String()
}

// PathHasPrefix reports whether path is prefix or lies under it. The empty
// prefix covers every path.
func PathHasPrefix(path, prefix string) bool {
	if prefix == "" || path == prefix {
		return true
	}
	return strings.HasPrefix(path, prefix) && path[len(prefix)] == '/'
}

// ZonePath returns the path of a zone.
func ZonePath(zone string) string { return zone }

// TeamPath returns the path of a team.
func TeamPath(zone, team string) string { return JoinPath(zone, team) }

// StorePath returns the path of a datastore.
func StorePath(zone, team, store string) string { return JoinPath(zone, team, store) }

// DatasetPath returns the path of a dataset.
func DatasetPath(zone, team, store, dataset string) string {
	return JoinPath(zone, team, store, dataset)
}

// ColumnPath returns the path of a column.
func ColumnPath(zone, team, store, dataset, column string) string {
	return JoinPath(zone, team, store, dataset, column)
}

// WorkspacePath returns the path of a workspace.
func WorkspacePath(zone, team, workspace string) string { return JoinPath(zone, team, workspace) }

// GroupPath returns the path of a dataset group.
func GroupPath(zone, team, workspace, group string) string {
	return JoinPath(zone, team, workspace, group)
}

// VendorPath returns the path of a vendor.
func VendorPath(vendor string) string { return JoinPath("vendors", vendor) }

// PlatformPath returns the path of a platform declaration.
func PlatformPath(platform string) string { return JoinPath("platforms", platform) }

// ModelPaths calls fn with the path of every object of the model, parents
// before children: the ecosystem (""), vendors and their locations,
// platforms, assignments, then each zone with its teams, their stores,
// datasets and columns, and their workspaces and groups. It stops early when
// fn returns false.
func (e *Ecosystem) ModelPaths(fn func(path string) bool) {
	if !fn("") {
		return
	}
	var locations func(prefix string, ls []*Location) bool
	locations = func(prefix string, ls []*Location) bool {
		for _, l := range ls {
			p := JoinPath(prefix, l.Name)
			if !fn(p) || !locations(p, l.Locations) {
				return false
			}
		}
		return true
	}
	for _, v := range e.Vendors {
		if !fn(VendorPath(v.Name)) || !locations(VendorPath(v.Name), v.Locations) {
			return
		}
	}
	for _, p := range e.Platforms {
		if !fn(PlatformPath(p.Name)) {
			return
		}
	}
	for _, a := range e.Assignments {
		if !fn(JoinPath("assignments", a.Workspace, a.Group, a.Platform)) {
			return
		}
	}
	for _, z := range e.Zones {
		if !fn(ZonePath(z.Name)) {
			return
		}
		for _, t := range z.Teams {
			if !fn(TeamPath(z.Name, t.Name)) {
				return
			}
			for _, s := range t.Datastores {
				if !fn(StorePath(z.Name, t.Name, s.Name)) {
					return
				}
				for _, d := range s.Datasets {
					if !fn(DatasetPath(z.Name, t.Name, s.Name, d.Name)) {
						return
					}
					for _, c := range d.Columns {
						if !fn(ColumnPath(z.Name, t.Name, s.Name, d.Name, c.Name)) {
							return
						}
					}
				}
			}
			for _, w := range t.Workspaces {
				if !fn(WorkspacePath(z.Name, t.Name, w.Name)) {
					return
				}
				for _, g := range w.Groups {
					if !fn(GroupPath(z.Name, t.Name, w.Name, g.Name)) {
						return
					}
				}
			}
		}
	}
}

// HasPath reports whether some object of the model has the path p. It
// follows the path down the model instead of listing every path.
func (e *Ecosystem) HasPath(p string) bool {
	if p == "" {
		return true
	}
	parts := strings.Split(p, "/")
	switch parts[0] {
	case "vendors", "platforms", "assignments":
		found := false
		e.ModelPaths(func(q string) bool {
			found = q == p
			// Top-level paths come before the zones: stop at the first zone.
			return !found && (q == "" || strings.HasPrefix(q, "vendors/") || strings.HasPrefix(q, "platforms/") || strings.HasPrefix(q, "assignments/"))
		})
		return found
	}
	z := e.Zone(parts[0])
	if z == nil {
		return false
	}
	if len(parts) == 1 {
		return true
	}
	t := e.Team(z.Name, parts[1])
	if t == nil {
		return false
	}
	rest := parts[2:]
	if len(rest) == 0 {
		return true
	}
	for _, s := range t.Datastores {
		if s.Name != rest[0] {
			continue
		}
		if len(rest) == 1 {
			return true
		}
		for _, d := range s.Datasets {
			if d.Name == rest[1] {
				if len(rest) == 2 {
					return true
				}
				for _, c := range d.Columns {
					if c.Name == rest[2] && len(rest) == 3 {
						return true
					}
				}
			}
		}
	}
	for _, w := range t.Workspaces {
		if w.Name != rest[0] {
			continue
		}
		if len(rest) == 1 {
			return true
		}
		for _, g := range w.Groups {
			if g.Name == rest[1] && len(rest) == 2 {
				return true
			}
		}
	}
	return false
}
