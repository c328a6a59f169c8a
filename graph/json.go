package graph

import (
	"encoding/json"
	"io"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// JSONVersion is the version of the JSON document WriteJSON writes. It
// changes only when a field changes meaning or disappears; new fields may be
// added within a version.
const JSONVersion = 1

// jsonDocument is the JSON shape of a set of pipelines:
//
//	{"version": 1, "pipelines": [{
//	  "platform": "Legacy", "kind": "legacy",
//	  "groups": [{"workspace": "W", "group": "g", "basis": "named", "status": "active"}],
//	  "nodes": [{"id": "ingest:S", "kind": "ingest", "priority": "high", ...}],
//	  "edges": [{"from": "ingest:S", "to": "export:W.g:S.d"}],
//	  "cycles": [["transform:W", "...", "transform:W"]]}]}
//
// Nodes carry the fields of Node (empty ones left out); lists are sorted.
type jsonDocument struct {
	Version   int            `json:"version"`
	Pipelines []jsonPipeline `json:"pipelines"`
}

type jsonPipeline struct {
	Platform string      `json:"platform"`
	Kind     string      `json:"kind,omitempty"`
	Groups   []jsonGroup `json:"groups"`
	Nodes    []*Node     `json:"nodes"`
	Edges    []Edge      `json:"edges"`
	Cycles   [][]string  `json:"cycles,omitempty"`
}

type jsonGroup struct {
	Workspace string                     `json:"workspace"`
	Group     string                     `json:"group"`
	Basis     Basis                      `json:"basis"`
	Status    ecosystem.AssignmentStatus `json:"status"`
}

// WriteJSON writes the pipelines as one indented JSON document (see
// JSONVersion for its stability).
func WriteJSON(w io.Writer, pipelines ...*Pipeline) error {
	doc := jsonDocument{Version: JSONVersion, Pipelines: make([]jsonPipeline, len(pipelines))}
	for i, p := range pipelines {
		jp := jsonPipeline{Platform: p.Platform, Groups: []jsonGroup{}, Nodes: p.Nodes, Edges: p.Edges, Cycles: p.Cycles()}
		if p.Decl != nil {
			jp.Kind = p.Decl.Kind
		}
		if jp.Nodes == nil {
			jp.Nodes = []*Node{}
		}
		if jp.Edges == nil {
			jp.Edges = []Edge{}
		}
		for _, g := range p.Groups {
			s, _ := g.ServedBy(p.Platform)
			jp.Groups = append(jp.Groups, jsonGroup{g.Workspace, g.Group, g.Basis, s.Status})
		}
		doc.Pipelines[i] = jp
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
