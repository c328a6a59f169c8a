package starlark

import (
	"go.starlark.net/syntax"
)

// The guard rewrite.
//
// go.starlark.net's step limit counts bytecode instructions, and one
// instruction can run long or allocate much: "x" * (1 << 27) builds 128 MiB
// in one step, "".join([s] * 20) gigabytes, comparing two lists that share
// their parts can take hours, and hashing a tuple nested ten million deep
// overflows the stack. The interpreter has no allocation accounting and
// checks for cancellation only between instructions, so before a file is
// compiled guardFile rewrites the operations that can build or traverse
// much in one step into calls of guard builtins. A guard measures what the
// operation would build or traverse (see measure.go), charges what it
// builds to the file's memory budget (see budget.go), refuses what is too
// large, then does exactly what the operation would have done:
//
//   - the binary operators +, -, *, %, |, &, ^ and << (not those with a
//     number literal operand, which cannot grow: i + 1), and their
//     augmented assignments, which keep their in-place meaning: the guard
//     sees the target's current value (a name is read again; x[i] is held
//     as the interpreter evaluates it) and returns the right operand;
//   - the comparisons ==, !=, <, <=, >, >=, in and not in, unless a side
//     is a literal (which makes them cheap);
//   - the keys of dict literals, of dict comprehensions and of x[k] and
//     x[k] = v, unless literal (hashing a tuple recurses);
//   - the calls of methods that build or traverse (guardedMethods), and
//     such methods wherever else they are looked up (x.join, getattr);
//   - in code that can run many times (loop and function bodies,
//     comprehensions, lambdas): list, tuple and dict literals, slices,
//     comprehension elements, x[k] = v, attribute reads (a model object's
//     attribute builds a new list each time) and *args and **kwargs, so
//     that memory built one element per step is charged too. Code that
//     runs once builds only what the file spells out, which the file size
//     limit bounds;
//   - and, in predeclared, the builtins that copy, convert, sort, hash or
//     compare whole values (guardedBuiltins).
//
// The guard builtins' names are not identifiers, so model code can neither
// call nor shadow them.

// The names of the guard builtins the rewrite calls, besides the operators
// (guardedOps), which are named by their token.
const (
	guardGrow      = ".grow"      // .grow(op, x, y): charge x op= y, return y
	guardHold      = ".hold"      // .hold(v): remember v for .growindex, return v
	guardGrowIndex = ".growindex" // .growindex(op, y): charge a[b] op= y for the held a, b
	guardKey       = ".key"       // .key(k): check hashing k, return k
	guardKeyAdd    = ".key+"      // .key+(k): .key, and charge a dict entry
	guardNew       = ".new"       // .new(v): charge a new copy of v, return v
	guardElem      = ".elem"      // .elem(v): charge a list element, return v
	guardCallName  = ".call"      // .call(x, name, args...): x.name(args...), guarded
	guardAttr      = ".attr"      // .attr(x, name): x.name, guarded
)

// guardedOps are the binary operators the rewrite guards, by the name of
// their guard builtin.
var guardedOps = map[syntax.Token]string{
	syntax.PLUS: "+", syntax.MINUS: "-", syntax.STAR: "*", syntax.PERCENT: "%",
	syntax.PIPE: "|", syntax.AMP: "&", syntax.CIRCUMFLEX: "^", syntax.LTLT: "<<",
	syntax.EQL: "==", syntax.NEQ: "!=", syntax.LT: "<", syntax.LE: "<=", syntax.GT: ">", syntax.GE: ">=",
	syntax.IN: "in", syntax.NOT_IN: "not in",
}

// augmented maps an augmented assignment to its operator's token, for the
// operators that are guarded.
var augmented = map[syntax.Token]syntax.Token{
	syntax.PLUS_EQ: syntax.PLUS, syntax.MINUS_EQ: syntax.MINUS, syntax.STAR_EQ: syntax.STAR,
	syntax.PERCENT_EQ: syntax.PERCENT, syntax.PIPE_EQ: syntax.PIPE, syntax.AMP_EQ: syntax.AMP,
	syntax.CIRCUMFLEX_EQ: syntax.CIRCUMFLEX, syntax.LTLT_EQ: syntax.LTLT,
}

// guardedMethods are the methods of strings, lists, dicts and sets whose
// calls the rewrite guards: those that build more than a few values, or
// hash or compare their arguments.
var guardedMethods = map[string]bool{
	"join": true, "replace": true, "format": true, "split": true, "rsplit": true, "splitlines": true,
	"upper": true, "lower": true, "title": true, "capitalize": true,
	"append": true, "insert": true, "extend": true, "index": true, "remove": true,
	"get": true, "pop": true, "setdefault": true, "update": true, "items": true, "keys": true, "values": true,
	"add": true, "discard": true, "union": true, "intersection": true, "difference": true,
	"symmetric_difference": true, "issubset": true, "issuperset": true,
}

// MaxExprDepth is how deeply expressions may nest in a model file, chains of
// operators, indexes and calls included (a + b + c nests two deep). The
// parser accepts chains of any length, but the resolver and the compiler
// recurse on them, and a chain of millions (a 4 MiB file of a+a+a...) would
// overflow the Go stack; no model nests more than a few dozen.
const MaxExprDepth = 10_000

// guardFile rewrites f in place (see above). It returns the position of an
// expression nested more than MaxExprDepth deep, if there is one, and then
// leaves the rest of that expression alone: the file must not be compiled.
func guardFile(f *syntax.File) (tooDeep syntax.Position, ok bool) {
	var g guarder
	g.stmts(f.Stmts)
	return g.tooDeep, !g.tooDeep.IsValid()
}

// guarder rewrites one file; loop counts the enclosing constructs whose code
// can run many times, fn the enclosing function bodies, depth the enclosing
// expressions.
type guarder struct {
	loop, fn, depth int
	tooDeep         syntax.Position // the first expression nested too deep
}

func (g *guarder) repeated() bool { return g.loop > 0 }

func (g *guarder) stmts(ss []syntax.Stmt) {
	for _, s := range ss {
		g.stmt(s)
	}
}

func (g *guarder) body(ss []syntax.Stmt) {
	g.loop++
	g.stmts(ss)
	g.loop--
}

func (g *guarder) stmt(s syntax.Stmt) {
	switch s := s.(type) {
	case *syntax.AssignStmt:
		g.assign(s)
	case *syntax.ExprStmt:
		s.X = g.expr(s.X)
	case *syntax.DefStmt:
		g.params(s.Params)
		g.fn++
		g.body(s.Body)
		g.fn--
	case *syntax.ForStmt:
		s.X = g.expr(s.X)
		g.loop++
		s.Vars = g.target(s.Vars)
		g.loop--
		g.body(s.Body)
	case *syntax.WhileStmt:
		g.loop++
		s.Cond = g.expr(s.Cond)
		g.loop--
		g.body(s.Body)
	case *syntax.IfStmt:
		s.Cond = g.expr(s.Cond)
		g.stmts(s.True)
		g.stmts(s.False)
	case *syntax.ReturnStmt:
		if s.Result != nil {
			s.Result = g.expr(s.Result)
		}
	}
}

func (g *guarder) assign(s *syntax.AssignStmt) {
	op, guarded := augmented[s.Op]
	if s.Op == syntax.EQ || !guarded {
		s.LHS = g.target(s.LHS)
		s.RHS = g.expr(s.RHS)
		return
	}
	name := guardedOps[op]
	opLit := &syntax.Literal{Token: syntax.STRING, TokenPos: s.OpPos, Raw: `"` + name + `"`, Value: name}
	switch t := s.LHS.(type) {
	case *syntax.Ident:
		if g.fn == 0 {
			// Outside functions x is a global, which model files
			// may not bind twice: the resolver refuses the statement.
			s.RHS = g.expr(s.RHS)
			return
		}
		// x op= y: the guard reads x again, which has no effect.
		again := &syntax.Ident{NamePos: t.NamePos, Name: t.Name}
		s.RHS = guardCall(guardGrow, s.OpPos, opLit, again, g.expr(s.RHS))
	case *syntax.IndexExpr:
		// a[b] op= y: a and b are evaluated once, before y; the guard
		// holds them so that the charge can see a[b].
		t.X = guardCall(guardHold, t.Lbrack, g.expr(t.X))
		t.Y = guardCall(guardHold, t.Lbrack, g.key(t.Y, t.Lbrack, false))
		s.RHS = guardCall(guardGrowIndex, s.OpPos, opLit, g.expr(s.RHS))
	default:
		// x.f op= y fails: no value of a model file has settable fields.
		s.LHS = g.target(s.LHS)
		s.RHS = g.expr(s.RHS)
	}
}

// target rewrites the expressions inside an assignment target, not the
// target itself.
func (g *guarder) target(e syntax.Expr) syntax.Expr {
	switch t := e.(type) {
	case *syntax.IndexExpr:
		t.X = g.expr(t.X)
		t.Y = g.key(t.Y, t.Lbrack, g.repeated())
	case *syntax.DotExpr:
		t.X = g.expr(t.X)
	case *syntax.TupleExpr:
		for i, x := range t.List {
			t.List[i] = g.target(x)
		}
	case *syntax.ListExpr:
		for i, x := range t.List {
			t.List[i] = g.target(x)
		}
	case *syntax.ParenExpr:
		t.X = g.target(t.X)
	}
	return e
}

// key rewrites a dict key or an index: guarded unless literal; add charges
// a new entry too.
func (g *guarder) key(k syntax.Expr, pos syntax.Position, add bool) syntax.Expr {
	k = g.expr(k)
	if add {
		return guardCall(guardKeyAdd, pos, k)
	}
	if literal(k) {
		return k
	}
	return guardCall(guardKey, pos, k)
}

func (g *guarder) params(ps []syntax.Expr) {
	for _, p := range ps {
		if b, ok := p.(*syntax.BinaryExpr); ok && b.Op == syntax.EQ {
			b.Y = g.expr(b.Y) // a default value, evaluated where the def is
		}
	}
}

func (g *guarder) exprs(es []syntax.Expr) {
	for i, e := range es {
		es[i] = g.expr(e)
	}
}

// fresh wraps an expression that builds a new value in code that can run
// many times, so that what it builds is charged.
func (g *guarder) fresh(e syntax.Expr, pos syntax.Position) syntax.Expr {
	if g.repeated() {
		return guardCall(guardNew, pos, e)
	}
	return e
}

func (g *guarder) expr(e syntax.Expr) syntax.Expr {
	if g.depth++; g.depth > MaxExprDepth {
		if !g.tooDeep.IsValid() {
			g.tooDeep = syntax.Start(e)
		}
		g.depth--
		return e
	}
	defer func() { g.depth-- }()
	switch e := e.(type) {
	case *syntax.BinaryExpr:
		e.X = g.expr(e.X)
		e.Y = g.expr(e.Y)
		if name, ok := guardedOps[e.Op]; ok && !cheapOperands(e.Op, e.X, e.Y) {
			return guardCall(name, e.OpPos, e.X, e.Y)
		}
	case *syntax.UnaryExpr:
		if e.X != nil {
			e.X = g.expr(e.X)
		}
	case *syntax.CallExpr:
		return g.call(e)
	case *syntax.DotExpr:
		e.X = g.expr(e.X)
		if guardedMethods[e.Name.Name] {
			return guardCall(guardAttr, e.Dot, e.X, nameLit(e.Name))
		}
		return g.fresh(e, e.Dot)
	case *syntax.IndexExpr:
		e.X = g.expr(e.X)
		e.Y = g.key(e.Y, e.Lbrack, false)
	case *syntax.SliceExpr:
		e.X = g.expr(e.X)
		for _, p := range []*syntax.Expr{&e.Lo, &e.Hi, &e.Step} {
			if *p != nil {
				*p = g.expr(*p)
			}
		}
		return g.fresh(e, e.Lbrack)
	case *syntax.ParenExpr:
		e.X = g.expr(e.X)
	case *syntax.ListExpr:
		g.exprs(e.List)
		return g.fresh(e, e.Lbrack)
	case *syntax.TupleExpr:
		g.exprs(e.List)
		if e.Lparen.IsValid() {
			return g.fresh(e, e.Lparen)
		}
		if len(e.List) > 0 {
			return g.fresh(e, syntax.Start(e.List[0]))
		}
	case *syntax.DictExpr:
		for _, x := range e.List {
			if entry, ok := x.(*syntax.DictEntry); ok {
				entry.Key = g.key(entry.Key, entry.Colon, false)
				entry.Value = g.expr(entry.Value)
			}
		}
		return g.fresh(e, e.Lbrace)
	case *syntax.CondExpr:
		e.Cond = g.expr(e.Cond)
		e.True = g.expr(e.True)
		e.False = g.expr(e.False)
	case *syntax.Comprehension:
		g.comprehension(e)
	case *syntax.LambdaExpr:
		g.params(e.Params)
		g.loop++
		e.Body = g.expr(e.Body)
		g.loop--
	}
	return e
}

// call rewrites a call: a call of a guarded method becomes a call of
// .call; *args and **kwargs copy their operand, charged in repeated code.
func (g *guarder) call(e *syntax.CallExpr) syntax.Expr {
	for i, a := range e.Args {
		switch a := a.(type) {
		case *syntax.BinaryExpr:
			if a.Op == syntax.EQ {
				a.Y = g.expr(a.Y) // name = value
				continue
			}
		case *syntax.UnaryExpr:
			if a.Op == syntax.STAR || a.Op == syntax.STARSTAR {
				a.X = g.fresh(g.expr(a.X), a.OpPos)
				continue
			}
		}
		e.Args[i] = g.expr(a)
	}
	if dot, ok := e.Fn.(*syntax.DotExpr); ok {
		if guardedMethods[dot.Name.Name] {
			args := append([]syntax.Expr{g.expr(dot.X), nameLit(dot.Name)}, e.Args...)
			return &syntax.CallExpr{Fn: &syntax.Ident{NamePos: e.Lparen, Name: guardCallName}, Lparen: e.Lparen, Args: args, Rparen: e.Rparen}
		}
		// A method called at once builds no value of its own.
		dot.X = g.expr(dot.X)
		return e
	}
	e.Fn = g.expr(e.Fn)
	return e
}

// comprehension rewrites a comprehension. Its first iterable is evaluated
// once, where the comprehension is; the rest runs once per element.
func (g *guarder) comprehension(e *syntax.Comprehension) {
	for i, c := range e.Clauses {
		if i > 0 {
			g.loop++
		}
		switch c := c.(type) {
		case *syntax.ForClause:
			c.X = g.expr(c.X)
			g.loop++
			c.Vars = g.target(c.Vars)
			g.loop--
		case *syntax.IfClause:
			c.Cond = g.expr(c.Cond)
		}
		if i > 0 {
			g.loop--
		}
	}
	g.loop++
	defer func() { g.loop-- }()
	if entry, ok := e.Body.(*syntax.DictEntry); ok {
		entry.Key = g.key(entry.Key, entry.Colon, true)
		entry.Value = g.expr(entry.Value)
		return
	}
	e.Body = guardCall(guardElem, syntax.Start(e.Body), g.expr(e.Body))
}

// cheapOperands reports whether an operation cannot build or traverse much
// whatever its other operand: a comparison with a literal, or arithmetic
// with a number literal (except *, which repeats, % of a string, which
// formats, and x << n, which can grow x by hundreds of bits).
func cheapOperands(op syntax.Token, x, y syntax.Expr) bool {
	switch op {
	case syntax.EQL, syntax.NEQ, syntax.LT, syntax.LE, syntax.GT, syntax.GE, syntax.IN, syntax.NOT_IN:
		return literal(x) || literal(y)
	case syntax.PLUS, syntax.MINUS, syntax.AMP, syntax.CIRCUMFLEX, syntax.PIPE:
		return number(x) || number(y)
	case syntax.PERCENT, syntax.LTLT:
		return number(x)
	}
	return false
}

// literal reports whether e is a string, bytes or number literal.
func literal(e syntax.Expr) bool {
	switch e := e.(type) {
	case *syntax.Literal:
		return true
	case *syntax.ParenExpr:
		return literal(e.X)
	case *syntax.UnaryExpr:
		return (e.Op == syntax.MINUS || e.Op == syntax.PLUS) && number(e.X)
	}
	return false
}

// number reports whether e is a number literal.
func number(e syntax.Expr) bool {
	switch e := e.(type) {
	case *syntax.Literal:
		return e.Token == syntax.INT || e.Token == syntax.FLOAT
	case *syntax.ParenExpr:
		return number(e.X)
	case *syntax.UnaryExpr:
		return (e.Op == syntax.MINUS || e.Op == syntax.PLUS) && number(e.X)
	}
	return false
}

// nameLit is a string literal of a method name, for the guard's argument.
func nameLit(id *syntax.Ident) *syntax.Literal {
	return &syntax.Literal{Token: syntax.STRING, TokenPos: id.NamePos, Raw: `"` + id.Name + `"`, Value: id.Name}
}

// guardCall builds a call of a guard builtin placed at pos, so that an
// error points there.
func guardCall(name string, pos syntax.Position, args ...syntax.Expr) *syntax.CallExpr {
	return &syntax.CallExpr{Fn: &syntax.Ident{NamePos: pos, Name: name}, Lparen: pos, Args: args, Rparen: pos}
}
