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
