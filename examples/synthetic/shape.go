package synthetic

import (
	"fmt"
	"strings"
)

// Shape is the size of a synthetic model: Zones zones, Teams teams per zone,
// Stores datastores per team, Datasets datasets per store, Columns columns per
// dataset, Workspaces workspaces per team and Sinks sinks per workspace.
type Shape struct{ Zones, Teams, Stores, Datasets, Columns, Workspaces, Sinks int }

// The shapes of the table in docs/PERFORMANCE.md.
var (
	// Small has 100 datasets, 1,000 columns and 10 workspaces.
	Small = Shape{Zones: 1, Teams: 2, Stores: 5, Datasets: 10, Columns: 10, Workspaces: 5, Sinks: 5}
	// Medium has 2,000 datasets, 20,000 columns and 200 workspaces.
	Medium = Shape{Zones: 2, Teams: 10, Stores: 10, Datasets: 10, Columns: 10, Workspaces: 10, Sinks: 5}
	// Large has 10,000 datasets, 100,000 columns and 1,000 workspaces: the
	// shape the reference implementation's figures were measured on.
	Large = Shape{Zones: 4, Teams: 25, Stores: 10, Datasets: 10, Columns: 10, Workspaces: 10, Sinks: 5}
	// XLarge is ten times Large in data: 100,000 datasets and 1,000,000 columns.
	XLarge = Shape{Zones: 4, Teams: 25, Stores: 100, Datasets: 10, Columns: 10, Workspaces: 10, Sinks: 5}
)

// shapeNames lists the named shapes, smallest first.
var shapeNames = []struct {
	name  string
	shape *Shape
}{{"small", &Small}, {"medium", &Medium}, {"large", &Large}, {"xlarge", &XLarge}}

// ShapeByName returns the shape called name ("small", "medium", "large" or
// "xlarge", in any letter case).
func ShapeByName(name string) (Shape, bool) {
	for _, n := range shapeNames {
		if strings.EqualFold(n.name, name) {
			return *n.shape, true
		}
	}
	return Shape{}, false
}

// ShapeNames returns the names ShapeByName accepts, smallest shape first.
func ShapeNames() []string {
	out := make([]string, len(shapeNames))
	for i, n := range shapeNames {
		out[i] = n.name
	}
	return out
}

// MaxColumns bounds the total number of columns a shape may have. The whole
// model is built in memory (about 50 bytes of source per column), so the
// bound keeps a mistyped shape from exhausting memory; xlarge is 1,000,000.
const MaxColumns = 100_000_000

// TeamCount returns the number of teams in the model.
func (s Shape) TeamCount() int { return s.Zones * s.Teams }

// StoreCount returns the number of datastores in the Base variant.
func (s Shape) StoreCount() int { return s.TeamCount() * s.Stores }

// DatasetCount returns the number of datasets in the Base variant; sinks
// point at datasets numbered 0 to DatasetCount()-1.
func (s Shape) DatasetCount() int { return s.StoreCount() * s.Datasets }

// ColumnCount returns the number of columns in the Base variant.
func (s Shape) ColumnCount() int { return s.DatasetCount() * s.Columns }

// WorkspaceCount returns the number of workspaces in the model.
func (s Shape) WorkspaceCount() int { return s.TeamCount() * s.Workspaces }

// SinkCount returns the number of sinks in the model.
func (s Shape) SinkCount() int { return s.WorkspaceCount() * s.Sinks }

// String formats the shape as Z=.. T=.. S=.. D=.. C=.. W=.. K=.., the letters of docs/PERFORMANCE.md.
func (s Shape) String() string {
	return fmt.Sprintf("Z=%d T=%d S=%d D=%d C=%d W=%d K=%d",
		s.Zones, s.Teams, s.Stores, s.Datasets, s.Columns, s.Workspaces, s.Sinks)
}

// Validate reports why a shape cannot be generated, or nil. Zones, teams,
// stores, datasets and columns must be at least 1 (column 0 is the key);
// workspaces and sinks may be 0.
func (s Shape) Validate() error {
	for _, f := range []struct {
		letter, name string
		v, min       int
	}{
		{"Z", "Zones", s.Zones, 1},
		{"T", "Teams", s.Teams, 1},
		{"S", "Stores", s.Stores, 1},
		{"D", "Datasets", s.Datasets, 1},
		{"C", "Columns", s.Columns, 1},
		{"W", "Workspaces", s.Workspaces, 0},
		{"K", "Sinks", s.Sinks, 0},
	} {
		if f.v < f.min {
			return fmt.Errorf("synthetic shape %v: %s (%s) is %d, want at least %d", s, f.name, f.letter, f.v, f.min)
		}
		// Each factor is bounded first so that the products below cannot overflow.
		if f.v > MaxColumns {
			return fmt.Errorf("synthetic shape %v: %s (%s) is %d, want at most %d", s, f.name, f.letter, f.v, MaxColumns)
		}
	}
	total := 1
	for _, v := range []int{s.Zones, s.Teams, s.Stores, s.Datasets, s.Columns} {
		total *= v
		if total > MaxColumns {
			return fmt.Errorf("synthetic shape %v: more than %d columns in all; use smaller factors", s, MaxColumns)
		}
	}
	if s.Zones*s.Teams*s.Workspaces*s.Sinks > MaxColumns {
		return fmt.Errorf("synthetic shape %v: more than %d sinks in all; use fewer workspaces (W) or sinks (K)", s, MaxColumns)
	}
	return nil
}

// Variant selects the base model or one of the pull-request heads derived
// from it (see the package documentation).
type Variant int

// The variants.
const (
	// Base is the model as docs/PERFORMANCE.md describes it.
	Base Variant = iota
	// PullRequest is Base after a compatible change by team Z0_T0: a nullable
	// column pr_extra varchar(20) in every dataset of Z0_T0_S0 and a new
	// store Z0_T0_SPR.
	PullRequest
	// PullRequestIncompatible is PullRequest that also drops the last column
	// of Z0_T0_S0.ds0, which the compatibility check must refuse.
	PullRequestIncompatible
)

var variantNames = [...]string{Base: "base", PullRequest: "pr", PullRequestIncompatible: "pr-incompatible"}

// String returns the variant's name as ParseVariant accepts it.
func (v Variant) String() string {
	if v >= 0 && int(v) < len(variantNames) {
		return variantNames[v]
	}
	return fmt.Sprintf("variant(%d)", int(v))
}

// ParseVariant parses "base", "pr" or "pr-incompatible".
func ParseVariant(s string) (Variant, error) {
	for v, n := range variantNames {
		if strings.EqualFold(n, s) {
			return Variant(v), nil
		}
	}
	return 0, fmt.Errorf("unknown synthetic variant %q: want one of %s", s, strings.Join(variantNames[:], ", "))
}
