package lint

import (
	"cmp"
	"slices"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// feed is an edge of the transformer graph: workspace to consumes, through
// sink, the datastore that workspace from's transformer writes.
type feed struct {
	from, to int
	store    string
	sink     *ecosystem.Sink
}

// checkCycles implements TRANSFORMER_CYCLE: a transformer must not consume
// its own output, directly or through other transformers, or no pipeline
// could ever run first. Each strongly connected group of transformers is
// reported once, with the shortest cycle through its first workspace by
// name, spelled out as "WS_A -> StoreA -> WS_B -> StoreB -> WS_A".
//
// The graph and Tarjan's algorithm are hand-written: the graph has one node
// per transformer workspace, and this package depends on the model only
// (graph libraries belong to the broker).
func checkCycles(p *pass, r *reporter) {
	producers := p.producers()
	var nodes []ecosystem.WorkspaceRef
	index := map[*ecosystem.Workspace]int{}
	for _, ws := range producers {
		for _, w := range ws {
			if _, ok := index[w.Workspace]; !ok {
				index[w.Workspace] = -1
			}
		}
	}
	if len(index) == 0 {
		return
	}
	for _, w := range p.workspaces { // model order, for determinism
		if _, ok := index[w.Workspace]; ok {
			index[w.Workspace] = len(nodes)
			nodes = append(nodes, w)
		}
	}
	out := make([][]feed, len(nodes))
	for to, w := range nodes {
		for _, g := range w.Workspace.Groups {
			for _, s := range g.Sinks {
				for _, v := range producers[s.Store] {
					from := index[v.Workspace]
					if !slices.ContainsFunc(out[from], func(f feed) bool { return f.to == to }) {
						out[from] = append(out[from], feed{from: from, to: to, store: s.Store, sink: s})
					}
				}
			}
		}
	}
	name := func(i int) string { return nodes[i].Workspace.Name }
	for i := range out {
		slices.SortFunc(out[i], func(a, b feed) int { return cmp.Compare(name(a.to), name(b.to)) })
	}

	for _, scc := range stronglyConnected(len(nodes), out) {
		if len(scc) == 1 && !slices.ContainsFunc(out[scc[0]], func(f feed) bool { return f.to == scc[0] }) {
			continue
		}
		start := slices.MinFunc(scc, func(a, b int) int { return cmp.Compare(name(a), name(b)) })
		cycle := shortestCycle(start, scc, out)
		var b strings.Builder
		b.WriteString(name(start))
		var rel []ecosystem.Related
		for _, f := range cycle {
			b.WriteString(" -> " + f.store + " -> " + name(f.to))
			rel = related(rel, f.sink.Pos, "workspace "+quote(name(f.to))+" consumes "+quote(f.store)+" here")
		}
		w := nodes[start]
		d := r.diag(w.Path(), w.Workspace.Transformer.ArgPos("output"), "transformer cycle: %s", b.String())
		d.Hint = "break the cycle: a transformer must not consume, directly or through other transformers, the datastore it writes"
		d.Related = rel
		r.add(d)
	}
}

// stronglyConnected returns the strongly connected components of the graph
// (Tarjan's algorithm), each a list of node indexes.
func stronglyConnected(n int, out [][]feed) [][]int {
	indexOf := make([]int, n)
	low := make([]int, n)
	onStack := make([]bool, n)
	for i := range indexOf {
		indexOf[i] = -1
	}
	var stack []int
	var comps [][]int
	next := 0
	var visit func(v int)
	visit = func(v int) {
		indexOf[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		for _, f := range out[v] {
			switch {
			case indexOf[f.to] < 0:
				visit(f.to)
				low[v] = min(low[v], low[f.to])
			case onStack[f.to]:
				low[v] = min(low[v], indexOf[f.to])
			}
		}
		if low[v] != indexOf[v] {
			return
		}
		var comp []int
		for {
			w := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			onStack[w] = false
			comp = append(comp, w)
			if w == v {
				break
			}
		}
		comps = append(comps, comp)
	}
	for v := 0; v < n; v++ {
		if indexOf[v] < 0 {
			visit(v)
		}
	}
	return comps
}

// shortestCycle returns the edges of a shortest cycle from start back to
// start inside the component (breadth-first, successors in name order).
func shortestCycle(start int, comp []int, out [][]feed) []feed {
	in := map[int]bool{}
	for _, v := range comp {
		in[v] = true
	}
	via := map[int]feed{} // node -> edge it was first reached by
	queue := []int{start}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, f := range out[v] {
			if !in[f.to] {
				continue
			}
			if f.to == start {
				path := []feed{f}
				for u := v; u != start; u = via[u].from {
					path = append(path, via[u])
				}
				slices.Reverse(path)
				return path
			}
			if _, seen := via[f.to]; !seen {
				via[f.to] = f
				queue = append(queue, f.to)
			}
		}
	}
	return nil // unreachable: start lies on a cycle of its component
}
