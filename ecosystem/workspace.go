package ecosystem

import "fmt"

// Priority is how important a workspace is; pipeline nodes take the highest
// priority of the workspaces that depend on them.
type Priority int

// The priorities, lowest first. The zero value means "not set" and counts as Normal.
const (
	PriorityLow Priority = iota + 1
	PriorityNormal
	PriorityHigh
	PriorityCritical
)

var priorityNames = map[Priority]string{PriorityLow: "low", PriorityNormal: "normal", PriorityHigh: "high", PriorityCritical: "critical"}

// String returns the priority's name.
func (p Priority) String() string {
	if n, ok := priorityNames[p.Effective()]; ok {
		return n
	}
	return fmt.Sprintf("priority(%d)", int(p))
}

// Effective returns p, or PriorityNormal when p is unset.
func (p Priority) Effective() Priority {
	if p == 0 {
		return PriorityNormal
	}
	return p
}

// ParsePriority parses a priority name.
func ParsePriority(s string) (Priority, bool) {
	for p, n := range priorityNames {
		if n == s {
			return p, true
		}
	}
	return 0, false
}

// MarshalText prints the priority by name.
func (p Priority) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// Workspace is a consumer's view of the ecosystem: the datasets it needs,
// grouped into dataset groups, delivered into a container. A workspace with a
// Transformer is a transformer's input.
type Workspace struct {
	Name        string          `json:"name"`
	Priority    Priority        `json:"priority"`
	Container   *Container      `json:"container,omitempty"`
	Groups      []*DatasetGroup `json:"groups,omitempty"`
	Transformer *Transformer    `json:"transformer,omitempty"`
	Deprecation *Deprecation    `json:"deprecation,omitempty"`
	Meta
	Source
}

// IsDeprecated reports whether the workspace is deprecated.
func (w *Workspace) IsDeprecated() bool { return w.Deprecation != nil && w.Deprecation.Deprecated }

// Group returns the named dataset group, or nil.
func (w *Workspace) Group(name string) *DatasetGroup {
	for _, g := range w.Groups {
		if g.Name == name {
			return g
		}
	}
	return nil
}

// DatasetGroup is a set of datasets a workspace needs with the same delivery
// requirements. It either names a platform or states requirements from which
// the broker picks one.
type DatasetGroup struct {
	Name         string        `json:"name"`
	Platform     string        `json:"platform,omitempty"`
	Requirements *Requirements `json:"requirements,omitempty"`
	Sinks        []*Sink       `json:"sinks"`
	Meta
	Source
}

// Sink names one dataset a group needs.
type Sink struct {
	Store   string `json:"store"`
	Dataset string `json:"dataset"`
	// AllowDeprecated accepts a deprecated store or dataset (a warning rather
	// than an error).
	AllowDeprecated bool `json:"allow_deprecated,omitempty"`
	Source
}

// String formats the sink as store.dataset.
func (s *Sink) String() string { return s.Store + "." + s.Dataset }

// Milestoning is how much history a consumer needs.
type Milestoning string

// The milestoning kinds.
const (
	Live     Milestoning = "live"     // the latest version of each record (SCD1)
	Forensic Milestoning = "forensic" // every version with when it was valid (SCD2)
)

// Latency is how fresh a consumer needs data, ordered from the most demanding.
type Latency int

// The latencies, most demanding first. The zero value means "any".
const (
	LatencySeconds Latency = iota + 1
	LatencyMinutes
	LatencyHours
	LatencyDays
)

var latencyNames = map[Latency]string{LatencySeconds: "seconds", LatencyMinutes: "minutes", LatencyHours: "hours", LatencyDays: "days"}

// String returns the latency's name, or "any".
func (l Latency) String() string {
	if n, ok := latencyNames[l]; ok {
		return n
	}
	return "any"
}

// ParseLatency parses a latency name.
func ParseLatency(s string) (Latency, bool) {
	for l, n := range latencyNames {
		if n == s {
			return l, true
		}
	}
	return 0, false
}

// MarshalText prints the latency by name.
func (l Latency) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// Requirements are a dataset group's delivery needs, matched against what
// each platform declares it supports.
type Requirements struct {
	Milestoning Milestoning `json:"milestoning,omitempty"`
	Latency     Latency     `json:"latency,omitempty"`
	// Locations, when set, are location keys the platform must run in.
	Locations []string `json:"locations,omitempty"`
	Source
}

// CodeRef points at a transformer's code: a path in a repository, SQL text,
// or the name of a Go function the host program registers.
type CodeRef struct {
	// Kind is "git", "sql" or "go".
	Kind string `json:"kind"`
	Repo Repo   `json:"repo,omitempty"`
	Path string `json:"path,omitempty"`
	SQL  string `json:"sql,omitempty"`
	Func string `json:"func,omitempty"`
	Source
}

// Transformer derives a datastore from the datasets its workspace consumes.
type Transformer struct {
	Name    string   `json:"name"`
	Code    CodeRef  `json:"code"`
	Trigger *Trigger `json:"trigger,omitempty"`
	// Output names the datastore the transformer writes; it must belong to
	// the same team and be captured as transformer output.
	Output string `json:"output"`
	Meta
	Source
}
