package graph

import (
	"slices"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// cycleDiagnostics reports each cycle of a pipeline at the sink that closes
// it: the export into a transformer's own workspace of data that transformer
// (or one it feeds) produces.
func cycleDiagnostics(p *Pipeline) ecosystem.Diagnostics {
	var out ecosystem.Diagnostics
	for _, c := range p.Cycles() {
		if len(c) < 2 {
			continue
		}
		path := rotateToTransform(c)
		var closing, transform *Node
		for i := 1; i < len(path); i++ {
			if n := p.Node(path[i]); n.Kind == KindTransform {
				closing, transform = p.Node(path[i-1]), n
				break
			}
		}
		if transform == nil {
			continue // the builder only closes loops through transformers
		}
		var workspaces []string
		for _, id := range path[:len(path)-1] {
			if n := p.Node(id); n.Kind == KindTransform {
				workspaces = append(workspaces, n.Workspace)
			}
		}
		why := "the transformer of workspace " + transform.Workspace + " consumes data it produces itself"
		if len(workspaces) > 1 {
			why = "the transformers of workspaces " + strings.Join(workspaces, ", ") + " feed each other in a loop"
		}
		d := RuleCycle.New(closing.Path, closing.Pos, "pipeline cycle %s: %s", strings.Join(path, " -> "), why)
		d.Related = []ecosystem.Related{{Pos: transform.Pos, Message: "transformer " + transform.Transformer + " of workspace " + transform.Workspace + " is declared here"}}
		out = append(out, d)
	}
	return out
}

// rotateToTransform rotates a closed cycle (first ID repeated at the end)
// so that it starts and ends at its smallest transform node, which reads as
// "this transformer feeds itself through ...".
func rotateToTransform(c []string) []string {
	open := c[:len(c)-1]
	start := -1
	for i, id := range open {
		if strings.HasPrefix(id, "transform:") && (start < 0 || id < open[start]) {
			start = i
		}
	}
	if start < 0 {
		return c
	}
	out := append(slices.Clone(open[start:]), open[:start]...)
	return append(out, open[start])
}
