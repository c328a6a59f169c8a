package starlark

import (
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
// every execution of the file. Sites and arguments live in a few flat
// slices of exactly the right length, so a file's table costs a handful of
// allocations however many calls it has.
type fileSites struct {
	name string
	// keys are the positions of the calls' opening parentheses (see
	// siteKey), sorted; sites[i] is the call at keys[i].
	keys  []uint64
	sites []callSite
	args  []siteArg
	// keywords are the keyword argument names of the file (see siteArg).
	keywords []string
	// argPos[i] is where the value of args[i] starts, as the Source of
	// an object records it: when every argument of a call binds a
	// parameter, the call's argument positions are a slice of it, shared
	// by the objects the call builds.
	argPos []ecosystem.Pos
}

// callSite is one call expression. The interpreter reports a running call by
// the position of its opening parenthesis, which is the table's key; the
// site itself points at the start of the call (the callee's name).
type callSite struct {
	line, col          int32
	argStart, argLimit int32 // the call's arguments are args[argStart:argLimit]

	// The argument table of objects built here for the builtin spec, so
	// that objects built by one site (in a loop, say) share it. state
	// moves from siteEmpty to siteBuilding (one writer) to siteReady,
	// after which spec and args never change.
	state atomic.Uint32
	spec  *builtinSpec
	args  *ecosystem.ArgPositions
}

const (
	siteEmpty uint32 = iota
	siteBuilding
	siteReady
)

// siteArg is one argument of a call expression; its position is in argPos.
// It holds no pointer, so the garbage collector need not scan the table.
type siteArg struct {
	// kw is argPositional, argStar or argStarStar, or for a keyword
	// argument one more than the index of its name in keywords.
	kw int32
	// quote is the length of the opening quote when the argument is a
	// string literal on one line without escapes, so that an offset in its
	// value maps to a column; 0 otherwise.
	quote int8
}

const (
	argPositional = 0
	argStar       = -1 // *args
	argStarStar   = -2 // **kwargs
)

// keyword returns the name of a keyword argument, or "".
func (fs *fileSites) keyword(a siteArg) string {
	if a.kw > 0 {
		return fs.keywords[a.kw-1]
	}
	return ""
}

func siteKey(line, col int32) uint64 { return uint64(uint32(line))<<32 | uint64(uint32(col)) }

// lookup returns the call whose opening parenthesis is at line:col, or nil.
func (fs *fileSites) lookup(line, col int32) *callSite {
	if i, ok := slices.BinarySearch(fs.keys, siteKey(line, col)); ok {
		return &fs.sites[i]
	}
	return nil
}

// argsOf returns the arguments of a site, and where their values start.
func (fs *fileSites) argsOf(s *callSite) ([]siteArg, []ecosystem.Pos) {
	return fs.args[s.argStart:s.argLimit], fs.argPos[s.argStart:s.argLimit:s.argLimit]
}

// sitesBuilder collects a file's call sites while it is parsed, in scratch
// slices reused from file to file (it lives in an astArena), and copies them
// into a fileSites of exactly the right size when the file is done.
type sitesBuilder struct {
	name     string
	keys     []uint64
	spans    []siteSpan
	args     []siteArg
	argPos   []ecosystem.Pos
	keywords []string
	kwIndex  map[string]int32
}

type siteSpan struct{ line, col, argStart, argLimit int32 }

// open records a call whose opening parenthesis is at lparen, and returns
// its index for close.
func (b *sitesBuilder) open(lparen syntax.Position) int {
	b.keys = append(b.keys, siteKey(lparen.Line, lparen.Col))
	b.spans = append(b.spans, siteSpan{})
	return len(b.spans) - 1
}

// close records the callee and the arguments of the call open returned i for.
func (b *sitesBuilder) close(i int, fn syntax.Expr, args []syntax.Expr) {
	start := startOf(fn)
	b.spans[i] = siteSpan{line: start.Line, col: start.Col,
		argStart: int32(len(b.args)), argLimit: int32(len(b.args) + len(args))}
	for _, a := range args {
		kw, quote, p := describeArg(a)
		sa := siteArg{quote: quote}
		switch kw {
		case "":
		case "*":
			sa.kw = argStar
		case "**":
			sa.kw = argStarStar
		default:
			sa.kw = b.kwIndex[kw]
			if sa.kw == 0 {
				if b.kwIndex == nil {
					b.kwIndex = map[string]int32{}
				}
				b.keywords = append(b.keywords, kw)
				sa.kw = int32(len(b.keywords))
				b.kwIndex[kw] = sa.kw
			}
		}
		b.args = append(b.args, sa)
		b.argPos = append(b.argPos, ecosystem.Pos{File: b.name, Line: int(p.Line), Col: int(p.Col)})
	}
}

// finish returns the table of the file and empties the builder.
func (b *sitesBuilder) finish() *fileSites {
	fs := &fileSites{
		name:     b.name,
		keys:     slices.Clone(b.keys),
		sites:    make([]callSite, len(b.spans)),
		args:     slices.Clone(b.args),
		argPos:   slices.Clone(b.argPos),
		keywords: slices.Clone(b.keywords),
	}
	for i, sp := range b.spans {
		s := &fs.sites[i]
		s.line, s.col, s.argStart, s.argLimit = sp.line, sp.col, sp.argStart, sp.argLimit
	}
	// Calls are opened in the order of their parentheses, except where a
	// walk visits a call before its callee's own call (f(a)(b)).
	if !slices.IsSorted(fs.keys) {
		idx := make([]int, len(fs.keys))
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(x, y int) int { return compareKeys(fs.keys[x], fs.keys[y]) })
		keys := make([]uint64, len(idx))
		sites := make([]callSite, len(idx))
		for i, j := range idx {
			keys[i] = fs.keys[j]
			s, o := &sites[i], &fs.sites[j]
			s.line, s.col, s.argStart, s.argLimit = o.line, o.col, o.argStart, o.argLimit
		}
		fs.keys, fs.sites = keys, sites
	}
	b.reset()
	return fs
}

// reset empties the builder, keeping its memory.
func (b *sitesBuilder) reset() {
	clear(b.argPos) // drop the file name
	clear(b.keywords)
	clear(b.kwIndex)
	b.name, b.keys, b.spans, b.args, b.argPos, b.keywords = "", b.keys[:0], b.spans[:0], b.args[:0], b.argPos[:0], b.keywords[:0]
}

// buildSites walks a file parsed by go.starlark.net and records every call
// expression.
func buildSites(f *syntax.File) *fileSites {
	b := &sitesBuilder{name: f.Path}
	syntax.Walk(f, func(n syntax.Node) bool {
		if ce, ok := n.(*syntax.CallExpr); ok {
			b.close(b.open(ce.Lparen), ce.Fn, ce.Args)
		}
		return true
	})
	return b.finish()
}

// describeArg returns the keyword of one argument of a call ("" for a
// positional argument, "*" or "**" for an unpacked one), its quote (see
// siteArg) and where its value starts.
func describeArg(a syntax.Expr) (kw string, quote int8, start syntax.Position) {
	val := a
	switch x := a.(type) {
	case *syntax.BinaryExpr:
		if x.Op == syntax.EQ {
			if id, ok := x.X.(*syntax.Ident); ok {
				kw = id.Name
				val = x.Y
			}
		}
	case *syntax.UnaryExpr:
		switch x.Op {
		case syntax.STAR:
			kw = "*"
		case syntax.STARSTAR:
			kw = "**"
		}
	}
	return kw, plainQuote(val), startOf(val)
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
	if raw == "" || raw[0] != '"' && raw[0] != '\'' {
		return 0
	}
	for i := 0; i < len(raw); i++ {
		if c := raw[i]; c == '\\' || c == '\n' {
			return 0
		}
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
	at := ecosystem.Pos{File: fs.name, Line: int(s.line), Col: int(s.col)}
	if s.state.Load() == siteReady && s.spec == spec {
		return ecosystem.Source{Pos: at, Args: s.args}
	}
	args, argPos := fs.argsOf(s)
	var key namesKey
	key.spec = spec
	n := 0
	positional, unpacked := 0, false
	for i := range args {
		a := &args[i]
		idx := -1
		switch {
		case a.kw < 0:
			unpacked = true
		case a.kw == argPositional:
			if !unpacked && positional < len(spec.params) {
				idx = positional
			}
			positional++
		default:
			idx = spec.index(fs.keywords[a.kw-1])
		}
		if idx >= 0 && n < maxParams {
			key.params[n] = int8(idx) + 1
			n++
		}
	}
	names := st.lastNames
	if key != st.lastNamesKey || names == nil {
		// Consecutive calls mostly pass the same arguments (a dataset's
		// columns): the last names are checked before the map.
		names = st.names[key]
		if names == nil {
			names = make([]string, n)
			for i := range n {
				names[i] = spec.params[key.params[i]-1].Name
			}
			st.names[key] = names
		}
		st.lastNamesKey, st.lastNames = key, names
	}
	pos := argPos
	if n != len(args) {
		// Some arguments bind no parameter (unknown keywords, *args,
		// **kwargs): the positions of those that do get a table of their own.
		pos = argPositions(fs, args, argPos, spec, n)
	}
	table := ecosystem.NewArgPositions(names, pos[:len(names)])
	if s.state.CompareAndSwap(siteEmpty, siteBuilding) {
		s.spec, s.args = spec, table
		s.state.Store(siteReady)
	}
	return ecosystem.Source{Pos: at, Args: table}
}

// argPositions returns the positions of the arguments of a call that bind
// parameters, in order.
func argPositions(fs *fileSites, args []siteArg, argPos []ecosystem.Pos, spec *builtinSpec, n int) []ecosystem.Pos {
	pos := make([]ecosystem.Pos, 0, n)
	positional, unpacked := 0, false
	for i := range args {
		switch kw := args[i].kw; {
		case kw < 0:
			unpacked = true
		case kw == argPositional:
			if !unpacked && positional < len(spec.params) {
				pos = append(pos, argPos[i])
			}
			positional++
		default:
			if spec.index(fs.keywords[kw-1]) >= 0 {
				pos = append(pos, argPos[i])
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
	args, argPos := c.file.argsOf(c.site)
	for i, a := range args {
		if a.quote > 0 && argPos[i] == pos {
			pos.Col += int(a.quote) + utf8.RuneCountInString(value[:off])
			return pos
		}
	}
	return pos
}
