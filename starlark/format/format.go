// Package format lays out the Starlark files of a DataSurface model in one
// canonical way, so that model authors, reviewers and generators never argue
// about indentation, line breaks or quotes: it is what dsl fmt runs.
//
// The printer is github.com/bazelbuild/buildtools' build package (the one
// behind buildifier), used in its generic Starlark mode and without any of
// its rewrites. BUILD-file mode would sort lists and call arguments and
// rewrite labels, and even the generic mode's default rewrites move and merge
// load statements; a model's order is meaningful to its readers (columns,
// datasets, policies) and load order is the author's, so Source changes only
// layout: whitespace, indentation, line breaks, quotes and the place of
// comments, and keeps every comment.
//
// Source checks that promise on every call. It parses the input with
// go.starlark.net, in the dialect the model evaluator uses, so a file that
// would not evaluate is reported as it would be by dsl lint (file:line:col),
// and it parses the output again and compares both syntax trees, positions
// aside, and both lists of comments: a layout that would change the meaning
// or drop a comment is refused with an error rather than returned. The
// output is a fixed point: Source(name, out) returns out.
package format

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"reflect"
	"slices"
	"strings"

	"github.com/bazelbuild/buildtools/build"
	"go.starlark.net/syntax"
)

// Error is a file that cannot be formatted: a syntax error at File:Line:Col
// (1-based), or, with Line 0, a file the formatter would have changed in
// meaning.
type Error struct {
	File string
	Line int
	Col  int
	Msg  string
}

// Error returns "file:line:col: message", or "file: message" without a
// position.
func (e *Error) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// dialect is the Starlark dialect of model files. It must match the
// evaluator's (package starlark, compile.go): sets and top-level if/for are
// allowed, while loops and global reassignment are not. A file this dialect
// rejects would not evaluate, so formatting it is refused with the same
// error dsl lint gives.
var dialect = &syntax.FileOptions{Set: true, TopLevelControl: true}

// maxPasses bounds how many times the printer runs on its own output to
// reach a fixed point. The printer settles in one pass on every file seen so
// far; the bound keeps a printer bug from looping.
const maxPasses = 3

// Source returns src, the contents of the model file name, formatted. name
// is used only in errors. A syntax error is returned as an *Error naming
// name:line:col; so is an input the formatter cannot lay out without changing
// its meaning or losing a comment (then without a position). Source never
// returns partial output: on error the result is nil.
func Source(name string, src []byte) ([]byte, error) {
	before, err := parse(name, src)
	if err != nil {
		return nil, err
	}
	out := src
	for range maxPasses {
		next, err := layout(name, out)
		if err != nil {
			return nil, err
		}
		if bytes.Equal(next, out) {
			break
		}
		out = next
	}
	after, err := parse(name, out)
	if err != nil {
		return nil, &Error{File: name, Msg: "the formatter produced text that does not parse (" + err.Error() + "); the file is left as it is"}
	}
	if !slices.Equal(before.tree, after.tree) {
		return nil, &Error{File: name, Msg: "the formatter would change what the file means; the file is left as it is"}
	}
	if !slices.Equal(before.comments, after.comments) {
		return nil, &Error{File: name, Msg: "the formatter would drop or change a comment; the file is left as it is"}
	}
	if again, err := layout(name, out); err != nil || !bytes.Equal(again, out) {
		return nil, &Error{File: name, Msg: "the formatter does not settle on one layout for this file; the file is left as it is"}
	}
	return out, nil
}

// IsFormatted reports whether src is already formatted, and returns the
// error Source would.
func IsFormatted(name string, src []byte) (bool, error) {
	out, err := Source(name, src)
	if err != nil {
		return false, err
	}
	return bytes.Equal(out, src), nil
}

// layout runs buildtools' printer once, without rewrites.
func layout(name string, src []byte) ([]byte, error) {
	f, err := build.ParseDefault(name, src)
	if err != nil {
		var pe build.ParseError
		if errors.As(err, &pe) {
			return nil, &Error{File: name, Line: pe.Pos.Line, Col: pe.Pos.LineRune, Msg: pe.Message}
		}
		return nil, &Error{File: name, Msg: err.Error()}
	}
	return build.FormatWithoutRewriting(f), nil
}

// parsed is what the formatter must keep: the syntax tree without
// positions, and the comments in order.
type parsed struct {
	tree     []string
	comments []string
}

// parse parses src in the model dialect and flattens its syntax tree and
// comments.
func parse(name string, src []byte) (*parsed, error) {
	f, err := dialect.Parse(name, src, syntax.RetainComments)
	if err != nil {
		var se syntax.Error
		if errors.As(err, &se) {
			return nil, &Error{File: name, Line: int(se.Pos.Line), Col: int(se.Pos.Col), Msg: se.Msg}
		}
		return nil, &Error{File: name, Msg: err.Error()}
	}
	p := &parsed{}
	flatten(reflect.ValueOf(f), &p.tree)
	type located struct {
		pos  syntax.Position
		text string
	}
	var cs []located
	syntax.Walk(f, func(n syntax.Node) bool {
		if n == nil {
			return true // Walk's signal that a node's children are done
		}
		if c := n.Comments(); c != nil {
			for _, group := range [][]syntax.Comment{c.Before, c.Suffix, c.After} {
				for _, com := range group {
					cs = append(cs, located{com.Start, strings.TrimRight(com.Text, " \t\r")})
				}
			}
		}
		return true
	})
	// A comment may move from after one node to before the next; what
	// matters is that each is kept and that their order is.
	slices.SortStableFunc(cs, func(a, b located) int {
		if a.pos.Line != b.pos.Line {
			return int(a.pos.Line - b.pos.Line)
		}
		return int(a.pos.Col - b.pos.Col)
	})
	for _, c := range cs {
		p.comments = append(p.comments, c.text)
	}
	return p, nil
}

var (
	positionType = reflect.TypeFor[syntax.Position]()
	tokenType    = reflect.TypeFor[syntax.Token]()
)

// flatten appends a position-free description of a syntax node to out:
// node types, operators, names and literal values, with a marker for every
// absent child so that a[1:] and a[:1] differ. Parentheses are left out:
// they group what the tree already groups, and the printer may add or
// remove redundant ones.
func flatten(v reflect.Value, out *[]string) {
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			*out = append(*out, "nil")
			return
		}
		if p, ok := v.Interface().(*syntax.ParenExpr); ok {
			flatten(reflect.ValueOf(p.X), out)
			return
		}
		if l, ok := v.Interface().(*syntax.Literal); ok {
			*out = append(*out, "Literal "+l.Token.String()+" "+literalValue(l.Value))
			return
		}
		if v.Kind() == reflect.Pointer && v.Elem().Kind() == reflect.Struct {
			*out = append(*out, "("+v.Elem().Type().Name())
			flatten(v.Elem(), out)
			*out = append(*out, ")")
			return
		}
		flatten(v.Elem(), out)
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			// Positions, comments and the resolver's annotations
			// (unexported, or Binding/Function set after parsing) are
			// not part of what the source says.
			if !f.IsExported() || f.Type == positionType || f.Name == "Binding" || f.Name == "Function" {
				continue
			}
			*out = append(*out, f.Name+":")
			flatten(v.Field(i), out)
		}
	case reflect.Slice:
		*out = append(*out, fmt.Sprintf("[%d", v.Len()))
		for i := range v.Len() {
			flatten(v.Index(i), out)
		}
		*out = append(*out, "]")
	default:
		if v.Type() == tokenType {
			*out = append(*out, v.Interface().(syntax.Token).String())
			return
		}
		*out = append(*out, fmt.Sprintf("%v", v.Interface()))
	}
}

// literalValue describes a literal's value: its Go type and value, quoted
// so that "1" and 1 differ.
func literalValue(v any) string {
	switch v := v.(type) {
	case *big.Int:
		return "int " + v.String()
	case string:
		return fmt.Sprintf("%T %q", v, v)
	default:
		return fmt.Sprintf("%T %#v", v, v)
	}
}
