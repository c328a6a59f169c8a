package ecosystem

import (
	"fmt"
)

// Pos is a position in a model source file. Line and Col are 1-based; a zero
// Pos means "no position" (for example an object built from Go code).
type Pos struct {
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	Col  int    `json:"col,omitempty"`
}

// IsValid reports whether p names a place in a file.
func (p Pos) IsValid() bool { return p.File != "" && p.Line > 0 }

// String formats p as file:line:col, the form editors and CI annotations understand.
func (p Pos) String() string {
	switch {
	case !p.IsValid():
		return "-"
	case p.Col > 0:
		return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
	default:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
}

// Compare orders positions by file, line and column.
func (p Pos) Compare(q Pos) int {
	switch {
	case p.File != q.File:
		if p.File < q.File {
			return -1
		}
		return 1
	case p.Line != q.Line:
		return p.Line - q.Line
	default:
		return p.Col - q.Col
	}
}

// Source records where an object was made: the position of the constructor
// call and, for each argument given, the position of its value, so that a
// diagnostic about one argument can point at that argument.
type Source struct {
	// Pos is the position of the call; in JSON it is the object's "pos",
	// left out for objects built from Go without positions.
	Pos Pos `json:"pos,omitzero"`
	// Args holds the argument positions of the call. Objects built by the same
	// call site (in a loop, say) share one table, so it costs nothing per object.
	Args *ArgPositions `json:"-"`
}

// ArgPos returns the position of the named argument, or the call position when
// the argument was not given or its position is unknown.
func (s Source) ArgPos(name string) Pos {
	if p, ok := s.Args.Lookup(name); ok {
		return p
	}
	return s.Pos
}

// ArgPositions maps the parameter names of one call to the positions of the
// argument values. It is immutable once built.
type ArgPositions struct {
	names []string
	pos   []Pos
}

// NewArgPositions builds a table from parallel slices of names and positions.
func NewArgPositions(names []string, pos []Pos) *ArgPositions {
	return &ArgPositions{names: names, pos: pos}
}

// Lookup returns the position of the named argument. A nil table knows none.
func (a *ArgPositions) Lookup(name string) (Pos, bool) {
	if a == nil {
		return Pos{}, false
	}
	for i, n := range a.names {
		if n == name && a.pos[i].IsValid() {
			return a.pos[i], true
		}
	}
	return Pos{}, false
}

// Meta is the documentation and tags every object of the model may carry.
type Meta struct {
	Doc  string            `json:"doc,omitempty"`
	Tags map[string]string `json:"tags,omitempty"`
}
