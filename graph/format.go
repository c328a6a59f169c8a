package graph

import (
	"fmt"
	"io"
	"strings"
)

// Format is an output format for pipelines.
type Format string

// The output formats.
const (
	FormatJSON    Format = "json"    // the versioned JSON document described at WriteJSON
	FormatDOT     Format = "dot"     // Graphviz, one digraph per pipeline
	FormatMermaid Format = "mermaid" // one Mermaid flowchart, a subgraph per pipeline
)

// Formats lists the output formats, for usage messages.
var Formats = []Format{FormatJSON, FormatDOT, FormatMermaid}

// ParseFormat parses a format name; the error lists the valid ones.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if strings.EqualFold(s, string(f)) {
			return f, nil
		}
	}
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return "", fmt.Errorf("unknown graph format %q: want %s", s, strings.Join(names, ", "))
}

// Write renders the pipelines in format f. The output depends only on the
// pipelines, so the same model always gives the same bytes.
func Write(w io.Writer, f Format, pipelines ...*Pipeline) error {
	switch f {
	case FormatJSON:
		return WriteJSON(w, pipelines...)
	case FormatDOT:
		return WriteDOT(w, pipelines...)
	case FormatMermaid:
		return WriteMermaid(w, pipelines...)
	}
	_, err := ParseFormat(string(f))
	return err
}
