package graph

import (
	"github.com/datasurface/datasurface-go/ecosystem"
)

// CheckCapabilities reports every feature of pipeline p that a platform with
// capabilities c does not support: the requirements of each group it serves
// (milestoning, latency, locations), the capture kind of each store it
// ingests and the container kind of each workspace it exports into. Each
// problem is reported once, at the model argument to change. A platform's
// Accept usually starts with this check and adds its own.
func CheckCapabilities(p *Pipeline, c Capabilities) ecosystem.Diagnostics {
	var out ecosystem.Diagnostics
	who := "platform " + p.Platform
	if p.Decl != nil && p.Decl.Kind != "" {
		who += " (kind " + p.Decl.Kind + ")"
	}
	for _, ga := range p.Groups {
		r := ga.DatasetGroup.Requirements
		if r == nil {
			continue
		}
		if !c.SupportsMilestoning(r.Milestoning) {
			out = append(out, RuleMilestoningUnsupported.New(ga.Path, r.ArgPos("milestoning"),
				"%s cannot serve dataset group %s.%s: %s", who, ga.Workspace, ga.Group, milestoningReason(c, r.Milestoning)))
		}
		if !c.SupportsLatency(r.Latency) {
			out = append(out, RuleLatencyUnsupported.New(ga.Path, r.ArgPos("latency"),
				"%s cannot serve dataset group %s.%s: %s", who, ga.Workspace, ga.Group, latencyReason(c, r.Latency)))
		}
		if !c.RunsIn(r.Locations) {
			out = append(out, RuleLocationUnsupported.New(ga.Path, r.ArgPos("locations"),
				"%s cannot serve dataset group %s.%s: it %s", who, ga.Workspace, ga.Group, locationReason(c, r.Locations)))
		}
	}
	stores := map[string]bool{}
	workspaces := map[string]bool{}
	for _, n := range p.Nodes {
		switch n.Kind {
		case KindIngest:
			if stores[n.Store] || c.SupportsCapture(n.Capture) {
				continue
			}
			stores[n.Store] = true
			s := n.Model.Store
			pos := s.Store.Pos
			if s.Store.Capture != nil {
				pos = s.Store.Capture.Pos
			}
			out = append(out, RuleCaptureUnsupported.New(s.Path(), pos, "%s: %s", who, captureReason(c, n.Store, n.Capture)))
		case KindExport:
			w := n.Model.Workspace
			k := containerKind(w.Workspace)
			if workspaces[n.Workspace] || c.SupportsContainer(k) {
				continue
			}
			workspaces[n.Workspace] = true
			out = append(out, RuleContainerUnsupported.New(w.Path(), w.Workspace.Container.Pos, "%s: %s", who, containerReason(c, n.Workspace, k)))
		}
	}
	out.Sort()
	return out
}
