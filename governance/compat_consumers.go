package governance

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// maxNamedConsumers caps how many consumers a message names; Related lists
// them all. A widely used dataset would otherwise make one line of a report
// thousands of characters long.
const maxNamedConsumers = 10

// consumerSet collects the workspaces that consume an object, once each,
// from one model or both (a removal's users are head's sinks that still name
// the object plus base's consumers).
type consumerSet struct {
	seen map[string]bool
	refs []ecosystem.WorkspaceRef
}

func newConsumerSet() *consumerSet { return &consumerSet{seen: map[string]bool{}} }

// add records workspaces not seen yet.
func (s *consumerSet) add(refs ...ecosystem.WorkspaceRef) {
	for _, r := range refs {
		if !s.seen[r.Workspace.Name] {
			s.seen[r.Workspace.Name] = true
			s.refs = append(s.refs, r)
		}
	}
}

func (s *consumerSet) empty() bool { return s == nil || len(s.refs) == 0 }

// sorted returns the workspaces ordered by name, for deterministic messages.
func (s *consumerSet) sorted() []ecosystem.WorkspaceRef {
	if s == nil {
		return nil
	}
	slices.SortFunc(s.refs, func(a, b ecosystem.WorkspaceRef) int { return cmp.Compare(a.Workspace.Name, b.Workspace.Name) })
	return s.refs
}

// names formats the workspace names as "A", "B", capped at maxNamedConsumers.
func (s *consumerSet) names() string {
	refs := s.sorted()
	n := min(len(refs), maxNamedConsumers)
	q := make([]string, n)
	for i, r := range refs[:n] {
		q[i] = fmt.Sprintf("%q", r.Workspace.Name)
	}
	out := strings.Join(q, ", ")
	if len(refs) > n {
		out += fmt.Sprintf(" and %d more", len(refs)-n)
	}
	return out
}

// phrase says who uses a removed object: `workspaces "A", "B" use it`.
func (s *consumerSet) phrase() string {
	if s.empty() {
		return "no workspace uses it"
	}
	if len(s.refs) == 1 {
		return "workspace " + s.names() + " uses it"
	}
	return "workspaces " + s.names() + " use it"
}

// suffix appends the consumers to a finding's message: `; consumed by "A"`.
func (s *consumerSet) suffix() string {
	if s.empty() {
		return "; no workspace consumes it"
	}
	return "; consumed by " + s.names()
}

// related lists each consumer's position, so a report can link to them.
func (s *consumerSet) related() []ecosystem.Related {
	refs := s.sorted()
	if len(refs) == 0 {
		return nil
	}
	out := make([]ecosystem.Related, len(refs))
	for i, r := range refs {
		out[i] = ecosystem.Related{Pos: r.Workspace.Pos, Message: fmt.Sprintf("consumed by workspace %q (%s)", r.Workspace.Name, r.Path())}
	}
	return out
}
