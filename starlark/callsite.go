package starlark

import (
	"bytes"
	"slices"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"go.starlark.net/syntax"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// fileSites is the call-site table of one file: for every call expression,
// where the call and each of its arguments are. It is built once when the
// file is parsed and shared, read-only apart from the memoised sources, by
// every execution of the file. Sites and arguments live in two flat slices,
// so a file's table costs a handful of allocations however many calls it has.
type fileSites struct {
	name string
	// keys are the positions of the calls' opening parentheses (see
	// siteKey), sorted; sites[i] is the call at keys[i].
	keys  []uint64
	sites []callSite
	args  []siteArg
	// argPos[i] is where the value of args[i] starts, as the Source of
	// an object records it: the positions of a call's arguments are a
	// slice of it, shared by the objects the call builds.
	argPos []ecosystem.Pos
}

// callSite is one call expression. The interpreter reports a running call by
// the position of its opening parenthesis, which is the table's key; the
// site itself points at the start of the call (the callee's name).
type callSite struct {
	line, col          int32
	argStart, argLimit int32 // the call's arguments are args[argStart:argLimit]

	// The Source of objects built here, for the builtin spec: objects built
	// by one site (in a loop, say) share its argument table. state moves
	// from siteEmpty to siteBuilding (one writer) to siteReady, after
	// which spec and src never change.
	state atomic.Uint32
	spec  *builtinSpec
	src   ecosystem.Source
}

const (
	siteEmpty uint32 = iota
	siteBuilding
	siteReady
)

// siteArg is one argument of a call expression.
type siteArg struct {
	// name is the keyword, "" for a positional argument, "*" or "**" for
	// an unpacked sequence or dict.
	name      string
	line, col int32
	// quote is the length of the opening quote when the argument is a
	// string literal on one line without escapes, so that an offset in its
	// value maps to a column; 0 otherwise.
	quote int8
}

func (a *siteArg) pos(file string) ecosystem.Pos {
	return ecosystem.Pos{File: file, Line: int(a.line), Col: int(a.col)}
}

func siteKey(line, col int32) uint64 { return uint64(uint32(line))<<32 | uint64(uint32(col)) }

// lookup returns the call whose opening parenthesis is at line:col, or nil.
func (fs *fileSites) lookup(line, col int32) *callSite {
	if i, ok := slices.BinarySearch(fs.keys, siteKey(line, col)); ok {
		return &fs.sites[i]
	}
	return nil
}

// argsOf returns the arguments of a site.
func (fs *fileSites) argsOf(s *callSite) []siteArg { return fs.args[s.argStart:s.argLimit] }

// buildSites walks a parsed file and records every call expression. src
// sizes the tables: a file has at most as many calls as '(' bytes, and
// arguments as ',' bytes plus calls, so one walk fills pre-sized slices.
func buildSites(f *syntax.File, src []byte) *fileSites {
	calls := bytes.Count(src, []byte{'('})
	nargs := calls + bytes.Count(src, []byte{','})
	fs := &fileSites{
		name:   f.Path,
		keys:   make([]uint64, 0, calls),
		sites:  make([]callSite, 0, calls),
		args:   make([]siteArg, 0, nargs),
		argPos: make([]ecosystem.Pos, 0, nargs),
	}
	syntax.Walk(f, func(n syntax.Node) bool {
		ce, ok := n.(*syntax.CallExpr)
		if !ok {
			return true
		}
		start := startOf(ce.Fn)
		fs.keys = append(fs.keys, siteKey(ce.Lparen.Line, ce.Lparen.Col))
		fs.sites = append(fs.sites, callSite{line: start.Line, col: start.Col,
			argStart: int32(len(fs.args)), argLimit: int32(len(fs.args) + len(ce.Args))})
		for _, a := range ce.Args {
			sa, p := describeArg(a)
			fs.args = append(fs.args, sa)
			fs.argPos = append(fs.argPos, ecosystem.Pos{File: fs.name, Line: int(p.Line), Col: int(p.Col)})
		}
		return true
	})
	// The walk visits a call before the calls in its arguments, which all
	// come after its parenthesis, so the keys are already sorted; sort
	// anyway if a future walk order breaks that.
	if !slices.IsSorted(fs.keys) {
		idx := make([]int, len(fs.keys))
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(a, b int) int { return compareKeys(fs.keys[a], fs.keys[b]) })
		keys := make([]uint64, len(idx))
		sites := make([]callSite, len(idx))
		for i, j := range idx {
			keys[i] = fs.keys[j]
			sites[i] = callSite{line: fs.sites[j].line, col: fs.sites[j].col,
				argStart: fs.sites[j].argStart, argLimit: fs.sites[j].argLimit}
		}
		fs.keys, fs.sites = keys, sites
	}
	return fs
}

// describeArg returns the table entry of one argument of a call, and where
// its value starts.
func describeArg(a syntax.Expr) (siteArg, syntax.Position) {
	var sa siteArg
	val := a
	switch x := a.(type) {
	case *syntax.BinaryExpr:
		if x.Op == syntax.EQ {
			if id, ok := x.X.(*syntax.Ident); ok {
				sa.name = id.Name
				val = x.Y
			}
		}
	case *syntax.UnaryExpr:
		switch x.Op {
		case syntax.STAR:
			sa.name = "*"
		case syntax.STARSTAR:
			sa.name = "**"
		}
	}
	p := startOf(val)
	sa.line, sa.col = p.Line, p.Col
	sa.quote = plainQuote(val)
	return sa, p
}

// startOf returns where an expression starts. It reads the common leaves
// directly: syntax.Start computes the whole span, end included.
func startOf(e syntax.Expr) syntax.Position {
	switch x := e.(type) {
	case *syntax.Ident:
		return x.NamePos
	case *syntax.Literal:
		return x.TokenPos
	case *syntax.CallExpr:
		return startOf(x.Fn)
	case *syntax.DotExpr:
		return startOf(x.X)
	}
	return syntax.Start(e)
}

func compareKeys(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// plainQuote returns the length of the opening quote of a string literal
// whose source text is its value between quotes (no prefix, escapes or line
// breaks), else 0.
func plainQuote(e syntax.Expr) int8 {
	lit, ok := e.(*syntax.Literal)
	if !ok || lit.Token != syntax.STRING {
		return 0
	}
	raw := lit.Raw
	if strings.ContainsAny(raw, "\\\n") || !(strings.HasPrefix(raw, `"`) || strings.HasPrefix(raw, `'`)) {
		return 0
	}
	if strings.HasPrefix(raw, `"""`) || strings.HasPrefix(raw, `'''`) {
		return 3
	}
	return 1
}

// source returns the Source of an object built by spec at site s of this
// file, building the argument table on first use. Positional arguments are
// named by the parameters they bind to; arguments after *args or in
// **kwargs have no position of their own.
func (st *threadState) source(fs *fileSites, s *callSite, spec *builtinSpec) ecosystem.Source {
	if s.state.Load() == siteReady && s.spec == spec {
		return s.src
	}
	args := fs.argsOf(s)
	var key namesKey
	key.spec = spec
	n := 0
	positional, unpacked := 0, false
	for i := range args {
		a := &args[i]
		idx := -1
		switch a.name {
		case "*", "**":
			unpacked = true
		case "":
			if !unpacked && positional < len(spec.params) {
				idx = positional
			}
			positional++
		default:
			idx = spec.index(a.name)
		}
		if idx >= 0 && n < maxParams {
			key.params[n] = int8(idx) + 1
			n++
		}
	}
	names := st.names[key]
	if names == nil {
		names = make([]string, n)
		for i := range n {
			names[i] = spec.params[key.params[i]-1].Name
		}
		st.names[key] = names
	}
	var pos []ecosystem.Pos
	if n == len(args) {
		// Every argument binds a parameter, in order: the common case,
		// which needs no table of its own.
		pos = fs.argPos[s.argStart:s.argLimit:s.argLimit]
	} else {
		pos = argPositions(fs, args, spec, n)
	}
	src := ecosystem.Source{
		Pos:  ecosystem.Pos{File: fs.name, Line: int(s.line), Col: int(s.col)},
		Args: ecosystem.NewArgPositions(names, pos[:len(names)]),
	}
	if s.state.CompareAndSwap(siteEmpty, siteBuilding) {
		s.spec, s.src = spec, src
		s.state.Store(siteReady)
	}
	return src
}

// argPositions returns the positions of the arguments of a call that bind
// parameters, in order, when some do not (unknown keywords, *args, **kwargs).
func argPositions(fs *fileSites, args []siteArg, spec *builtinSpec, n int) []ecosystem.Pos {
	pos := make([]ecosystem.Pos, 0, n)
	positional, unpacked := 0, false
	for i := range args {
		a := &args[i]
		switch a.name {
		case "*", "**":
			unpacked = true
		case "":
			if !unpacked && positional < len(spec.params) {
				pos = append(pos, a.pos(fs.name))
			}
			positional++
		default:
			if spec.index(a.name) >= 0 {
				pos = append(pos, a.pos(fs.name))
			}
		}
	}
	return pos
}

// namesKey identifies the parameter names of a call's arguments, in order
// (each a parameter index plus one), so that call sites with the same
// arguments share one names slice.
type namesKey struct {
	spec   *builtinSpec
	params [maxParams]int8
}

// literalOffsetPos returns the position of byte offset off inside value, the
// string passed for parameter p, when the argument is a plain string literal;
// otherwise the argument's position.
func (c *call) literalOffsetPos(p param, value string, off int) ecosystem.Pos {
	pos := c.argPos(p)
	if c.site == nil || off < 0 || off > len(value) {
		return pos
	}
	for _, a := range c.file.argsOf(c.site) {
		if a.quote > 0 && int(a.line) == pos.Line && int(a.col) == pos.Col {
			pos.Col += int(a.quote) + utf8.RuneCountInString(value[:off])
			return pos
		}
	}
	return pos
}
