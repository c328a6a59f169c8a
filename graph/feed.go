package graph

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// feed is everything whose data reaches one dataset group: the stores it
// consumes directly and, through transformers, indirectly; the transformer
// workspaces on the way (whose pipelines a platform serving the group must
// also run); and the zones that hold those stores, whose policies therefore
// govern the group.
type feed struct {
	stores     []ecosystem.StoreRef     // sorted by store name
	workspaces []ecosystem.WorkspaceRef // the group's own first, then transformer workspaces by name
	zones      []string                 // sorted
}

// feedOf walks from a group's sinks up through transformer outputs. A
// transformer that (through others) feeds itself is visited once, so cycles,
// which the graph reports, do not loop here.
func feedOf(m *ecosystem.Ecosystem, w ecosystem.WorkspaceRef, g *ecosystem.DatasetGroup) feed {
	var f feed
	seenStore := map[string]bool{}
	seenWS := map[string]bool{w.Workspace.Name: true}
	var upstream []ecosystem.WorkspaceRef
	var visit func(sinks []*ecosystem.Sink)
	visit = func(sinks []*ecosystem.Sink) {
		for _, s := range sinks {
			if seenStore[s.Store] {
				continue
			}
			r, ok := m.Datastore(s.Store)
			if !ok {
				continue // an unresolved sink; lint reports it
			}
			seenStore[s.Store] = true
			f.stores = append(f.stores, r)
			tw, ok := m.TransformerOf(s.Store)
			if !ok || seenWS[tw.Workspace.Name] {
				continue
			}
			seenWS[tw.Workspace.Name] = true
			upstream = append(upstream, tw)
			for _, tg := range tw.Workspace.Groups {
				visit(tg.Sinks)
			}
		}
	}
	visit(g.Sinks)
	slices.SortFunc(f.stores, func(a, b ecosystem.StoreRef) int { return cmp.Compare(a.Store.Name, b.Store.Name) })
	slices.SortFunc(upstream, func(a, b ecosystem.WorkspaceRef) int {
		return cmp.Compare(a.Workspace.Name, b.Workspace.Name)
	})
	f.workspaces = append([]ecosystem.WorkspaceRef{w}, upstream...)
	for _, s := range f.stores {
		f.zones = append(f.zones, s.Zone.Name)
	}
	slices.Sort(f.zones)
	f.zones = slices.Compact(f.zones)
	return f
}

// unmet lists, in a fixed order, what platform capabilities c lack to serve a
// group with requirements req and feed f: milestoning, latency, locations,
// then capture kinds by store and container kinds by workspace.
func unmet(c Capabilities, req *ecosystem.Requirements, f feed) []string {
	var out []string
	if req != nil {
		if !c.SupportsMilestoning(req.Milestoning) {
			out = append(out, milestoningReason(c, req.Milestoning))
		}
		if !c.SupportsLatency(req.Latency) {
			out = append(out, latencyReason(c, req.Latency))
		}
		if !c.RunsIn(req.Locations) {
			out = append(out, locationReason(c, req.Locations))
		}
	}
	for _, s := range f.stores {
		if k := captureKind(s.Store); !c.SupportsCapture(k) {
			out = append(out, captureReason(c, s.Store.Name, k))
		}
	}
	for _, w := range f.workspaces {
		if k := containerKind(w.Workspace); !c.SupportsContainer(k) {
			out = append(out, containerReason(c, w.Workspace.Name, k))
		}
	}
	return out
}

// forbidden lists the platform policies of the given zones that keep their
// data off the named platform, each as "forbidden by zone Z policy P (...)".
func forbidden(m *ecosystem.Ecosystem, zones []string, platform string) []string {
	var out []string
	for _, zn := range zones {
		z := m.Zone(zn)
		if z == nil {
			continue
		}
		for _, p := range z.Policies {
			if p.Kind != ecosystem.PlatformPolicy {
				continue
			}
			switch {
			case slices.Contains(p.Deny, platform):
				out = append(out, fmt.Sprintf("forbidden by zone %s policy %s (denies %s)", z.Name, p.Name, platform))
			case len(p.Allow) > 0 && !slices.Contains(p.Allow, platform):
				out = append(out, fmt.Sprintf("forbidden by zone %s policy %s (allows %s)", z.Name, p.Name, strings.Join(sortedCopy(p.Allow), ", ")))
			}
		}
	}
	return out
}

// captureKind is the store's capture kind, or "" for a store without one.
func captureKind(s *ecosystem.Datastore) ecosystem.CaptureKind {
	if s.Capture == nil {
		return ""
	}
	return s.Capture.Kind
}

// containerKind is the kind of the workspace's container, or "" when the
// workspace leaves the container to the platform.
func containerKind(w *ecosystem.Workspace) ecosystem.ContainerKind {
	if w.Container == nil {
		return ""
	}
	return w.Container.Kind
}

func sortedCopy(ss []string) []string {
	out := slices.Clone(ss)
	slices.Sort(out)
	return out
}
