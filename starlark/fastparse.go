package starlark

import (
	"bytes"
	"strconv"
	"unicode/utf8"

	"go.starlark.net/syntax"
)

// The fast parser.
//
// go.starlark.net's parser is general and careful, and it is the largest
// cost of evaluating a big model: it reads the source a rune at a time,
// builds every token's text in a strings.Builder, and descends eleven
// precedence levels, each with a deferred call, for every argument of every
// call. Model files are mostly data: calls, keyword arguments, lists, dicts
// and string literals, thousands of times over. fastParse parses that subset
// of Starlark directly from the bytes, with no per-token allocation (names
// and literals are interned, nodes come from an astArena reused from file to
// file), and builds the call-site table and the list of load statements in
// the same pass.
//
// It produces exactly the syntax tree syntax.FileOptions.Parse produces,
// node for node and position for position (TestFastParseMatches and
// FuzzFastParse compare the trees, TestFastParserSameResults the evaluated
// models), or gives up. It gives up on anything outside the subset — def,
// if, for, comprehensions, lambdas, slices, floats, unparenthesized tuples,
// indentation, semicolons, non-ASCII names, CRLF line ends, NUL bytes, deep
// nesting — and on anything that is not valid Starlark, so that the file is
// then parsed by go.starlark.net, whose errors are the ones reported. The
// subset is a speed-up, never a dialect.

// bailout is the panic value that stops the fast parser.
type bailout struct{}

// maxFastNesting bounds the recursion of the fast parser. go.starlark.net
// reports "excessive nesting" past 1,000 levels of its own recursion, about
// 25 of which make one level here; files nested deeper than this are left
// to it.
const maxFastNesting = 30

// fastParser is the state of one fastParse call.
type fastParser struct {
	src  []byte
	file *string // shared by every position, as the syntax package does
	name string

	// Scanner.
	i       int   // offset of the next byte
	line    int32 // line of src[i]
	lineOff int   // offset of the start of the line
	adj     int32 // bytes minus runes before i on this line (multi-byte runes)
	depth   int   // nesting of brackets
	bol     bool  // at the beginning of a line

	// The current token.
	tok syntax.Token
	pos syntax.Position
	raw string // IDENT, STRING, BYTES, INT: the token's text
	val any    // STRING, BYTES, INT: the value

	nest int       // recursion depth of the parser
	a    *astArena // where nodes are allocated

	sites *sitesBuilder
	loads []loadStmt
}

// fastParse parses src as syntax.FileOptions.Parse would, and builds the
// file's call-site table and load list. The tree is allocated in a, and
// valid until a is reset. ok is false when the file is outside the fast
// parser's subset or not valid Starlark; the caller then parses it with
// go.starlark.net.
func fastParse(path string, src []byte, a *astArena) (f *syntax.File, sites *fileSites, loads []loadStmt, ok bool) {
	// syntax's scanner reads a NUL byte outside a string as the end of the
	// file, and CRLF line ends and invalid UTF-8 into strings differently
	// from the bytes: such files are left to it.
	if bytes.IndexByte(src, '\r') >= 0 || bytes.IndexByte(src, 0) >= 0 || !utf8.Valid(src) {
		return nil, nil, nil, false
	}
	p := &fastParser{src: src, name: path, line: 1, bol: true, a: a, sites: &a.sites}
	p.file = new(string)
	*p.file = path
	p.sites.name = path
	defer func() {
		if r := recover(); r != nil {
			if _, bail := r.(bailout); !bail {
				panic(r)
			}
			a.reset()
			f, sites, loads, ok = nil, nil, nil, false
		}
	}()
	p.next()
	f = p.parseFile()
	f.Path = path
	return f, p.sites.finish(), p.loads, true
}

func (p *fastParser) bail() { panic(bailout{}) }

// ---- scanner ----

func (p *fastParser) position(off int) syntax.Position {
	return syntax.MakePosition(p.file, p.line, int32(off-p.lineOff)+1-p.adj)
}

// newline consumes the '\n' at p.i.
func (p *fastParser) newline() {
	p.i++
	p.line++
	p.lineOff = p.i
	p.adj = 0
}

// over accounts for the bytes src[from:to], which the scanner skipped
// without tracking lines and multi-byte runes.
func (p *fastParser) over(from, to int) {
	for k := from; k < to; k++ {
		switch b := p.src[k]; {
		case b == '\n':
			p.line++
			p.lineOff = k + 1
			p.adj = 0
		case b >= 0x80 && b&0xC0 == 0x80:
			p.adj++ // a continuation byte
		}
	}
}

// interned is a name or a literal's text, allocated once per arena (an
// evaluation), with the literal's value already in an interface (a
// Literal's Value), so that a name or literal repeated a thousand times
// costs one allocation. Strings are immutable, so files and programs can
// share them.
type interned struct {
	s string
	v any
}

// internSlots is the size of an arena's direct-mapped cache in front of its
// intern map: a file repeats a few dozen names and literals thousands of
// times, and a hit costs a hash of three bytes and one comparison.
const internSlots = 1024

type internSlot struct {
	key string
	e   interned
}

func internHash(b []byte) int {
	n := len(b)
	return (n*131 + int(b[0])*31 + int(b[n-1])*7 + int(b[n/2])) & (internSlots - 1)
}

// intern returns the interned entry of b, making it with mk the first time.
func (p *fastParser) intern(b []byte, mk func(s string) interned) interned {
	slot := &p.a.slots[internHash(b)]
	if slot.key == string(b) && slot.key != "" {
		return slot.e
	}
	e, ok := p.a.intern[string(b)]
	if !ok {
		e = mk(string(b))
		p.a.intern[e.s] = e
	}
	slot.key, slot.e = e.s, e
	return e
}

func nameEntry(s string) interned   { return interned{s: s} }
func quotedEntry(s string) interned { return interned{s: s, v: s[1 : len(s)-1]} }

// internName returns the text of a name, interned.
func (p *fastParser) internName(b []byte) string { return p.intern(b, nameEntry).s }

// internQuoted returns the text of a plain quoted string and its value
// (the text between the quotes), interned.
func (p *fastParser) internQuoted(b []byte) (string, any) {
	e := p.intern(b, quotedEntry)
	return e.s, e.v
}

// internInt returns the text of an int literal and its value, interned.
func (p *fastParser) internInt(b []byte, v int64) (string, any) {
	e := p.intern(b, func(s string) interned { return interned{s: s, v: v} })
	return e.s, e.v
}

// next scans the next token, following syntax's scanner for the subset and
// bailing out elsewhere.
func (p *fastParser) next() {
	src, n := p.src, len(p.src)
	for {
		blank := false
		if p.bol {
			p.bol = false
			j := p.i
			for j < n && (src[j] == ' ' || src[j] == '\t') {
				j++
			}
			blank = j == n || src[j] == '#' || src[j] == '\n'
			if !blank && p.depth == 0 && j > p.i {
				p.bail() // indentation: a block, or an error
			}
			p.i = j
		}
		for p.i < n && (src[p.i] == ' ' || src[p.i] == '\t') {
			p.i++
		}
		if p.i < n && src[p.i] == '#' {
			k := bytes.IndexByte(src[p.i:], '\n')
			if k < 0 {
				p.i = n
			} else {
				p.i += k
			}
		}
		if p.i < n && src[p.i] == '\n' {
			p.bol = true
			if p.depth > 0 || blank {
				p.newline()
				continue
			}
			p.tok, p.pos = syntax.NEWLINE, p.position(p.i)
			p.newline()
			return
		}
		break
	}
	if p.i == n {
		p.tok, p.pos = syntax.EOF, p.position(p.i)
		return
	}
	start := p.i
	p.pos = p.position(start)
	c := src[start]
	switch {
	case c == ',':
		p.i++
		p.tok = syntax.COMMA
		return
	case c == '"' || c == '\'':
		p.scanString(start, start)
		return
	case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_':
		if (c == 'r' || c == 'b') && start+1 < n && (src[start+1] == '"' || src[start+1] == '\'') {
			p.scanString(start, start+1)
			return
		}
		if c == 'r' && start+2 < n && src[start+1] == 'b' && (src[start+2] == '"' || src[start+2] == '\'') {
			p.scanString(start, start+2)
			return
		}
		j := start + 1
		for j < n && isIdentByte(src[j]) {
			j++
		}
		if j < n && src[j] >= utf8.RuneSelf {
			p.bail() // a non-ASCII letter may continue the name
		}
		p.i = j
		p.tok = keyword(src[start:j])
		if p.tok == syntax.IDENT {
			p.raw = p.internName(src[start:j])
		}
		return
	case '0' <= c && c <= '9':
		p.scanInt(start)
		return
	}
	p.i++
	switch c {
	case '(', '[', '{':
		p.depth++
		switch c {
		case '(':
			p.tok = syntax.LPAREN
		case '[':
			p.tok = syntax.LBRACK
		default:
			p.tok = syntax.LBRACE
		}
		return
	case ')', ']', '}':
		if p.depth == 0 {
			p.bail()
		}
		p.depth--
		switch c {
		case ')':
			p.tok = syntax.RPAREN
		case ']':
			p.tok = syntax.RBRACK
		default:
			p.tok = syntax.RBRACE
		}
		return
	case '.':
		if p.i < n && '0' <= src[p.i] && src[p.i] <= '9' {
			p.bail() // a float
		}
		p.tok = syntax.DOT
		return
	case ':':
		p.tok = syntax.COLON
		return
	case '~':
		p.tok = syntax.TILDE
		return
	}
	// Operators, possibly followed by '='.
	eq := p.i < n && src[p.i] == '='
	switch c {
	case '=':
		p.tok = syntax.EQ
		if eq {
			p.i++
			p.tok = syntax.EQL
		}
		return
	case '!':
		if eq {
			p.i++
			p.tok = syntax.NEQ
			return
		}
	case '<', '>':
		if eq {
			p.i++
			p.tok = syntax.LE
			if c == '>' {
				p.tok = syntax.GE
			}
			return
		}
		if p.i < n && src[p.i] == c {
			p.i++
			if p.i < n && src[p.i] == '=' {
				break // <<= and >>=
			}
			p.tok = syntax.LTLT
			if c == '>' {
				p.tok = syntax.GTGT
			}
			return
		}
		p.tok = syntax.LT
		if c == '>' {
			p.tok = syntax.GT
		}
		return
	case '+', '-', '%', '&', '|', '^':
		if eq {
			break // augmented assignment
		}
		switch c {
		case '+':
			p.tok = syntax.PLUS
		case '-':
			p.tok = syntax.MINUS
		case '%':
			p.tok = syntax.PERCENT
		case '&':
			p.tok = syntax.AMP
		case '|':
			p.tok = syntax.PIPE
		default:
			p.tok = syntax.CIRCUMFLEX
		}
		return
	case '*':
		if eq {
			break
		}
		p.tok = syntax.STAR
		if p.i < n && src[p.i] == '*' {
			p.i++
			p.tok = syntax.STARSTAR
		}
		return
	case '/':
		if eq {
			break
		}
		p.tok = syntax.SLASH
		if p.i < n && src[p.i] == '/' {
			p.i++
			if p.i < n && src[p.i] == '=' {
				break
			}
			p.tok = syntax.SLASHSLASH
		}
		return
	}
	p.bail() // ';', '\\', '!', augmented assignments, non-ASCII, ...
}

func isIdentByte(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || b == '_' || '0' <= b && b <= '9'
}

// keyword returns the token of a name: IDENT, or the keyword it is.
func keyword(b []byte) syntax.Token {
	if len(b) < 2 || len(b) > 8 || b[0] < 'a' || b[0] > 'y' {
		return syntax.IDENT
	}
	switch string(b) {
	case "and":
		return syntax.AND
	case "else":
		return syntax.ELSE
	case "if":
		return syntax.IF
	case "in":
		return syntax.IN
	case "load":
		return syntax.LOAD
	case "not":
		return syntax.NOT
	case "or":
		return syntax.OR
	case "break", "continue", "def", "elif", "for", "lambda", "pass", "return", "while",
		"as", "async", "await", "class", "del", "except", "finally", "from", "global",
		"import", "is", "nonlocal", "raise", "try", "with", "yield":
		return syntax.ILLEGAL // statements and reserved words the subset leaves out
	}
	return syntax.IDENT
}

// scanInt scans a decimal int literal that fits in 64 bits.
func (p *fastParser) scanInt(start int) {
	src, n := p.src, len(p.src)
	j := start
	for j < n && '0' <= src[j] && src[j] <= '9' {
		j++
	}
	if j < n && (src[j] == '.' || isIdentByte(src[j]) || src[j] >= utf8.RuneSelf) {
		p.bail() // floats, 0x..., 1e3, 1_000, 123abc
	}
	if src[start] == '0' && j-start > 1 {
		p.bail() // 00, 0755
	}
	v, err := strconv.ParseInt(string(src[start:j]), 10, 64)
	if err != nil {
		p.bail() // a big int
	}
	p.i = j
	p.tok = syntax.INT
	p.raw, p.val = p.internInt(src[start:j], v)
}

// scanString scans a string literal starting at start, whose opening quote
// is at q (after an r, b or rb prefix).
func (p *fastParser) scanString(start, q int) {
	src, n := p.src, len(p.src)
	quote := src[q]
	if start == q && !(q+2 < n && src[q+1] == quote && src[q+2] == quote) {
		// The common case: a plain quoted string without escapes.
		for j := q + 1; j < n; j++ {
			switch src[j] {
			case quote:
				p.raw, p.val = p.internQuoted(src[start : j+1])
				p.tok = syntax.STRING
				p.over(start, j+1)
				p.i = j + 1
				return
			case '\\', '\n':
				j = n // escapes, or an error
			}
		}
	}
	// Prefixes, escapes and triple quotes: find the end as syntax's
	// scanner does, and let syntax decode the literal.
	j := q + 1
	if q+2 < n && src[q+1] == quote && src[q+2] == quote {
		j = q + 3
		count := 0
		for {
			if j >= n {
				p.bail()
			}
			c := src[j]
			j++
			if c == quote {
				count++
				if count == 3 {
					break
				}
			} else {
				count = 0
			}
			if c == '\\' {
				if j >= n {
					p.bail()
				}
				j++
			}
		}
	} else {
		for {
			if j >= n {
				p.bail()
			}
			c := src[j]
			j++
			if c == quote {
				break
			}
			if c == '\n' {
				p.bail()
			}
			if c == '\\' {
				if j >= n {
					p.bail()
				}
				j++
			}
		}
	}
	raw := string(src[start:j])
	e, err := fileOptions.ParseExpr(p.name, raw, 0)
	if err != nil {
		p.bail()
	}
	lit, ok := e.(*syntax.Literal)
	if !ok || (lit.Token != syntax.STRING && lit.Token != syntax.BYTES) || lit.Raw != raw {
		p.bail()
	}
	p.raw, p.val, p.tok = raw, lit.Value, lit.Token
	p.over(start, j)
	p.i = j
}

// ---- parser ----

func (p *fastParser) consume(t syntax.Token) syntax.Position {
	if p.tok != t {
		p.bail()
	}
	pos := p.pos
	p.next()
	return pos
}

func (p *fastParser) enter() {
	p.nest++
	if p.nest > maxFastNesting {
		p.bail()
	}
}

func (p *fastParser) newIdent(pos syntax.Position, name string) *syntax.Ident {
	id := p.a.idents.new()
	id.NamePos, id.Name = pos, name
	return id
}

// popExprs moves the expressions pushed on the stack since mark into a
// list of their own.
func (p *fastParser) popExprs(mark int) []syntax.Expr {
	out := p.a.exprs.take(len(p.a.stack) - mark)
	copy(out, p.a.stack[mark:])
	clear(p.a.stack[mark:])
	p.a.stack = p.a.stack[:mark]
	return out
}

func (p *fastParser) parseFile() *syntax.File {
	var stmts []syntax.Stmt
	for p.tok != syntax.EOF {
		if p.tok == syntax.NEWLINE {
			p.next()
			continue
		}
		stmts = append(stmts, p.parseSmallStmt())
		if p.tok != syntax.EOF {
			p.consume(syntax.NEWLINE) // ';' and the rest bail out
		}
	}
	return &syntax.File{Options: fileOptions, Stmts: stmts}
}

func (p *fastParser) parseSmallStmt() syntax.Stmt {
	if p.tok == syntax.LOAD {
		return p.parseLoadStmt()
	}
	x := p.parseExpr(false)
	if p.tok == syntax.EQ {
		pos := p.pos
		p.next()
		rhs := p.parseExpr(false)
		return &syntax.AssignStmt{OpPos: pos, Op: syntax.EQ, LHS: x, RHS: rhs}
	}
	return &syntax.ExprStmt{X: x}
}

func (p *fastParser) parseLoadStmt() *syntax.LoadStmt {
	loadPos := p.pos
	p.next()
	p.consume(syntax.LPAREN)
	if p.tok != syntax.STRING {
		p.bail()
	}
	module := p.literal()
	var from, to []*syntax.Ident
	for p.tok != syntax.RPAREN && p.tok != syntax.EOF {
		p.consume(syntax.COMMA)
		if p.tok == syntax.RPAREN {
			break
		}
		switch p.tok {
		case syntax.STRING:
			lit := p.literal()
			id := &syntax.Ident{NamePos: p.quoteEnd(lit.TokenPos), Name: lit.Value.(string)}
			to = append(to, id)
			from = append(from, id)
		case syntax.IDENT:
			id := p.parseIdent()
			to = append(to, id)
			p.consume(syntax.EQ)
			if p.tok != syntax.STRING {
				p.bail()
			}
			lit := p.literal()
			from = append(from, &syntax.Ident{NamePos: p.quoteEnd(lit.TokenPos), Name: lit.Value.(string)})
		default:
			p.bail()
		}
	}
	rparen := p.consume(syntax.RPAREN)
	if len(to) == 0 {
		p.bail()
	}
	m, _ := module.Value.(string)
	p.loads = append(p.loads, loadStmt{module: m, pos: toPos(module.TokenPos)})
	return &syntax.LoadStmt{Load: loadPos, Module: module, To: to, From: from, Rparen: rparen}
}

// quoteEnd is the position after the opening quote of a literal at pos
// (syntax's Position.add(`"`)).
func (p *fastParser) quoteEnd(pos syntax.Position) syntax.Position {
	return syntax.MakePosition(p.file, pos.Line, pos.Col+1)
}

func (p *fastParser) parseIdent() *syntax.Ident {
	if p.tok != syntax.IDENT {
		p.bail()
	}
	id := p.newIdent(p.pos, p.raw)
	p.next()
	return id
}

// literal returns the current STRING, BYTES or INT token as a Literal.
func (p *fastParser) literal() *syntax.Literal {
	l := p.a.lits.new()
	l.Token, l.TokenPos, l.Raw, l.Value = p.tok, p.pos, p.raw, p.val
	p.next()
	return l
}

func (p *fastParser) parseExpr(inParens bool) syntax.Expr {
	x := p.parseTest()
	if p.tok != syntax.COMMA {
		return x
	}
	if !inParens {
		p.bail() // a tuple without parentheses: rare, and its errors are subtle
	}
	mark := len(p.a.stack)
	p.a.stack = append(p.a.stack, x)
	p.parseExprs(true)
	return &syntax.TupleExpr{List: p.popExprs(mark)}
}

// parseExprs parses the rest of a comma-separated list onto the stack.
func (p *fastParser) parseExprs(allowTrailingComma bool) {
	for p.tok == syntax.COMMA {
		p.next()
		if terminatesExprList(p.tok) {
			if !allowTrailingComma {
				p.bail()
			}
			break
		}
		p.a.stack = append(p.a.stack, p.parseTest())
	}
}

func terminatesExprList(tok syntax.Token) bool {
	switch tok {
	case syntax.EOF, syntax.NEWLINE, syntax.EQ, syntax.RBRACE, syntax.RBRACK, syntax.RPAREN, syntax.SEMI:
		return true
	}
	return false
}

func (p *fastParser) parseTest() syntax.Expr {
	p.enter()
	x := p.parseTestPrec(0)
	if p.tok == syntax.IF {
		ifpos := p.pos
		p.next()
		cond := p.parseTestPrec(0)
		if p.tok != syntax.ELSE {
			p.bail()
		}
		elsepos := p.pos
		p.next()
		els := p.parseTest()
		x = &syntax.CondExpr{If: ifpos, Cond: cond, True: x, ElsePos: elsepos, False: els}
	}
	p.nest--
	return x
}

// Operator precedence, as in syntax's parser: or, and, not, comparisons,
// |, ^, &, shifts, + -, * / // %.
const (
	precNot    = 2
	precCmp    = 3
	precLevels = 10
)

func precedence(t syntax.Token) int {
	switch t {
	case syntax.OR:
		return 0
	case syntax.AND:
		return 1
	case syntax.EQL, syntax.NEQ, syntax.LT, syntax.GT, syntax.LE, syntax.GE, syntax.IN, syntax.NOT_IN:
		return precCmp
	case syntax.PIPE:
		return 4
	case syntax.CIRCUMFLEX:
		return 5
	case syntax.AMP:
		return 6
	case syntax.LTLT, syntax.GTGT:
		return 7
	case syntax.MINUS, syntax.PLUS:
		return 8
	case syntax.STAR, syntax.PERCENT, syntax.SLASH, syntax.SLASHSLASH:
		return 9
	}
	return -1
}

// parseTestPrec parses an expression whose operators bind at least as
// tightly as prec. syntax's parser recurses once per level; climbing from
// the first operand gives the same tree, since every level but the
// operator's own returns its operand unchanged.
func (p *fastParser) parseTestPrec(prec int) syntax.Expr {
	var x syntax.Expr
	if p.tok == syntax.NOT {
		if prec > precNot {
			p.bail()
		}
		p.enter()
		pos := p.pos
		p.next()
		y := p.parseTestPrec(precNot)
		p.nest--
		x = &syntax.UnaryExpr{OpPos: pos, Op: syntax.NOT, X: y}
	} else if prec >= precLevels {
		return p.parsePrimaryWithSuffix()
	} else {
		x = p.parsePrimaryWithSuffix()
	}
	if p.tok != syntax.NOT && precedence(p.tok) < 0 {
		return x
	}
	lastCmp := false
	for {
		if p.tok == syntax.NOT {
			// As in syntax's parser, "not" here must start "not in",
			// which becomes one token for the levels above too.
			p.next()
			if p.tok != syntax.IN {
				p.bail()
			}
			p.tok = syntax.NOT_IN
		}
		op := p.tok
		opprec := precedence(op)
		if opprec < prec {
			return x
		}
		if opprec == precCmp && lastCmp {
			p.bail() // comparisons do not associate
		}
		lastCmp = opprec == precCmp
		pos := p.pos
		p.next()
		y := p.parseTestPrec(opprec + 1)
		b := p.a.bins.new()
		b.OpPos, b.Op, b.X, b.Y = pos, op, x, y
		x = b
	}
}

func (p *fastParser) parsePrimaryWithSuffix() syntax.Expr {
	x := p.parsePrimary()
	for {
		switch p.tok {
		case syntax.DOT:
			dot := p.pos
			p.next()
			id := p.parseIdent()
			x = &syntax.DotExpr{Dot: dot, X: x, Name: id}
		case syntax.LBRACK:
			lbrack := p.pos
			p.next()
			if p.tok == syntax.COLON {
				p.bail() // slices
			}
			y := p.parseExpr(false)
			if p.tok != syntax.RBRACK {
				p.bail()
			}
			rbrack := p.pos
			p.next()
			x = &syntax.IndexExpr{X: x, Lbrack: lbrack, Y: y, Rbrack: rbrack}
		case syntax.LPAREN:
			x = p.parseCallSuffix(x)
		default:
			return x
		}
	}
}

// parseCallSuffix parses a call's arguments and records the call in the
// call-site table, in the order of the opening parentheses.
func (p *fastParser) parseCallSuffix(fn syntax.Expr) syntax.Expr {
	ce := p.a.calls.new()
	ce.Fn, ce.Lparen = fn, p.pos
	site := p.sites.open(ce.Lparen)
	p.next()
	if p.tok == syntax.RPAREN {
		ce.Rparen = p.pos
		p.next()
	} else {
		mark := len(p.a.stack)
		for p.tok != syntax.RPAREN && p.tok != syntax.EOF {
			if len(p.a.stack) > mark {
				p.consume(syntax.COMMA)
			}
			if p.tok == syntax.RPAREN {
				break
			}
			if p.tok == syntax.STAR || p.tok == syntax.STARSTAR {
				op, pos := p.tok, p.pos
				p.next()
				p.a.stack = append(p.a.stack, &syntax.UnaryExpr{OpPos: pos, Op: op, X: p.parseTest()})
				continue
			}
			x := p.parseTest()
			if p.tok == syntax.EQ {
				if _, ok := x.(*syntax.Ident); !ok {
					p.bail()
				}
				b := p.a.bins.new()
				b.X, b.OpPos, b.Op = x, p.pos, syntax.EQ
				p.next()
				b.Y = p.parseTest()
				x = b
			}
			p.a.stack = append(p.a.stack, x)
		}
		ce.Args = p.popExprs(mark)
		ce.Rparen = p.consume(syntax.RPAREN)
	}
	p.sites.close(site, fn, ce.Args)
	return ce
}

func (p *fastParser) parsePrimary() syntax.Expr {
	switch p.tok {
	case syntax.IDENT:
		return p.parseIdent()
	case syntax.INT, syntax.STRING, syntax.BYTES:
		return p.literal()
	case syntax.LBRACK:
		p.enter()
		lbrack := p.pos
		p.next()
		l := p.a.lists.new()
		l.Lbrack = lbrack
		if p.tok == syntax.RBRACK {
			l.Rbrack = p.pos
			p.next()
			p.nest--
			return l
		}
		mark := len(p.a.stack)
		p.a.stack = append(p.a.stack, p.parseTest())
		if p.tok == syntax.COMMA {
			p.parseExprs(true)
		}
		l.Rbrack = p.consume(syntax.RBRACK) // a comprehension bails out here
		l.List = p.popExprs(mark)
		p.nest--
		return l
	case syntax.LBRACE:
		p.enter()
		d := &syntax.DictExpr{Lbrace: p.pos}
		p.next()
		if p.tok == syntax.RBRACE {
			d.Rbrace = p.pos
			p.next()
			p.nest--
			return d
		}
		mark := len(p.a.stack)
		p.a.stack = append(p.a.stack, p.parseDictEntry())
		for p.tok == syntax.COMMA {
			p.next()
			if p.tok == syntax.RBRACE {
				break
			}
			p.a.stack = append(p.a.stack, p.parseDictEntry())
		}
		d.Rbrace = p.consume(syntax.RBRACE)
		d.List = p.popExprs(mark)
		p.nest--
		return d
	case syntax.LPAREN:
		p.enter()
		lparen := p.pos
		p.next()
		if p.tok == syntax.RPAREN {
			rparen := p.pos
			p.next()
			p.nest--
			return &syntax.TupleExpr{Lparen: lparen, Rparen: rparen}
		}
		e := p.parseExpr(true)
		rparen := p.consume(syntax.RPAREN)
		p.nest--
		return &syntax.ParenExpr{Lparen: lparen, X: e, Rparen: rparen}
	case syntax.MINUS, syntax.PLUS, syntax.TILDE:
		p.enter()
		op, pos := p.tok, p.pos
		p.next()
		x := p.parsePrimaryWithSuffix()
		p.nest--
		return &syntax.UnaryExpr{OpPos: pos, Op: op, X: x}
	}
	p.bail()
	return nil
}

func (p *fastParser) parseDictEntry() *syntax.DictEntry {
	k := p.parseTest()
	colon := p.consume(syntax.COLON)
	v := p.parseTest()
	return &syntax.DictEntry{Key: k, Colon: colon, Value: v}
}
