package lint

import (
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// References between objects are by name; these rules resolve each one and
// report the ones that do not resolve, with a did-you-mean where a declared
// name is close. Candidate lists are built only when something fails.

// checkSinks implements SINK_UNRESOLVED: each sink names an existing
// datastore and one of its datasets.
func checkSinks(p *pass, r *reporter) {
	for _, u := range p.resolvedSinks() {
		if u.Dataset != nil {
			continue
		}
		s, g, w := u.Sink, u.Group, u.Workspace
		if u.Store.Store == nil {
			d := r.diag(u.path(), s.ArgPos("store"), "sink %s in dataset group %q of workspace %q names datastore %q, which is not declared", s, g.Name, w.Name, s.Store)
			d.Hint = didYouMean(s.Store, storeNames(p), "name a datastore declared in some team of the ecosystem (datastore names are global)")
			r.add(d)
			continue
		}
		names := make([]string, len(u.Store.Store.Datasets))
		for i, ds := range u.Store.Store.Datasets {
			names[i] = ds.Name
		}
		d := r.diag(u.path(), s.ArgPos("dataset"), "sink %s in dataset group %q of workspace %q names dataset %q, which datastore %q does not have", s, g.Name, w.Name, s.Dataset, s.Store)
		d.Hint = didYouMean(s.Dataset, names, "datastore "+quote(s.Store)+" has the datasets "+strings.Join(names, ", "))
		d.Related = related(d.Related, u.Store.Store.Pos, "datastore declared here")
		r.add(d)
	}
}

// checkLocations implements LOCATION_UNRESOLVED: every location key a
// container or a dataset group's requirements name is Vendor:Path and
// resolves to a declared location of that vendor.
func checkLocations(p *pass, r *reporter) {
	// where describes the container's owner; it runs only on failure so a
	// clean model builds no strings here.
	check := func(keys []string, pos ecosystem.Pos, where func() (path, owner string)) {
		for _, key := range keys {
			if p.m.Location(key) != nil {
				continue
			}
			path, owner := where()
			msg, hint := explainLocation(p, key)
			d := r.diag(path, pos, "%s names location %q: %s", owner, key, msg)
			d.Hint = hint
			r.add(d)
		}
	}
	for _, s := range p.stores {
		if c := s.Store.Capture; c != nil && c.From != nil {
			check(c.From.Locations, c.From.ArgPos("locations"), func() (string, string) {
				return s.Path(), "the capture source " + quote(c.From.Name) + " of datastore " + quote(s.Store.Name)
			})
		}
	}
	for _, w := range p.workspaces {
		if c := w.Workspace.Container; c != nil {
			check(c.Locations, c.ArgPos("locations"), func() (string, string) {
				return w.Path(), "the container " + quote(c.Name) + " of workspace " + quote(w.Workspace.Name)
			})
		}
		for _, g := range w.Workspace.Groups {
			if q := g.Requirements; q != nil {
				check(q.Locations, q.ArgPos("locations"), func() (string, string) {
					return ecosystem.GroupPath(w.Zone.Name, w.Team.Name, w.Workspace.Name, g.Name),
						"the requirements of dataset group " + quote(g.Name) + " of workspace " + quote(w.Workspace.Name)
				})
			}
		}
	}
}

// explainLocation says why a location key does not resolve and how to fix it.
func explainLocation(p *pass, key string) (msg, hint string) {
	vendor, _, ok := ecosystem.SplitLocationKey(key)
	if !ok {
		return "it is not a location key", `write Vendor:Path, for example "AWS:USA/us-east-1"`
	}
	v := p.m.Vendor(vendor)
	if v == nil {
		return "vendor " + quote(vendor) + " is not declared", didYouMean(vendor, vendorNames(p), "declare the vendor in the ecosystem's vendors")
	}
	var keys []string
	walkLocations(v, func(k, _ string, _ *ecosystem.Location) { keys = append(keys, k) })
	if len(keys) == 0 {
		return "vendor " + quote(vendor) + " declares no locations", "declare the location under vendor " + quote(vendor)
	}
	return "vendor " + quote(vendor) + " declares no such location", didYouMean(key, keys, "vendor "+quote(vendor)+" declares "+strings.Join(keys, ", "))
}

// checkPlatforms implements PLATFORM_UNRESOLVED: dataset groups, explicit
// assignments and platform policies name declared platforms.
func checkPlatforms(p *pass, r *reporter) {
	m := p.m
	unknown := func(path, owner, name string, pos ecosystem.Pos) {
		d := r.diag(path, pos, "%s names platform %q, which the ecosystem does not declare", owner, name)
		d.Hint = didYouMean(name, platformNames(p), "name a platform declared in the ecosystem's platforms")
		r.add(d)
	}
	for _, w := range p.workspaces {
		for _, g := range w.Workspace.Groups {
			if g.Platform != "" && m.Platform(g.Platform) == nil {
				unknown(ecosystem.GroupPath(w.Zone.Name, w.Team.Name, w.Workspace.Name, g.Name), "dataset group "+quote(g.Name)+" of workspace "+quote(w.Workspace.Name), g.Platform, g.ArgPos("platform"))
			}
		}
	}
	for _, a := range m.Assignments {
		if m.Platform(a.Platform) == nil {
			unknown(assignmentPath(a), "the assignment of dataset group "+quote(a.Group)+" of workspace "+quote(a.Workspace), a.Platform, a.ArgPos("platform"))
		}
	}
	for _, z := range m.Zones {
		for _, pol := range z.Policies {
			if pol.Kind != ecosystem.PlatformPolicy {
				continue
			}
			forEachEntry(pol, func(arg, name string) {
				if m.Platform(name) == nil {
					unknown(ecosystem.ZonePath(z.Name), "platform policy "+quote(pol.Name)+" of zone "+quote(z.Name)+" ("+arg+")", name, pol.ArgPos(arg))
				}
			})
		}
	}
}

// forEachEntry calls fn for every allow entry, then every deny entry.
func forEachEntry(pol *ecosystem.Policy, fn func(arg, entry string)) {
	for _, e := range pol.Allow {
		fn("allow", e)
	}
	for _, e := range pol.Deny {
		fn("deny", e)
	}
}

// checkAssignments implements ASSIGNMENT_UNRESOLVED: an explicit assignment
// names an existing workspace and one of its dataset groups.
func checkAssignments(p *pass, r *reporter) {
	for _, a := range p.m.Assignments {
		w, ok := p.m.Workspace(a.Workspace)
		if !ok {
			d := r.diag(assignmentPath(a), a.ArgPos("workspace"), "assignment to platform %q names workspace %q, which is not declared", a.Platform, a.Workspace)
			d.Hint = didYouMean(a.Workspace, workspaceNames(p), "name a workspace declared in some team (workspace names are global)")
			r.add(d)
			continue
		}
		if w.Workspace.Group(a.Group) != nil {
			continue
		}
		var names []string
		for _, g := range w.Workspace.Groups {
			names = append(names, g.Name)
		}
		d := r.diag(assignmentPath(a), a.ArgPos("group"), "assignment to platform %q names dataset group %q, which workspace %q does not have", a.Platform, a.Group, a.Workspace)
		d.Hint = didYouMean(a.Group, names, "workspace "+quote(a.Workspace)+" has the dataset groups "+strings.Join(names, ", "))
		d.Related = related(d.Related, w.Workspace.Pos, "workspace declared here")
		r.add(d)
	}
}

// checkPolicyReferences implements POLICY_REFERENCE_UNRESOLVED: vendor
// policies name declared vendors and location policies name declared
// locations (a bare vendor name covers all its locations). An entry that
// names nothing would silently allow or deny nothing. Cloud, classification
// and storage policies name open-ended values and are not checked.
func checkPolicyReferences(p *pass, r *reporter) {
	m := p.m
	for _, z := range m.Zones {
		for _, pol := range z.Policies {
			switch pol.Kind {
			case ecosystem.VendorPolicy:
				forEachEntry(pol, func(arg, name string) {
					if m.Vendor(name) != nil {
						return
					}
					d := r.diag(ecosystem.ZonePath(z.Name), pol.ArgPos(arg), "vendor policy %q of zone %q %s vendor %q, which the ecosystem does not declare", pol.Name, z.Name, verb(arg), name)
					d.Hint = didYouMean(name, vendorNames(p), "name a vendor declared in the ecosystem's vendors")
					r.add(d)
				})
			case ecosystem.LocationPolicy:
				forEachEntry(pol, func(arg, key string) {
					if m.Location(key) != nil {
						return
					}
					var msg, hint string
					if !strings.Contains(key, ":") { // a bare vendor name covers all its locations
						if m.Vendor(key) != nil {
							return
						}
						msg, hint = "no vendor "+quote(key)+" is declared", didYouMean(key, vendorNames(p), "name a declared vendor, or a location as Vendor:Path")
					} else {
						msg, hint = explainLocation(p, key)
					}
					d := r.diag(ecosystem.ZonePath(z.Name), pol.ArgPos(arg), "location policy %q of zone %q %s location %q: %s", pol.Name, z.Name, verb(arg), key, msg)
					d.Hint = hint
					r.add(d)
				})
			}
		}
	}
}

func verb(arg string) string {
	if arg == "deny" {
		return "denies"
	}
	return "allows"
}

// checkTransformerOutputs implements TRANSFORMER_OUTPUT_UNRESOLVED: every
// transformer names the datastore it writes, and that datastore exists.
func checkTransformerOutputs(p *pass, r *reporter) {
	for _, w := range p.workspaces {
		t := w.Workspace.Transformer
		if t == nil {
			continue
		}
		if t.Output == "" {
			r.report(w.Path(), t.ArgPos("output"), "transformer %q of workspace %q names no output datastore", t.Name, w.Workspace.Name)
			continue
		}
		if _, ok := p.m.Datastore(t.Output); !ok {
			d := r.diag(w.Path(), t.ArgPos("output"), "transformer %q of workspace %q writes datastore %q, which is not declared", t.Name, w.Workspace.Name, t.Output)
			d.Hint = didYouMean(t.Output, storeNames(p), "declare the output datastore in the same team, captured as transformer output")
			r.add(d)
		}
	}
}

// Candidate lists for did-you-mean hints, in model order (closest breaks
// ties by name, so the order does not show in hints).

func storeNames(p *pass) []string {
	out := make([]string, len(p.stores))
	for i, s := range p.stores {
		out[i] = s.Store.Name
	}
	return out
}

func workspaceNames(p *pass) []string {
	out := make([]string, len(p.workspaces))
	for i, w := range p.workspaces {
		out[i] = w.Workspace.Name
	}
	return out
}

func platformNames(p *pass) []string {
	out := make([]string, len(p.m.Platforms))
	for i, pl := range p.m.Platforms {
		out[i] = pl.Name
	}
	return out
}

func vendorNames(p *pass) []string {
	out := make([]string, len(p.m.Vendors))
	for i, v := range p.m.Vendors {
		out[i] = v.Name
	}
	return out
}
