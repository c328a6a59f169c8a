package graph

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// Plan lists what changes in each platform's pipeline between two models,
// like a Terraform plan: nodes added, removed and changed (an attribute such
// as the priority, a trigger or a capture kind differs), and edges added and
// removed. Positions are not compared, so moving a declaration to another
// file changes nothing.
type Plan struct {
	Version int `json:"version"`
	// Platforms holds the platforms whose pipeline changes, sorted by name.
	Platforms []PlatformPlan `json:"platforms"`
}

// PlanVersion is the version of the plan's JSON shape.
const PlanVersion = 1

// PlatformPlan is the change to one platform's pipeline.
type PlatformPlan struct {
	Platform string `json:"platform"`
	// Change is "added" or "removed" when the platform itself appears or
	// disappears, else "changed".
	Change       string       `json:"change"`
	Added        []*Node      `json:"added,omitempty"`
	Removed      []*Node      `json:"removed,omitempty"`
	Changed      []NodeChange `json:"changed,omitempty"`
	EdgesAdded   []Edge       `json:"edges_added,omitempty"`
	EdgesRemoved []Edge       `json:"edges_removed,omitempty"`
}

// NodeChange is a node present in both models whose attributes differ.
type NodeChange struct {
	ID      string       `json:"id"`
	Kind    NodeKind     `json:"kind"`
	Changes []AttrChange `json:"changes"`
}

// AttrChange is one attribute that differs; an empty Old or New means the
// attribute is unset on that side.
type AttrChange struct {
	Name string `json:"name"`
	Old  string `json:"old"`
	New  string `json:"new"`
}

// Diff compares the pipelines of a base and a head model (each as Build
// returns them) platform by platform. Platforms whose pipeline is identical
// are left out, so an empty plan means nothing changes.
func Diff(base, head []*Pipeline) *Plan {
	plan := &Plan{Version: PlanVersion, Platforms: []PlatformPlan{}}
	bm, hm := byPlatform(base), byPlatform(head)
	names := make([]string, 0, len(bm)+len(hm))
	for n := range bm {
		names = append(names, n)
	}
	for n := range hm {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, name := range slices.Compact(names) {
		b, h := bm[name], hm[name]
		pp := PlatformPlan{Platform: name, Change: "changed"}
		switch {
		case b == nil:
			pp.Change = "added"
			b = &Pipeline{}
		case h == nil:
			pp.Change = "removed"
			h = &Pipeline{}
		}
		diffPipelines(&pp, b, h)
		if pp.Change != "changed" || !pp.empty() {
			plan.Platforms = append(plan.Platforms, pp)
		}
	}
	return plan
}

func byPlatform(ps []*Pipeline) map[string]*Pipeline {
	out := make(map[string]*Pipeline, len(ps))
	for _, p := range ps {
		out[p.Platform] = p
	}
	return out
}

// diffPipelines merges the two sorted node and edge lists.
func diffPipelines(pp *PlatformPlan, b, h *Pipeline) {
	i, j := 0, 0
	for i < len(b.Nodes) || j < len(h.Nodes) {
		switch {
		case j == len(h.Nodes) || (i < len(b.Nodes) && b.Nodes[i].ID < h.Nodes[j].ID):
			pp.Removed = append(pp.Removed, b.Nodes[i])
			i++
		case i == len(b.Nodes) || h.Nodes[j].ID < b.Nodes[i].ID:
			pp.Added = append(pp.Added, h.Nodes[j])
			j++
		default:
			if ch := diffAttrs(b.Nodes[i], h.Nodes[j]); len(ch) > 0 {
				pp.Changed = append(pp.Changed, NodeChange{ID: h.Nodes[j].ID, Kind: h.Nodes[j].Kind, Changes: ch})
			}
			i++
			j++
		}
	}
	i, j = 0, 0
	for i < len(b.Edges) || j < len(h.Edges) {
		switch {
		case j == len(h.Edges) || (i < len(b.Edges) && b.Edges[i].Compare(h.Edges[j]) < 0):
			pp.EdgesRemoved = append(pp.EdgesRemoved, b.Edges[i])
			i++
		case i == len(b.Edges) || h.Edges[j].Compare(b.Edges[i]) < 0:
			pp.EdgesAdded = append(pp.EdgesAdded, h.Edges[j])
			j++
		default:
			i++
			j++
		}
	}
}

// diffAttrs compares two versions of a node attribute by attribute, in the
// order of Node.Attrs.
func diffAttrs(old, new *Node) []AttrChange {
	var out []AttrChange
	for _, a := range nodeAttrs {
		if o, n := a.get(old), a.get(new); o != n {
			out = append(out, AttrChange{Name: a.name, Old: o, New: n})
		}
	}
	return out
}

func (pp *PlatformPlan) empty() bool {
	return len(pp.Added)+len(pp.Removed)+len(pp.Changed)+len(pp.EdgesAdded)+len(pp.EdgesRemoved) == 0
}

// Empty reports whether no pipeline changes.
func (p *Plan) Empty() bool { return len(p.Platforms) == 0 }

// WriteJSON writes the plan as indented JSON.
func (p *Plan) WriteJSON(w io.Writer) error { return writeIndented(w, p) }

// WriteText writes the plan for people, Terraform style: per platform, "+"
// for an added node or edge, "-" for a removed one, "~" for a changed node
// with its attributes old -> new, then a summary line.
func (p *Plan) WriteText(w io.Writer) error {
	b := newTextOut(w)
	if p.Empty() {
		b.WriteString("No changes: every platform's pipeline is unchanged.\n")
		return b.Flush()
	}
	var add, change, remove, eadd, eremove int
	for _, pp := range p.Platforms {
		fmt.Fprintf(b, "platform %s", pp.Platform)
		if pp.Change != "changed" {
			fmt.Fprintf(b, " (%s)", pp.Change)
		}
		b.WriteString(":\n")
		for _, n := range pp.Added {
			fmt.Fprintf(b, "  + %s (%s)\n", n.ID, attrsText(n.Attrs()))
		}
		for _, c := range pp.Changed {
			fmt.Fprintf(b, "  ~ %s\n", c.ID)
			for _, a := range c.Changes {
				fmt.Fprintf(b, "      %s: %s -> %s\n", a.Name, orUnset(a.Old), orUnset(a.New))
			}
		}
		for _, n := range pp.Removed {
			fmt.Fprintf(b, "  - %s\n", n.ID)
		}
		for _, e := range pp.EdgesAdded {
			fmt.Fprintf(b, "  + edge %s\n", e)
		}
		for _, e := range pp.EdgesRemoved {
			fmt.Fprintf(b, "  - edge %s\n", e)
		}
		add, change, remove = add+len(pp.Added), change+len(pp.Changed), remove+len(pp.Removed)
		eadd, eremove = eadd+len(pp.EdgesAdded), eremove+len(pp.EdgesRemoved)
	}
	fmt.Fprintf(b, "Plan: %d node(s) to add, %d to change, %d to remove; %d edge(s) to add, %d to remove.\n", add, change, remove, eadd, eremove)
	return b.Flush()
}

func attrsText(as []Attr) string {
	parts := make([]string, len(as))
	for i, a := range as {
		parts[i] = a.Name + " " + a.Value
	}
	return strings.Join(parts, ", ")
}

func orUnset(s string) string {
	if s == "" {
		return "(unset)"
	}
	return s
}
