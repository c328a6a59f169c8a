package graph

import (
	"cmp"
	"errors"
	"slices"

	gonum "gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/topo"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// Pipeline is the pipeline graph of one platform: every node needed to
// deliver the groups the platform serves, from their producers on. It is
// immutable once built.
type Pipeline struct {
	// Platform is the platform's name and Decl its declaration.
	Platform string
	Decl     *ecosystem.Platform
	// Groups are the groups the platform serves, sorted by workspace and group.
	Groups []*GroupAssignment
	// Nodes is sorted by ID, Edges by From then To.
	Nodes []*Node
	Edges []Edge

	byID   map[string]int
	g      *adjacency
	order  []*Node    // topological order, nil when the graph has a cycle
	cycles [][]string // one cycle per strongly connected component
}

// gnode is a pipeline node as gonum sees it: its int64 ID is the node's
// index in Pipeline.Nodes, which is sorted by string ID, so gonum's ordering
// by int64 ID is the string order and every traversal is deterministic.
type gnode struct {
	n  *Node
	id int64
}

// ID implements gonum's graph.Node.
func (g gnode) ID() int64 { return g.id }

// newPipeline sorts the nodes and edges, builds the gonum graph and its
// topological order.
func newPipeline(platform string, decl *ecosystem.Platform, groups []*GroupAssignment, nodes map[string]*Node, edges map[Edge]struct{}) *Pipeline {
	p := &Pipeline{Platform: platform, Decl: decl, Groups: groups, byID: make(map[string]int, len(nodes))}
	p.Nodes = make([]*Node, 0, len(nodes))
	for _, n := range nodes {
		p.Nodes = append(p.Nodes, n)
	}
	slices.SortFunc(p.Nodes, func(a, b *Node) int { return cmp.Compare(a.ID, b.ID) })
	gnodes := make([]gonum.Node, len(p.Nodes))
	for i, n := range p.Nodes {
		p.byID[n.ID] = i
		gnodes[i] = gnode{n, int64(i)}
	}
	p.Edges = make([]Edge, 0, len(edges))
	for e := range edges {
		p.Edges = append(p.Edges, e)
	}
	slices.SortFunc(p.Edges, Edge.Compare)
	pairs := make([][2]int64, len(p.Edges))
	for i, e := range p.Edges {
		pairs[i] = [2]int64{int64(p.byID[e.From]), int64(p.byID[e.To])}
	}
	p.g = newAdjacency(gnodes, pairs)
	sorted, err := topo.SortStabilized(p.g, nil)
	var cyclic topo.Unorderable
	if errors.As(err, &cyclic) {
		for _, scc := range cyclic {
			p.cycles = append(p.cycles, p.shortestCycle(scc))
		}
		slices.SortFunc(p.cycles, slices.Compare)
		return p
	}
	p.order = make([]*Node, len(sorted))
	for i, n := range sorted {
		p.order[i] = n.(gnode).n
	}
	return p
}

// Node returns the node with the given ID, or nil.
func (p *Pipeline) Node(id string) *Node {
	if i, ok := p.byID[id]; ok {
		return p.Nodes[i]
	}
	return nil
}

// Successors returns the nodes id feeds, sorted by ID.
func (p *Pipeline) Successors(id string) []*Node {
	i, ok := p.byID[id]
	if !ok {
		return nil
	}
	return p.indexed(p.g.succ[i])
}

// Predecessors returns the nodes that feed id, sorted by ID.
func (p *Pipeline) Predecessors(id string) []*Node {
	i, ok := p.byID[id]
	if !ok {
		return nil
	}
	return p.indexed(p.g.pred[i])
}

// indexed maps a sorted adjacency list to its nodes, which are then sorted
// by ID too.
func (p *Pipeline) indexed(ids []int64) []*Node {
	out := make([]*Node, len(ids))
	for i, j := range ids {
		out[i] = p.Nodes[j]
	}
	return out
}

// Order returns the nodes in a topological order (every node after the
// nodes that feed it; ties broken by ID), the order in which a platform runs
// them. It returns nil when the pipeline has a cycle (see Cycles).
func (p *Pipeline) Order() []*Node { return p.order }

// Cycles returns, for each group of nodes that feed each other, the node IDs
// of its shortest cycle through its smallest ID, that ID repeated at the end;
// nil when the pipeline is acyclic.
func (p *Pipeline) Cycles() [][]string { return p.cycles }

// Directed returns the pipeline as a read-only gonum directed graph, for
// gonum's algorithms. Its node IDs are indexes into Nodes; NodeOf maps them back.
func (p *Pipeline) Directed() gonum.Directed { return p.g }

// NodeOf returns the pipeline node behind a gonum node of Directed.
func (p *Pipeline) NodeOf(n gonum.Node) *Node {
	id := n.ID()
	if id < 0 || id >= int64(len(p.Nodes)) {
		return nil
	}
	return p.Nodes[id]
}

// EdgeStrings returns the edges as "from -> to" strings, sorted: a compact
// form for tests and logs.
func (p *Pipeline) EdgeStrings() []string {
	out := make([]string, len(p.Edges))
	for i, e := range p.Edges {
		out[i] = e.String()
	}
	return out
}

// NodeIDs returns the node IDs, sorted.
func (p *Pipeline) NodeIDs() []string {
	out := make([]string, len(p.Nodes))
	for i, n := range p.Nodes {
		out[i] = n.ID
	}
	return out
}

// shortestCycle finds the shortest cycle through the smallest node of a
// strongly connected component, by breadth-first search back to it within
// the component. gonum's topological sort reports the component; the path is
// what a user needs to see, and enumerating every cycle (Johnson) could take
// exponential time on a contrived model.
func (p *Pipeline) shortestCycle(scc []gonum.Node) []string {
	in := make(map[int64]bool, len(scc))
	start := scc[0].ID()
	for _, n := range scc {
		in[n.ID()] = true
		start = min(start, n.ID())
	}
	prev := map[int64]int64{}
	queue := []int64{start}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		for _, v := range p.Successors(p.Nodes[u].ID) {
			vid := int64(p.byID[v.ID])
			if !in[vid] {
				continue
			}
			if vid == start {
				var path []string
				for x := u; x != start; x = prev[x] {
					path = append(path, p.Nodes[x].ID)
				}
				path = append(path, p.Nodes[start].ID)
				slices.Reverse(path)
				return append(path, p.Nodes[start].ID)
			}
			if _, seen := prev[vid]; !seen {
				prev[vid] = u
				queue = append(queue, vid)
			}
		}
	}
	return nil // unreachable for a strongly connected component
}
