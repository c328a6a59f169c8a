package graph

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// NodeKind is what a pipeline node does.
type NodeKind string

// The node kinds.
const (
	// KindIngest captures a whole store in one batch (ID "ingest:Store") or
	// one dataset (ID "ingest:Store.dataset"), from its source or from the
	// transformer that writes it.
	KindIngest NodeKind = "ingest"
	// KindExport delivers one dataset into the container of a workspace's
	// group (ID "export:Workspace.group:Store.dataset").
	KindExport NodeKind = "export"
	// KindTransform runs a workspace's transformer (ID "transform:Workspace").
	KindTransform NodeKind = "transform"
	// KindTrigger starts the node it points at (ID "trigger:" + that node's ID).
	KindTrigger NodeKind = "trigger"
)

// Node is one step of a pipeline. Fields that do not apply to a node's kind
// are empty. Every exported field except Model is part of the node's identity
// for plans and renderings; Model gives platform code the model objects.
type Node struct {
	ID   string   `json:"id"`
	Kind NodeKind `json:"kind"`
	// Priority is the highest effective priority of the workspaces that
	// depend on the node, directly or through later nodes.
	Priority ecosystem.Priority `json:"priority"`
	// Path is the model path of the object the node comes from (the store,
	// dataset, group or workspace) and Pos its source position, for
	// diagnostics about the node.
	Path string        `json:"path"`
	Pos  ecosystem.Pos `json:"pos"`

	// Store is the datastore an ingest node captures or an export node reads;
	// for a trigger, the store whose capture it starts.
	Store string `json:"store,omitempty"`
	// Datasets are the datasets an ingest node captures, sorted.
	Datasets []string `json:"datasets,omitempty"`
	// Capture and Ingestion say how an ingest node captures its store.
	Capture   ecosystem.CaptureKind   `json:"capture,omitempty"`
	Ingestion ecosystem.IngestionMode `json:"ingestion,omitempty"`

	// Workspace is the workspace of an export or transform node, or the
	// workspace whose transformer a trigger starts.
	Workspace string `json:"workspace,omitempty"`
	// Group and Dataset are what an export node delivers.
	Group   string `json:"group,omitempty"`
	Dataset string `json:"dataset,omitempty"`
	// Container describes where an export node delivers: the container's
	// kind, then its name and engine when set.
	Container string `json:"container,omitempty"`
	// Status is the assignment status of the group an export node serves on
	// this platform; empty when the group is only pulled in (Upstream).
	Status ecosystem.AssignmentStatus `json:"status,omitempty"`
	// Upstream marks an export node of a transformer workspace whose groups
	// the platform does not serve but whose transformer feeds a group it does.
	Upstream bool `json:"upstream,omitempty"`

	// Transformer, Code and Output describe a transform node: the
	// transformer's name, its code reference (SQL text is shown by a
	// fingerprint, so a change shows in plans without the text) and the
	// store it writes.
	Transformer string `json:"transformer,omitempty"`
	Code        string `json:"code,omitempty"`
	Output      string `json:"output,omitempty"`

	// Trigger describes a trigger node: "cron SCHEDULE" or "external EVENT".
	Trigger string `json:"trigger,omitempty"`

	// Model holds the model objects behind the node.
	Model NodeModel `json:"-"`
}

// NodeModel gives platform code the model objects behind a node. Fields that
// do not apply to the node's kind are zero.
type NodeModel struct {
	// Store is the store of an ingest or export node, or of a capture trigger.
	Store ecosystem.StoreRef
	// Datasets are the datasets of an ingest node, in the order of Node.Datasets,
	// or the one dataset of an export node.
	Datasets []*ecosystem.Dataset
	// Workspace is the workspace of an export or transform node, or of a
	// transformer trigger.
	Workspace ecosystem.WorkspaceRef
	// Group and Sink are what an export node delivers.
	Group *ecosystem.DatasetGroup
	Sink  *ecosystem.Sink
	// Output is the store a transform node writes; zero when it does not
	// resolve (lint reports that).
	Output ecosystem.StoreRef
	// Trigger is the trigger of a trigger node.
	Trigger *ecosystem.Trigger
}

// Attr is one attribute of a node, as renderings and plans show it.
type Attr struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Attrs returns the node's attributes that are set, in a fixed order: the
// priority, then the kind-specific fields. Plans compare nodes by them, and
// DOT and Mermaid labels show them, so all three always agree.
func (n *Node) Attrs() []Attr {
	attrs := make([]Attr, 0, 8)
	for _, a := range nodeAttrs {
		if v := a.get(n); v != "" {
			attrs = append(attrs, Attr{a.name, v})
		}
	}
	return attrs
}

// nodeAttrs lists the attributes Attrs shows, in order.
var nodeAttrs = []struct {
	name string
	get  func(*Node) string
}{
	{"priority", func(n *Node) string { return n.Priority.String() }},
	{"store", func(n *Node) string { return n.Store }},
	{"datasets", func(n *Node) string { return strings.Join(n.Datasets, ", ") }},
	{"capture", func(n *Node) string { return string(n.Capture) }},
	{"ingestion", func(n *Node) string { return string(n.Ingestion) }},
	{"workspace", func(n *Node) string { return n.Workspace }},
	{"group", func(n *Node) string { return n.Group }},
	{"dataset", func(n *Node) string { return n.Dataset }},
	{"container", func(n *Node) string { return n.Container }},
	{"status", func(n *Node) string { return string(n.Status) }},
	{"upstream", func(n *Node) string {
		if n.Upstream {
			return "pulled in for a transformer"
		}
		return ""
	}},
	{"transformer", func(n *Node) string { return n.Transformer }},
	{"code", func(n *Node) string { return n.Code }},
	{"output", func(n *Node) string { return n.Output }},
	{"trigger", func(n *Node) string { return n.Trigger }},
}

// Edge is a dependency between two nodes: data (or a start signal, from a
// trigger) flows from From to To.
type Edge struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// String formats the edge as "from -> to".
func (e Edge) String() string { return e.From + " -> " + e.To }

// Compare orders edges by From, then To.
func (e Edge) Compare(f Edge) int {
	return cmp.Or(cmp.Compare(e.From, f.From), cmp.Compare(e.To, f.To))
}

// The node ID schemes. Store and workspace names are SQL identifiers (lint
// checks it), so "." and ":" never occur inside a name and IDs are unambiguous.

func ingestStoreID(store string) string            { return "ingest:" + store }
func ingestDatasetID(store, dataset string) string { return "ingest:" + store + "." + dataset }
func transformID(workspace string) string          { return "transform:" + workspace }
func triggerID(target string) string               { return "trigger:" + target }
func exportID(workspace, group, store, dataset string) string {
	return "export:" + workspace + "." + group + ":" + store + "." + dataset
}

// describeTrigger formats a trigger as "cron SCHEDULE" or "external EVENT".
func describeTrigger(t *ecosystem.Trigger) string {
	switch t.Kind {
	case ecosystem.CronTrigger:
		return "cron " + t.Cron
	case ecosystem.ExternalTrigger:
		return "external " + t.Event
	}
	return string(t.Kind)
}

// describeContainer formats a container as "kind name (engine)", leaving out
// what is not set.
func describeContainer(c *ecosystem.Container) string {
	if c == nil {
		return ""
	}
	s := string(c.Kind)
	if c.Name != "" {
		s += " " + c.Name
	}
	if c.Engine != "" {
		s += " (" + c.Engine + ")"
	}
	return s
}

// describeCode formats a code reference: "git REPO@BRANCH:PATH", "go FUNC",
// or "sql #FINGERPRINT" (the first 12 hex digits of the SQL's SHA-256).
func describeCode(c ecosystem.CodeRef) string {
	switch c.Kind {
	case "git":
		return "git " + c.Repo.String() + ":" + c.Path
	case "go":
		return "go " + c.Func
	case "sql":
		sum := sha256.Sum256([]byte(c.SQL))
		return "sql #" + hex.EncodeToString(sum[:6])
	}
	return c.Kind
}
