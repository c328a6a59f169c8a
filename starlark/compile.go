package starlark

import (
	"errors"
	"slices"
	"strings"

	"go.starlark.net/resolve"
	sl "go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// fileOptions are the Starlark dialect of model files:
//   - set() is available (it is deterministic: insertion-ordered);
//   - if and for statements may appear at top level, so a file can build
//     lists in loops;
//   - while loops and recursion are off: a model is data, and every loop
//     then visibly ends (the step limit still bounds the rest);
//   - a global may be bound only once, so a name means one thing per file.
var fileOptions = &syntax.FileOptions{Set: true, TopLevelControl: true}

// compiledFile is a parsed and compiled model file, shared through the Cache
// by every evaluation that sees the same path and content.
type compiledFile struct {
	path  string
	hash  string      // content hash; empty without a cache
	prog  *sl.Program // nil once executed, without a cache
	sites *fileSites
	// compiled is whether the file compiled (without diags).
	compiled bool
	// noFuncs is whether the file defines no function (the fast parser
	// takes no def or lambda), so that its code runs only while the file
	// itself is executed.
	noFuncs bool
	loads   []loadStmt
	globals []globalBinding
	// diags holds the file's syntax and name errors; prog is nil when
	// there are any.
	diags []ecosystem.Diagnostic
}

// loadStmt is one load statement: the module string as written, and its position.
type loadStmt struct {
	module string
	pos    ecosystem.Pos
}

// fastParsing turns the fast parser on; tests turn it off to compare.
var fastParsing = true

func isPredeclared(name string) bool { return predeclared().Has(name) }

// compileFile parses, resolves and compiles one file. The fast parser
// (fastParse) handles the data-like files that make up most of a model and
// builds the call-site table and the load list as it goes; other files are
// parsed by go.starlark.net and their tree walked once for both. The tree is
// then handed to the compiler and dropped.
func compileFile(path string, src []byte, a *astArena) *compiledFile {
	cf := &compiledFile{path: path}
	var f *syntax.File
	var sites *fileSites
	var loads []loadStmt
	ok := false
	if fastParsing {
		f, sites, loads, ok = fastParse(path, src, a)
	}
	cf.noFuncs = ok
	if !ok {
		var err error
		f, err = fileOptions.Parse(path, src, 0)
		if err != nil {
			cf.diags = syntaxDiags(path, err)
			return cf
		}
		for _, stmt := range f.Stmts {
			if ls, ok := stmt.(*syntax.LoadStmt); ok {
				m, _ := ls.Module.Value.(string)
				loads = append(loads, loadStmt{module: m, pos: toPos(ls.Module.TokenPos)})
			}
		}
		sites = buildSites(f)
	}
	cf.loads, cf.sites = loads, sites
	if pos, ok := guardFile(f); !ok {
		cf.diags = []ecosystem.Diagnostic{withHint(newDiag(RuleSyntax, toPos(pos),
			"expression nested more than "+formatInt(MaxExprDepth)+" levels deep (MaxExprDepth, a fixed limit; chains of operators, indexes and calls count)"),
			"split the expression: build its parts in separate statements or loop over a list")}
		return cf
	}
	prog, err := sl.FileProgram(f, isPredeclared)
	if err != nil {
		// Resolving binds names but changes no statement, so the file's
		// globals still read from the tree.
		cf.diags = resolveDiags(path, err, topLevelNames(f))
		return cf
	}
	cf.prog, cf.compiled = prog, true
	if m, ok := f.Module.(*resolve.Module); ok {
		cf.globals = make([]globalBinding, 0, len(m.Globals))
		for _, b := range m.Globals {
			if b.First != nil {
				cf.globals = append(cf.globals, globalBinding{name: b.First.Name, pos: toPos(b.First.NamePos)})
			}
		}
	}
	return cf
}

// globalBinding is where a file first binds a global.
type globalBinding struct {
	name string
	pos  ecosystem.Pos
}

// globalPos is where the file binds the named global, or its start.
func (cf *compiledFile) globalPos(name string) ecosystem.Pos {
	for _, g := range cf.globals {
		if g.name == name {
			return g.pos
		}
	}
	return ecosystem.Pos{File: cf.path, Line: 1, Col: 1}
}

func syntaxDiags(path string, err error) []ecosystem.Diagnostic {
	var se syntax.Error
	if errors.As(err, &se) {
		return []ecosystem.Diagnostic{newDiag(RuleSyntax, toPos(se.Pos), "syntax error: "+se.Msg)}
	}
	return []ecosystem.Diagnostic{newDiag(RuleSyntax, ecosystem.Pos{File: path}, "syntax error: "+err.Error())}
}

// resolveDiags converts the resolver's errors. Unknown names get a
// did-you-mean over the builtins, Starlark's universe and the file's
// globals, which the resolver's own suggestion does not cover.
func resolveDiags(path string, err error, globals []string) []ecosystem.Diagnostic {
	var list resolve.ErrorList
	if !errors.As(err, &list) {
		return []ecosystem.Diagnostic{newDiag(RuleSyntax, ecosystem.Pos{File: path}, err.Error())}
	}
	var out []ecosystem.Diagnostic
	for _, e := range list {
		pos := toPos(e.Pos)
		name, found := strings.CutPrefix(e.Msg, "undefined: ")
		if !found {
			out = append(out, newDiag(RuleSyntax, pos, explainResolveError(e.Msg)))
			continue
		}
		suggestion := ""
		if base, hint, ok := strings.Cut(name, " (did you mean "); ok {
			name, suggestion = base, strings.TrimSuffix(hint, "?)")
		}
		if suggestion == "" {
			suggestion = nearest(name, slices.Concat(builtinNames(), globals))
		}
		msg := "undefined name " + quote(name)
		if suggestion != "" {
			msg += ": did you mean " + quote(suggestion) + "?"
		}
		out = append(out, newDiag(RuleUnknownName, pos, msg))
	}
	return out
}

// explainResolveError adds the model language's reason to the resolver's
// messages about the features it turns off.
func explainResolveError(msg string) string {
	switch {
	case strings.Contains(msg, "while loop"):
		return msg + " (model files have no while loops: use for over a range or a list)"
	case strings.Contains(msg, "redeclared") || strings.Contains(msg, "reassign"):
		return msg + " (a global is bound once per file: use a new name)"
	}
	return msg
}

// topLevelNames returns the names a file binds at top level, sorted.
func topLevelNames(f *syntax.File) []string {
	var names []string
	var bind func(e syntax.Expr)
	bind = func(e syntax.Expr) {
		switch x := e.(type) {
		case *syntax.Ident:
			names = append(names, x.Name)
		case *syntax.TupleExpr:
			for _, el := range x.List {
				bind(el)
			}
		case *syntax.ListExpr:
			for _, el := range x.List {
				bind(el)
			}
		case *syntax.ParenExpr:
			bind(x.X)
		}
	}
	for _, stmt := range f.Stmts {
		switch s := stmt.(type) {
		case *syntax.AssignStmt:
			bind(s.LHS)
		case *syntax.DefStmt:
			names = append(names, s.Name.Name)
		case *syntax.LoadStmt:
			for _, id := range s.To {
				names = append(names, id.Name)
			}
		case *syntax.ForStmt:
			bind(s.Vars)
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}
