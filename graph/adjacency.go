package graph

import (
	"slices"

	gonum "gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/iterator"
	"gonum.org/v1/gonum/graph/simple"
)

// adjacency is a pipeline's graph in the form gonum's algorithms and its
// DOT encoder read (gonum's graph.Directed), stored as adjacency lists.
// gonum's simple.DirectedGraph would do, but it keeps maps per node and
// builds an edge value per edge; with slices, building the pipelines of the
// xlarge synthetic model allocates a fraction as much. Node IDs are indexes
// into nodes; the lists are sorted, since the pipeline's edges are.
type adjacency struct {
	nodes      []gonum.Node
	succ, pred [][]int64
}

// newAdjacency builds the graph from nodes and edges given as index pairs,
// sorted by from, then to.
func newAdjacency(nodes []gonum.Node, edges [][2]int64) *adjacency {
	a := &adjacency{nodes: nodes, succ: make([][]int64, len(nodes)), pred: make([][]int64, len(nodes))}
	for _, e := range edges {
		a.succ[e[0]] = append(a.succ[e[0]], e[1])
		a.pred[e[1]] = append(a.pred[e[1]], e[0])
	}
	return a
}

func (a *adjacency) valid(id int64) bool { return id >= 0 && id < int64(len(a.nodes)) }

// Node returns the node with the given ID, or nil.
func (a *adjacency) Node(id int64) gonum.Node {
	if !a.valid(id) {
		return nil
	}
	return a.nodes[id]
}

// Nodes returns every node, in ID order. The iterator gets its own copy:
// gonum's algorithms sort the slice an iterator hands out in place.
func (a *adjacency) Nodes() gonum.Nodes { return iterator.NewOrderedNodes(slices.Clone(a.nodes)) }

// From returns the nodes id has edges to.
func (a *adjacency) From(id int64) gonum.Nodes { return a.list(a.succ, id) }

// To returns the nodes that have edges to id.
func (a *adjacency) To(id int64) gonum.Nodes { return a.list(a.pred, id) }

func (a *adjacency) list(adj [][]int64, id int64) gonum.Nodes {
	if !a.valid(id) || len(adj[id]) == 0 {
		return gonum.Empty
	}
	ns := make([]gonum.Node, len(adj[id]))
	for i, j := range adj[id] {
		ns[i] = a.nodes[j]
	}
	return iterator.NewOrderedNodes(ns)
}

// HasEdgeFromTo reports whether there is an edge from u to v.
func (a *adjacency) HasEdgeFromTo(u, v int64) bool {
	if !a.valid(u) {
		return false
	}
	_, found := slices.BinarySearch(a.succ[u], v)
	return found
}

// HasEdgeBetween reports whether there is an edge between x and y, either way.
func (a *adjacency) HasEdgeBetween(x, y int64) bool {
	return a.HasEdgeFromTo(x, y) || a.HasEdgeFromTo(y, x)
}

// Edge returns the edge from u to v, or nil.
func (a *adjacency) Edge(u, v int64) gonum.Edge {
	if !a.HasEdgeFromTo(u, v) {
		return nil
	}
	return simple.Edge{F: a.nodes[u], T: a.nodes[v]}
}
