package graph

// propagatePriorities gives every node the highest priority of the nodes it
// feeds. Export and transform nodes start with their workspace's effective
// priority, so every node ends with the highest priority of the workspaces
// that depend on it, through shared ingestion nodes and transformer chains
// alike. A worklist rather than one pass in topological order keeps this
// correct on cyclic pipelines too (priorities only rise, and there are four,
// so it ends).
func propagatePriorities(p *Pipeline) {
	var work []int64
	for i, n := range p.Nodes {
		if n.Priority != 0 {
			work = append(work, int64(i))
		}
	}
	for len(work) > 0 {
		i := work[len(work)-1]
		work = work[:len(work)-1]
		pr := p.Nodes[i].Priority
		for _, j := range p.g.pred[i] {
			if p.Nodes[j].Priority < pr {
				p.Nodes[j].Priority = pr
				work = append(work, j)
			}
		}
	}
	for _, n := range p.Nodes {
		n.Priority = n.Priority.Effective()
	}
}
