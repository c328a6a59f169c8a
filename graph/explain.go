package graph

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// Explain returns the decision for a workspace's dataset group, with every
// declared platform and why it was or was not chosen. The error names what
// does not exist and what does.
func (a *Assignments) Explain(workspace, group string) (*GroupAssignment, error) {
	if ga := a.Group(workspace, group); ga != nil {
		return ga, nil
	}
	w, ok := a.model.Workspace(workspace)
	if !ok {
		return nil, fmt.Errorf("explain: workspace %q does not exist", workspace)
	}
	return nil, fmt.Errorf("explain: workspace %s has no dataset group %q (it has %s)", workspace, group, groupNames(w.Workspace))
}

// WriteText writes the explanation for people: the group, its requirements,
// the zones whose policies apply, the decision, and one line per platform
// with what it lacks indented below.
func (g *GroupAssignment) WriteText(w io.Writer) error {
	b := newTextOut(w)
	fmt.Fprintf(b, "dataset group %s.%s (%s) at %s\n", g.Workspace, g.Group, g.Path, g.Pos)
	fmt.Fprintf(b, "  requirements: %s\n", describeRequirements(g.DatasetGroup.Requirements))
	fmt.Fprintf(b, "  consumes data of zones: %s\n", listOrNone(g.Zones))
	fmt.Fprintf(b, "  decided by: %s\n", basisText[g.Basis])
	if len(g.Served) == 0 {
		fmt.Fprintf(b, "  served by: no platform\n")
	} else {
		parts := make([]string, len(g.Served))
		for i, s := range g.Served {
			parts[i] = fmt.Sprintf("%s (%s)", s.Platform, s.Status)
		}
		fmt.Fprintf(b, "  served by: %s\n", strings.Join(parts, ", "))
	}
	width := 0
	for _, c := range g.Candidates {
		width = max(width, len(c.Platform))
	}
	if len(g.Candidates) > 0 {
		fmt.Fprintf(b, "  platforms:\n")
	}
	for _, c := range g.Candidates {
		mark := "not chosen"
		if c.Chosen {
			mark = "chosen"
		}
		fmt.Fprintf(b, "    %-*s  %-10s  %s\n", width, c.Platform, mark, c.Why)
		for _, u := range c.Unmet {
			fmt.Fprintf(b, "    %-*s  %-10s  - %s\n", width, "", "", u)
		}
	}
	return b.Flush()
}

// WriteJSON writes the explanation as an indented JSON object with the
// fields of GroupAssignment and its requirements.
func (g *GroupAssignment) WriteJSON(w io.Writer) error {
	type out struct {
		*GroupAssignment
		Requirements *ecosystem.Requirements `json:"requirements,omitempty"`
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out{g, g.DatasetGroup.Requirements})
}

var basisText = map[Basis]string{
	BasisAssignment:   "explicit assignment in the ecosystem",
	BasisNamed:        "the platform the group names",
	BasisRequirements: "requirements, among the platforms its zones allow",
}

// describeRequirements formats requirements as "milestoning live, latency
// minutes, locations AWS:USA", or "none".
func describeRequirements(r *ecosystem.Requirements) string {
	if r == nil {
		return "none"
	}
	var parts []string
	if r.Milestoning != "" {
		parts = append(parts, "milestoning "+string(r.Milestoning))
	}
	if r.Latency != 0 {
		parts = append(parts, "latency "+r.Latency.String())
	}
	if len(r.Locations) > 0 {
		parts = append(parts, "locations "+strings.Join(r.Locations, " or "))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}
