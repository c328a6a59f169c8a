package lint

import (
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// dupFinder finds repeated names in a list. SQL-identifier names are compared
// ignoring ASCII case, because databases fold unquoted identifiers and two
// tables or columns differing only in case would collide on every platform.
// Its tables are reused from list to list, and long lists are hashed on the
// folded bytes rather than on lower-cased copies, so that checking the
// hundred thousand names of a large model allocates almost nothing.
type dupFinder struct {
	first map[uint64]int // hash of a (folded) name -> first index with that hash
	next  []int          // next index with the same hash, or -1
}

// smallList is the length up to which a quadratic scan beats a map.
const smallList = 16

// find calls onDup(first, later) for each element whose name repeats an
// earlier one, with the index of the first occurrence.
func (f *dupFinder) find(n int, name func(int) string, fold bool, onDup func(first, later int)) {
	same := func(a, b string) bool {
		return len(a) == len(b) && (a == b || fold && strings.EqualFold(a, b))
	}
	if n <= smallList {
		// Read and hash each name once, then compare hashes: this path runs
		// once per dataset, and names of one length ("c1", "c2", ...) would
		// otherwise each need a case-folding comparison.
		var names [smallList]string
		var hashes [smallList]uint64
		for i := 0; i < n; i++ {
			names[i] = name(i)
			hashes[i] = hashName(names[i], fold)
		}
		for i := 1; i < n; i++ {
			for j := 0; j < i; j++ {
				if hashes[i] == hashes[j] && same(names[i], names[j]) {
					onDup(j, i)
					break
				}
			}
		}
		return
	}
	if f.first == nil {
		f.first = make(map[uint64]int, n)
	} else {
		clear(f.first)
	}
	f.next = f.next[:0]
	for i := 0; i < n; i++ {
		f.next = append(f.next, -1)
		nm := name(i)
		h := hashName(nm, fold)
		j, seen := f.first[h]
		if !seen {
			f.first[h] = i
			continue
		}
		// Walk the names sharing the hash: almost always one, and equal.
		dup, last := -1, j
		for k := j; k >= 0; k = f.next[k] {
			if same(name(k), nm) {
				dup = k
				break
			}
			last = k
		}
		if dup >= 0 {
			onDup(dup, i)
			continue
		}
		f.next[last] = i
	}
}

// hashName is FNV-1a over the name's bytes, ASCII-lower-cased when fold.
func hashName(s string, fold bool) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if fold && 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

// checkDuplicates implements DUPLICATE_NAME. Datastore and workspace names
// are unique in the whole ecosystem (sinks, transformers and assignments
// name them without zone or team); every other name is unique among its
// siblings. The later declaration is reported, pointing at the first.
func checkDuplicates(p *pass, r *reporter) {
	var f dupFinder
	dup := func(kind, scope, path string, first, later ecosystem.Source, firstName, laterName, firstPath string) {
		var d ecosystem.Diagnostic
		if firstName == laterName {
			d = r.diag(path, later.ArgPos("name"), "%s %q is declared twice in %s", kind, laterName, scope)
		} else {
			d = r.diag(path, later.ArgPos("name"), "%s %q and %q in %s differ only in letter case; SQL folds unquoted names, so they would collide", kind, firstName, laterName, scope)
		}
		if firstPath != "" && firstPath != path {
			d.Message += " (the first is " + firstPath + ")"
		}
		d.Hint = "rename one of them or remove the repeated declaration: " + kind + " names must be unique in " + scope
		d.Related = related(d.Related, first.ArgPos("name"), "first declared here")
		r.add(d)
	}
	m := p.m

	f.find(len(m.Vendors), func(i int) string { return m.Vendors[i].Name }, true, func(a, b int) {
		x, y := m.Vendors[a], m.Vendors[b]
		dup("vendor", "the ecosystem", ecosystem.VendorPath(y.Name), x.Source, y.Source, x.Name, y.Name, "")
	})
	for _, v := range m.Vendors {
		var walk func(path string, locs []*ecosystem.Location)
		walk = func(path string, locs []*ecosystem.Location) {
			f.find(len(locs), func(i int) string { return locs[i].Name }, false, func(a, b int) {
				x, y := locs[a], locs[b]
				dup("location", "vendor "+quote(v.Name), path+"/"+y.Name, x.Source, y.Source, x.Name, y.Name, "")
			})
			for _, l := range locs {
				walk(path+"/"+l.Name, l.Locations)
			}
		}
		walk(ecosystem.VendorPath(v.Name), v.Locations)
	}
	f.find(len(m.Platforms), func(i int) string { return m.Platforms[i].Name }, true, func(a, b int) {
		x, y := m.Platforms[a], m.Platforms[b]
		dup("platform", "the ecosystem", ecosystem.PlatformPath(y.Name), x.Source, y.Source, x.Name, y.Name, "")
	})
	f.find(len(m.Zones), func(i int) string { return m.Zones[i].Name }, true, func(a, b int) {
		x, y := m.Zones[a], m.Zones[b]
		dup("zone", "the ecosystem", ecosystem.ZonePath(y.Name), x.Source, y.Source, x.Name, y.Name, "")
	})
	for _, z := range m.Zones {
		zs := "zone " + quote(z.Name)
		f.find(len(z.Teams), func(i int) string { return z.Teams[i].Name }, true, func(a, b int) {
			x, y := z.Teams[a], z.Teams[b]
			dup("team", zs, ecosystem.TeamPath(z.Name, y.Name), x.Source, y.Source, x.Name, y.Name, "")
		})
		f.find(len(z.Policies), func(i int) string { return z.Policies[i].Name }, false, func(a, b int) {
			x, y := z.Policies[a], z.Policies[b]
			dup("policy", zs, ecosystem.ZonePath(z.Name), x.Source, y.Source, x.Name, y.Name, "")
		})
	}

	stores := p.stores
	f.find(len(stores), func(i int) string { return stores[i].Store.Name }, true, func(a, b int) {
		x, y := stores[a], stores[b]
		dup("datastore", "the ecosystem", y.Path(), x.Store.Source, y.Store.Source, x.Store.Name, y.Store.Name, x.Path())
	})
	for _, s := range stores {
		sets := s.Store.Datasets
		f.find(len(sets), func(i int) string { return sets[i].Name }, true, func(a, b int) {
			x, y := sets[a], sets[b]
			dup("dataset", "datastore "+quote(s.Store.Name), ecosystem.DatasetPath(s.Zone.Name, s.Team.Name, s.Store.Name, y.Name), x.Source, y.Source, x.Name, y.Name, "")
		})
		for _, ds := range sets {
			cols := ds.Columns
			f.find(len(cols), func(i int) string { return cols[i].Name }, true, func(a, b int) {
				x, y := cols[a], cols[b]
				dup("column", "dataset "+quote(s.Store.Name+"."+ds.Name), ecosystem.ColumnPath(s.Zone.Name, s.Team.Name, s.Store.Name, ds.Name, y.Name), x.Source, y.Source, x.Name, y.Name, "")
			})
		}
	}

	wss := p.workspaces
	f.find(len(wss), func(i int) string { return wss[i].Workspace.Name }, true, func(a, b int) {
		x, y := wss[a], wss[b]
		dup("workspace", "the ecosystem", y.Path(), x.Workspace.Source, y.Workspace.Source, x.Workspace.Name, y.Workspace.Name, x.Path())
	})
	for _, w := range wss {
		groups := w.Workspace.Groups
		f.find(len(groups), func(i int) string { return groups[i].Name }, true, func(a, b int) {
			x, y := groups[a], groups[b]
			dup("dataset group", "workspace "+quote(w.Workspace.Name), ecosystem.GroupPath(w.Zone.Name, w.Team.Name, w.Workspace.Name, y.Name), x.Source, y.Source, x.Name, y.Name, "")
		})
		for _, g := range groups {
			checkDuplicateSinks(r, w, g)
		}
	}
	checkStoreWorkspaceClash(r, m)
	checkDuplicateAssignments(r, m)
}

// checkStoreWorkspaceClash reports a workspace named like a datastore of the
// same team (ignoring case): both would have the model path zone/team/name,
// so a waiver or an authorization finding there could not tell them apart.
func checkStoreWorkspaceClash(r *reporter, m *ecosystem.Ecosystem) {
	for _, z := range m.Zones {
		for _, t := range z.Teams {
			if len(t.Datastores) == 0 || len(t.Workspaces) == 0 {
				continue
			}
			stores := make(map[string]*ecosystem.Datastore, len(t.Datastores))
			for _, s := range t.Datastores {
				if _, seen := stores[strings.ToLower(s.Name)]; !seen {
					stores[strings.ToLower(s.Name)] = s
				}
			}
			for _, w := range t.Workspaces {
				s, clash := stores[strings.ToLower(w.Name)]
				if !clash {
					continue
				}
				path := ecosystem.WorkspacePath(z.Name, t.Name, w.Name)
				d := r.diag(path, w.ArgPos("name"), "workspace %q has the name of datastore %q of the same team, so both would have the model path %s", w.Name, s.Name, path)
				d.Hint = "rename the workspace or the datastore: within a team, datastores and workspaces share one namespace"
				d.Related = related(d.Related, s.ArgPos("name"), "the datastore is declared here")
				r.add(d)
			}
		}
	}
}

// checkDuplicateSinks reports a dataset listed twice in one group: the second
// sink adds nothing and its allow_deprecated may contradict the first.
func checkDuplicateSinks(r *reporter, w ecosystem.WorkspaceRef, g *ecosystem.DatasetGroup) {
	for i := 1; i < len(g.Sinks); i++ {
		for j := 0; j < i; j++ {
			a, b := g.Sinks[j], g.Sinks[i]
			if a.Store == b.Store && a.Dataset == b.Dataset {
				d := r.diag(ecosystem.GroupPath(w.Zone.Name, w.Team.Name, w.Workspace.Name, g.Name), b.Pos,
					"sink %s is listed twice in dataset group %q of workspace %q", b, g.Name, w.Workspace.Name)
				d.Hint = "remove the repeated sink"
				d.Related = related(d.Related, a.Pos, "first listed here")
				r.add(d)
				break
			}
		}
	}
}

// checkDuplicateAssignments reports the same group assigned to the same
// platform twice; several platforms per group are fine (migrations).
func checkDuplicateAssignments(r *reporter, m *ecosystem.Ecosystem) {
	seen := map[[3]string]*ecosystem.Assignment{}
	for _, a := range m.Assignments {
		k := [3]string{a.Workspace, a.Group, a.Platform}
		first, dup := seen[k]
		if !dup {
			seen[k] = a
			continue
		}
		d := r.diag(assignmentPath(a), a.Pos, "dataset group %q of workspace %q is assigned to platform %q twice", a.Group, a.Workspace, a.Platform)
		d.Hint = "remove the repeated assignment"
		d.Related = related(d.Related, first.Pos, "first assigned here")
		r.add(d)
	}
}

// assignmentPath is the model path of an explicit assignment, under the
// assignments/ prefix the ecosystem package reserves for them.
func assignmentPath(a *ecosystem.Assignment) string {
	return ecosystem.JoinPath("assignments", a.Workspace, a.Group, a.Platform)
}

// quote formats a name in double quotes, as %q would for plain names.
func quote(s string) string { return `"` + s + `"` }
