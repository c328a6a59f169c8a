package governance

import (
	"fmt"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// policyHolder is a container that holds a zone's data, with what it is to
// the zone: the capture source of one of its stores (source set), or the
// container of a workspace that receives its data (consumer set). Its name
// and path are built only for a violation: most holders comply.
type policyHolder struct {
	container *ecosystem.Container
	source    ecosystem.StoreRef
	consumer  ecosystem.WorkspaceRef
}

// path returns the model path of the store or workspace.
func (h policyHolder) path() string {
	if h.source.Store != nil {
		return h.source.Path()
	}
	return h.consumer.Path()
}

// object names the holder in a message about zone z's policy:
// `datastore "Customers" source container "crm"`, or
// `workspace "Churn" of zone "EU" container "wsdb"`.
func (h policyHolder) object(z *ecosystem.Zone) string {
	if h.source.Store != nil {
		return fmt.Sprintf("datastore %q source %s", h.source.Store.Name, containerLabel(h.container))
	}
	return policyWorkspaceName(h.consumer, z) + " " + containerLabel(h.container)
}

// policyCarrier is a platform that carries a zone's data for one dataset
// group: the platform the group names, or one an explicit assignment (set)
// gives it.
type policyCarrier struct {
	platform   string
	ws         ecosystem.WorkspaceRef
	group      *ecosystem.DatasetGroup
	assignment *ecosystem.Assignment
}

// pos points at the platform argument of the group or the assignment.
func (c policyCarrier) pos() ecosystem.Pos {
	if c.assignment != nil {
		return c.assignment.ArgPos("platform")
	}
	return c.group.ArgPos("platform")
}

// path returns the group's model path.
func (c policyCarrier) path() string {
	return ecosystem.GroupPath(c.ws.Zone.Name, c.ws.Team.Name, c.ws.Workspace.Name, c.group.Name)
}

// object names the carrier in a message about zone z's policy:
// `workspace "Churn" group "live"`, with the assignment if any.
func (c policyCarrier) object(z *ecosystem.Zone) string {
	s := fmt.Sprintf("%s group %q", policyWorkspaceName(c.ws, z), c.group.Name)
	if c.assignment != nil {
		s += fmt.Sprintf(" (assignment, %s)", c.assignment.Status)
	}
	return s
}

// policyHolders is everywhere a zone's data goes.
type policyHolders struct {
	containers []policyHolder
	platforms  []policyCarrier
}

// groupAssignments finds the explicit assignments of a dataset group.
type groupAssignments map[[2]string][]*ecosystem.Assignment

func indexGroupAssignments(m *ecosystem.Ecosystem) groupAssignments {
	x := groupAssignments{}
	for _, a := range m.Assignments {
		k := [2]string{a.Workspace, a.Group}
		x[k] = append(x[k], a)
	}
	return x
}

// policyHoldersOf finds the containers and platforms that hold or carry
// zone z's data, in model order:
//
//   - the capture source of each of the zone's datastores;
//   - the container of every workspace, in any zone, that consumes one of
//     the zone's datasets directly or through transformers downstream
//     (m.Consumers), since each such workspace receives the data or data
//     derived from it;
//   - for each dataset group of those workspaces that sinks the zone's data
//     (or a transformer output derived from it), the platform the group
//     names and the platforms explicit assignments give it. A group that
//     only states requirements has no platform until the broker picks one,
//     and the broker filters its choice by these same policies.
//
// A transformer's output store has no container of its own (its platform
// holds it), so it contributes only through its consumers.
func policyHoldersOf(m *ecosystem.Ecosystem, z *ecosystem.Zone, assignments groupAssignments) policyHolders {
	var h policyHolders
	// carries holds the stores whose data is the zone's or derived from it.
	carries := map[string]bool{}
	users := newConsumerSet()
	for _, t := range z.Teams {
		for _, s := range t.Datastores {
			carries[s.Name] = true
			if s.Capture != nil && s.Capture.From != nil {
				h.containers = append(h.containers, policyHolder{
					container: s.Capture.From,
					source:    ecosystem.StoreRef{Zone: z, Team: t, Store: s},
				})
			}
			for _, d := range s.Datasets {
				users.add(m.Consumers(s.Name, d.Name)...)
			}
		}
	}
	consumers := users.sorted()
	for _, w := range consumers {
		if tr := w.Workspace.Transformer; tr != nil && tr.Output != "" {
			carries[tr.Output] = true
		}
	}
	for _, w := range consumers {
		ws := w.Workspace
		if ws.Container != nil {
			h.containers = append(h.containers, policyHolder{container: ws.Container, consumer: w})
		}
		for _, g := range ws.Groups {
			if !groupCarries(g, carries) {
				continue
			}
			if g.Platform != "" {
				h.platforms = append(h.platforms, policyCarrier{platform: g.Platform, ws: w, group: g})
			}
			for _, a := range assignments[[2]string{ws.Name, g.Name}] {
				h.platforms = append(h.platforms, policyCarrier{platform: a.Platform, ws: w, group: g, assignment: a})
			}
		}
	}
	return h
}

// groupCarries reports whether a dataset group sinks any of the given stores.
func groupCarries(g *ecosystem.DatasetGroup, stores map[string]bool) bool {
	for _, s := range g.Sinks {
		if stores[s.Store] {
			return true
		}
	}
	return false
}

// policyWorkspaceName names a workspace in a message, with its zone when
// that is not the zone whose policy is checked (a consumer in another zone).
func policyWorkspaceName(w ecosystem.WorkspaceRef, policyZone *ecosystem.Zone) string {
	if w.Zone != policyZone {
		return fmt.Sprintf("workspace %q of zone %q", w.Workspace.Name, w.Zone.Name)
	}
	return fmt.Sprintf("workspace %q", w.Workspace.Name)
}

// containerLabel names a container in a message: `container "wsdb"`, or
// "platform-managed container" for storage the platform manages (which has
// no name of its own).
func containerLabel(c *ecosystem.Container) string {
	if c.Kind == ecosystem.PlatformManagedContainer && c.Name == "" {
		return "platform-managed container"
	}
	return fmt.Sprintf("container %q", c.Name)
}
