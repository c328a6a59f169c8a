package ecosystem

import (
	"fmt"
	"sync"
)

// Repo identifies the git repository and branch that owns a part of the model.
// Identity is exact: another branch or another letter case is another repository.
type Repo struct {
	Name   string `json:"name"`
	Branch string `json:"branch"`
	Source
}

// DefaultBranch is the branch assumed when a repository is declared without one.
const DefaultBranch = "main"

// String formats the repository as name@branch, the form `dsl check --source` takes.
func (r Repo) String() string { return r.Name + "@" + r.Branch }

// Same reports whether r and o are the same repository and branch.
func (r Repo) Same(o Repo) bool { return r.Name == o.Name && r.Branch == o.Branch }

// IsZero reports whether no repository is set.
func (r Repo) IsZero() bool { return r.Name == "" && r.Branch == "" }

// ParseRepo parses name@branch; a missing branch means DefaultBranch. A
// malformed name or branch (see ValidateRepo) is an error, since it could
// never be the identity of a repository that owns a part of the model.
func ParseRepo(s string) (Repo, error) {
	name, branch := s, DefaultBranch
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '@' {
			name, branch = s[:i], s[i+1:]
			break
		}
	}
	if name == "" || branch == "" {
		return Repo{}, fmt.Errorf("repository %q: want NAME@BRANCH, for example github.com/acme/eco@main", s)
	}
	r := Repo{Name: name, Branch: branch}
	if err := ValidateRepo(r); err != nil {
		return Repo{}, fmt.Errorf("repository %q is malformed: %v; want NAME@BRANCH, for example github.com/acme/eco@main", s, err)
	}
	return r, nil
}

// CompatibilityMode says which direction of change a dataset's schema must
// tolerate between the live model and a proposed one.
type CompatibilityMode string

// The compatibility modes. An empty mode inherits: a dataset inherits the
// ecosystem's mode, and the ecosystem defaults to Full.
const (
	Backward CompatibilityMode = "BACKWARD" // new readers can read old data: widening only
	Forward  CompatibilityMode = "FORWARD"  // old readers can read new data: narrowing only
	Full     CompatibilityMode = "FULL"     // both, except that widening is allowed (the documented intent)
	NoCheck  CompatibilityMode = "NONE"     // no compatibility check
)

// Ecosystem is the root of the model. The ecosystem repository owns the top
// level: the name, the repositories, vendors and locations, platforms,
// assignments, and each zone's name and repository.
type Ecosystem struct {
	Name          string            `json:"name"`
	Repo          Repo              `json:"repo"`
	LiveRepo      Repo              `json:"live_repo"`
	Compatibility CompatibilityMode `json:"compatibility,omitempty"`
	Vendors       []*Vendor         `json:"vendors,omitempty"`
	Platforms     []*Platform       `json:"platforms,omitempty"`
	Assignments   []*Assignment     `json:"assignments,omitempty"`
	Zones         []*Zone           `json:"zones,omitempty"`
	Waivers       []*Waiver         `json:"waivers,omitempty"`
	Meta
	Source

	once sync.Once
	idx  *index
}

// EffectiveCompatibility returns the ecosystem's compatibility mode, Full when unset.
func (e *Ecosystem) EffectiveCompatibility() CompatibilityMode {
	if e.Compatibility == "" {
		return Full
	}
	return e.Compatibility
}

// Vendor is an infrastructure vendor (a cloud or a private data centre) and the
// locations it offers.
type Vendor struct {
	Name string `json:"name"`
	// Cloud names the hard cloud vendor behind this vendor ("aws", "azure",
	// "gcp", "private", ...), which hard vendor policies match.
	Cloud     string      `json:"cloud,omitempty"`
	Locations []*Location `json:"locations,omitempty"`
	Meta
	Source
}

// Location is a place a vendor offers (a country, a region, a zone), nested to
// any depth. A location covers every location under it.
type Location struct {
	Name      string      `json:"name"`
	Locations []*Location `json:"locations,omitempty"`
	Meta
	Source
}

// Platform declares a data platform the ecosystem offers. Kind names a
// platform implementation registered by the host program; Options configure it.
type Platform struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
	// Options hold JSON-like values: string, int64, float64, bool, []any and
	// map[string]any (with string keys).
	Options map[string]any `json:"options,omitempty"`
	Meta
	Source
}

// AssignmentStatus says where an explicit assignment stands in a migration.
type AssignmentStatus string

// The assignment statuses.
const (
	AssignmentActive    AssignmentStatus = "active"    // the platform serves the group
	AssignmentMigrating AssignmentStatus = "migrating" // the platform is being brought up beside another
	AssignmentRetiring  AssignmentStatus = "retiring"  // the platform still serves the group but is being retired
)

// Assignment explicitly assigns a workspace's dataset group to a platform. A
// group may have several assignments during a migration.
type Assignment struct {
	Workspace string           `json:"workspace"`
	Group     string           `json:"group"`
	Platform  string           `json:"platform"`
	Status    AssignmentStatus `json:"status"`
	Meta
	Source
}
