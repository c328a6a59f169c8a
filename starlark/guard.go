package starlark

import (
	"go.starlark.net/syntax"
)

// Memory and CPU guards.
//
// go.starlark.net's step limit counts bytecode instructions, and one
// instruction can run for long or allocate much: "x" * (1 << 27) builds
// 128 MiB in one step, "".join([s] * 20) gigabytes, str() of a list nested
// 300,000 deep takes minutes. The interpreter has no allocation accounting,
// so before a file is compiled, guardFile rewrites every operation that can
// build a value much larger than its inputs into a call of a guard builtin
// that charges the result's size to the file's memory budget (see
// WithMaxMemory) and bounds the depth of what it converts to text, then does
// exactly what the operation would have done:
//
//   - the binary operators +, *, % and |;
//   - the augmented assignments +=, *=, %= and |=, whose in-place semantics
//     are kept: only their right operand is wrapped, in a guard that charges
//     the growth and returns it unchanged;
//   - the methods that build large values (join, replace, format, extend,
//     update, union), wherever they are looked up, so a method value kept in
//     a variable is guarded too;
//   - and, in predeclared, the builtins that copy or convert a whole value
//     (str, repr, print, fail, list, tuple, dict, set, sorted, getattr).
//
// Loops are bounded by the step limit, one element per step, so only these
// operations can outgrow it. The guard builtins' names are not identifiers,
// so model code can neither call nor shadow them.

// The names of the guard builtins the rewrite calls.
const (
	guardAdd  = "+"
	guardMul  = "*"
	guardMod  = "%"
	guardPipe = "|"
	guardGrow = "+="    // guardGrow(op, x, y) charges x op= y and returns y
	guardAttr = ".attr" // guardAttr(x, name) is x.name, guarded
)

// guardedMethods are the methods whose result can be much larger than the
// receiver and arguments together.
var guardedMethods = map[string]bool{
	"join": true, "replace": true, "format": true, "extend": true, "update": true, "union": true,
}

// guardFile rewrites f in place (see above).
func guardFile(f *syntax.File) {
	g := guarder{}
	for _, s := range f.Stmts {
		g.stmt(s)
	}
}

type guarder struct{}

func (g guarder) stmts(ss []syntax.Stmt) {
	for _, s := range ss {
		g.stmt(s)
	}
}

func (g guarder) stmt(s syntax.Stmt) {
	switch s := s.(type) {
	case *syntax.AssignStmt:
		s.LHS = g.target(s.LHS)
		s.RHS = g.expr(s.RHS)
		if op, ok := augmented[s.Op]; ok && pure(s.LHS) {
			// x op= y keeps its in-place meaning; the guard sees the
			// current x (evaluated once more, which a pure target allows)
			// and passes y through once the growth is charged.
			s.RHS = guardCall(guardGrow, s.OpPos, &syntax.Literal{Token: syntax.STRING, TokenPos: s.OpPos, Raw: `"` + op + `"`, Value: op}, s.LHS, s.RHS)
		}
	case *syntax.ExprStmt:
		s.X = g.expr(s.X)
	case *syntax.DefStmt:
		g.params(s.Params)
		g.stmts(s.Body)
	case *syntax.ForStmt:
		s.Vars = g.target(s.Vars)
		s.X = g.expr(s.X)
		g.stmts(s.Body)
	case *syntax.WhileStmt:
		s.Cond = g.expr(s.Cond)
		g.stmts(s.Body)
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

// augmented maps an augmented assignment to its operator.
var augmented = map[syntax.Token]string{
	syntax.PLUS_EQ: "+", syntax.STAR_EQ: "*", syntax.PERCENT_EQ: "%", syntax.PIPE_EQ: "|",
}

// pure reports whether evaluating e twice has no effect beyond once: a
// name, a literal, or an index or field of such.
func pure(e syntax.Expr) bool {
	switch e := e.(type) {
	case *syntax.Ident, *syntax.Literal:
		return true
	case *syntax.IndexExpr:
		return pure(e.X) && pure(e.Y)
	case *syntax.DotExpr:
		return pure(e.X)
	case *syntax.ParenExpr:
		return pure(e.X)
	}
	return false
}

// target rewrites the expressions inside an assignment target, not the
// target itself.
func (g guarder) target(e syntax.Expr) syntax.Expr {
	switch t := e.(type) {
	case *syntax.IndexExpr:
		t.X = g.expr(t.X)
		t.Y = g.expr(t.Y)
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

func (g guarder) params(ps []syntax.Expr) {
	for _, p := range ps {
		if b, ok := p.(*syntax.BinaryExpr); ok && b.Op == syntax.EQ {
			b.Y = g.expr(b.Y) // a default value
		}
	}
}

func (g guarder) exprs(es []syntax.Expr) {
	for i, e := range es {
		es[i] = g.expr(e)
	}
}

func (g guarder) expr(e syntax.Expr) syntax.Expr {
	switch e := e.(type) {
	case *syntax.BinaryExpr:
		e.X = g.expr(e.X)
		e.Y = g.expr(e.Y)
		if name, ok := guardedOps[e.Op]; ok {
			return guardCall(name, e.OpPos, e.X, e.Y)
		}
	case *syntax.UnaryExpr:
		if e.X != nil {
			e.X = g.expr(e.X)
		}
	case *syntax.CallExpr:
		e.Fn = g.expr(e.Fn)
		for i, a := range e.Args {
			if b, ok := a.(*syntax.BinaryExpr); ok && b.Op == syntax.EQ {
				b.Y = g.expr(b.Y) // name = value
				continue
			}
			e.Args[i] = g.expr(a)
		}
	case *syntax.DotExpr:
		e.X = g.expr(e.X)
		if guardedMethods[e.Name.Name] {
			name := &syntax.Literal{Token: syntax.STRING, TokenPos: e.NamePos, Raw: `"` + e.Name.Name + `"`, Value: e.Name.Name}
			return guardCall(guardAttr, e.Dot, e.X, name)
		}
	case *syntax.IndexExpr:
		e.X = g.expr(e.X)
		e.Y = g.expr(e.Y)
	case *syntax.SliceExpr:
		e.X = g.expr(e.X)
		for _, p := range []*syntax.Expr{&e.Lo, &e.Hi, &e.Step} {
			if *p != nil {
				*p = g.expr(*p)
			}
		}
	case *syntax.ParenExpr:
		e.X = g.expr(e.X)
	case *syntax.ListExpr:
		g.exprs(e.List)
	case *syntax.TupleExpr:
		g.exprs(e.List)
	case *syntax.DictExpr:
		for _, x := range e.List {
			if entry, ok := x.(*syntax.DictEntry); ok {
				entry.Key = g.expr(entry.Key)
				entry.Value = g.expr(entry.Value)
			}
		}
	case *syntax.CondExpr:
		e.Cond = g.expr(e.Cond)
		e.True = g.expr(e.True)
		e.False = g.expr(e.False)
	case *syntax.Comprehension:
		e.Body = g.expr(e.Body)
		for _, c := range e.Clauses {
			switch c := c.(type) {
			case *syntax.ForClause:
				c.Vars = g.target(c.Vars)
				c.X = g.expr(c.X)
			case *syntax.IfClause:
				c.Cond = g.expr(c.Cond)
			}
		}
	case *syntax.LambdaExpr:
		g.params(e.Params)
		e.Body = g.expr(e.Body)
	}
	return e
}

var guardedOps = map[syntax.Token]string{
	syntax.PLUS: guardAdd, syntax.STAR: guardMul, syntax.PERCENT: guardMod, syntax.PIPE: guardPipe,
}

// guardCall builds a call of a guard builtin placed at the operator, so an
// error points where the operator is.
func guardCall(name string, pos syntax.Position, args ...syntax.Expr) *syntax.CallExpr {
	return &syntax.CallExpr{Fn: &syntax.Ident{NamePos: pos, Name: name}, Lparen: pos, Args: args, Rparen: pos}
}
