package starlark

import (
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"go.starlark.net/syntax"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// fileSites is the call-site table of one file: for every call expression,
// where the call and each of its arguments are. It is built once when the
// file is parsed and shared, read-only, by every execution of the file.
type fileSites struct {
	name  string
	sites map[uint64]*callSite
}

// callSite is one call expression. The interpreter reports a running call by
// the position of its opening parenthesis, which is the table's key; the
// site itself points at the start of the call (the callee's name).
type callSite struct {
	line, col int32
	args      []siteArg
	// memo holds the Source of objects built here by the last builtin seen
	// at this site. Objects built by one site (in a loop, say) share its
	// argument table.
	memo atomic.Pointer[siteMemo]
}

type siteMemo struct {
	spec *builtinSpec
	src  ecosystem.Source
}

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

// buildSites walks a parsed file and records every call expression.
func buildSites(f *syntax.File) *fileSites {
	fs := &fileSites{name: f.Path, sites: map[uint64]*callSite{}}
	syntax.Walk(f, func(n syntax.Node) bool {
		ce, ok := n.(*syntax.CallExpr)
		if !ok {
			return true
		}
		start := syntax.Start(ce)
		site := &callSite{line: start.Line, col: start.Col, args: make([]siteArg, len(ce.Args))}
		for i, a := range ce.Args {
			sa := &site.args[i]
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
			p := syntax.Start(val)
			sa.line, sa.col = p.Line, p.Col
			sa.quote = plainQuote(val)
		}
		fs.sites[siteKey(ce.Lparen.Line, ce.Lparen.Col)] = site
		return true
	})
	return fs
}

// plainQuote returns the length of the opening quote of a string literal
// whose source text is its value between quotes (no escapes, no line
// breaks), else 0.
func plainQuote(e syntax.Expr) int8 {
	lit, ok := e.(*syntax.Literal)
	if !ok || lit.Token != syntax.STRING {
		return 0
	}
	raw := lit.Raw
	if strings.ContainsAny(raw, "\\\n") {
		return 0
	}
	q := int8(1)
	if strings.HasPrefix(raw, `"""`) || strings.HasPrefix(raw, `'''`) {
		q = 3
	}
	if strings.HasPrefix(raw, "r") || strings.HasPrefix(raw, "R") || strings.HasPrefix(raw, "b") {
		return 0
	}
	return q
}

// source returns the Source of an object built by spec at this site, building
// the argument table on first use. Positional arguments are named by the
// parameters they bind to; arguments after *args or in **kwargs have no
// position of their own.
func (s *callSite) source(spec *builtinSpec, file string) ecosystem.Source {
	if m := s.memo.Load(); m != nil && m.spec == spec {
		return m.src
	}
	names := make([]string, 0, len(s.args))
	pos := make([]ecosystem.Pos, 0, len(s.args))
	positional, unpacked := 0, false
	for i := range s.args {
		a := &s.args[i]
		switch a.name {
		case "*", "**":
			unpacked = true
		case "":
			if !unpacked && positional < len(spec.params) {
				names = append(names, spec.params[positional].Name)
				pos = append(pos, a.pos(file))
			}
			positional++
		default:
			names = append(names, a.name)
			pos = append(pos, a.pos(file))
		}
	}
	m := &siteMemo{spec: spec, src: ecosystem.Source{
		Pos:  ecosystem.Pos{File: file, Line: int(s.line), Col: int(s.col)},
		Args: ecosystem.NewArgPositions(names, pos),
	}}
	s.memo.Store(m)
	return m.src
}

// literalOffsetPos returns the position of byte offset off inside value, the
// string passed for parameter p, when the argument is a plain string literal;
// otherwise the argument's position.
func (c *call) literalOffsetPos(p param, value string, off int) ecosystem.Pos {
	pos := c.argPos(p)
	if c.site == nil || off < 0 || off > len(value) {
		return pos
	}
	for i := range c.site.args {
		a := &c.site.args[i]
		if a.quote > 0 && int(a.line) == pos.Line && int(a.col) == pos.Col {
			pos.Col += int(a.quote) + utf8.RuneCountInString(value[:off])
			return pos
		}
	}
	return pos
}
