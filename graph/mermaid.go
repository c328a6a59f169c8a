package graph

import (
	"fmt"
	"io"
	"strings"
)

// WriteMermaid writes the pipelines as one Mermaid flowchart, left to right,
// with one subgraph per platform. Mermaid node IDs are positional (p0n3:
// pipeline 0, node 3 in ID order), since pipeline IDs contain characters
// Mermaid does not allow in IDs and the same node may appear on several
// platforms; labels show the real IDs and attributes. Mermaid has no
// library in Go worth a dependency for this, so it is written here.
func WriteMermaid(w io.Writer, pipelines ...*Pipeline) error {
	b := newTextOut(w)
	b.WriteString("flowchart LR\n")
	for pi, p := range pipelines {
		fmt.Fprintf(b, "  subgraph p%d[\"%s\"]\n", pi, mermaidText(p.Platform))
		for ni, n := range p.Nodes {
			open, close := mermaidShapes[n.Kind][0], mermaidShapes[n.Kind][1]
			fmt.Fprintf(b, "    p%dn%d%s\"%s\"%s\n", pi, ni, open, mermaidText(nodeLabel(n, "\n")), close)
		}
		for _, e := range p.Edges {
			fmt.Fprintf(b, "    p%dn%d --> p%dn%d\n", pi, p.byID[e.From], pi, p.byID[e.To])
		}
		b.WriteString("  end\n")
	}
	return b.Flush()
}

// mermaidShapes are the opening and closing brackets of each node kind's shape.
var mermaidShapes = map[NodeKind][2]string{
	KindIngest:    {"[(", ")]"},
	KindExport:    {"[/", "/]"},
	KindTransform: {"[", "]"},
	KindTrigger:   {"([", "])"},
}

// mermaidText escapes a label for a quoted Mermaid string: quotes and the
// characters Mermaid treats as markup become entity codes, newlines <br/>.
var mermaidText = strings.NewReplacer(
	`"`, "#quot;",
	"<", "#lt;",
	">", "#gt;",
	"\n", "<br/>",
).Replace
