package graph

import (
	"bytes"
	"io"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/graph/encoding"
	"gonum.org/v1/gonum/graph/encoding/dot"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// WriteDOT writes each pipeline as a Graphviz digraph named after its
// platform, one after the other (`dot -Tsvg -O` writes one file per graph).
// Nodes are labelled with their ID and attributes and shaped by kind; edges
// run in the direction data flows. gonum's DOT encoder does the writing and
// quoting; nodes and edges come out sorted by ID.
func WriteDOT(w io.Writer, pipelines ...*Pipeline) error {
	var buf bytes.Buffer
	for i, p := range pipelines {
		if i > 0 {
			buf.WriteByte('\n')
		}
		b, err := dot.Marshal(dotGraph{p.g, p}, "", "", "  ")
		if err != nil {
			return err
		}
		buf.Write(b)
		buf.WriteByte('\n')
	}
	out := newTextOut(w)
	out.Write(buf.Bytes())
	return out.Flush()
}

// dotGraph adds the graph's name and default attributes to a pipeline's
// gonum graph.
type dotGraph struct {
	*adjacency
	p *Pipeline
}

// DOTID names the digraph after the platform.
func (g dotGraph) DOTID() string { return g.p.Platform }

// DOTAttributers lays the graph out left to right, labelled with the
// platform, its kind and its node count.
func (g dotGraph) DOTAttributers() (graphAttrs, nodeAttrs, edgeAttrs encoding.Attributer) {
	label := g.p.Platform
	if g.p.Decl != nil && g.p.Decl.Kind != "" {
		label += " (" + g.p.Decl.Kind + ")"
	}
	label += ": " + strconv.Itoa(len(g.p.Nodes)) + " nodes"
	return &encoding.Attributes{{Key: "rankdir", Value: "LR"}, {Key: "label", Value: label}},
		&encoding.Attributes{{Key: "fontname", Value: "Helvetica"}},
		nil
}

// DOTID is the node's stable ID.
func (g gnode) DOTID() string { return g.n.ID }

// Attributes gives the node its label, shape and a pen width that grows with
// its priority.
func (g gnode) Attributes() []encoding.Attribute {
	return []encoding.Attribute{
		{Key: "label", Value: nodeLabel(g.n, "\n")},
		{Key: "shape", Value: dotShapes[g.n.Kind]},
		{Key: "penwidth", Value: dotPenWidth[g.n.Priority]},
	}
}

var dotShapes = map[NodeKind]string{
	KindIngest:    "cylinder",
	KindExport:    "folder",
	KindTransform: "box",
	KindTrigger:   "ellipse",
}

var dotPenWidth = map[ecosystem.Priority]string{
	ecosystem.PriorityLow:      "1",
	ecosystem.PriorityNormal:   "1",
	ecosystem.PriorityHigh:     "2",
	ecosystem.PriorityCritical: "3",
}

// nodeLabel is the node's ID followed by its attributes, one per line,
// lines separated by sep.
func nodeLabel(n *Node, sep string) string {
	var b strings.Builder
	b.WriteString(n.ID)
	for _, a := range n.Attrs() {
		b.WriteString(sep)
		b.WriteString(a.Name)
		b.WriteString(": ")
		b.WriteString(a.Value)
	}
	return b.String()
}
