package starlark

import (
	"strconv"
	"strings"
	"time"

	sl "go.starlark.net/starlark"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// The converters below read one argument each. They never fail outright: on
// a bad argument they record the call's first error (see call.fail) and
// return the zero value, so a builtin reads all its arguments in a row and
// checks c.err once. An omitted optional argument, or None, gives the zero
// value or the stated default.

// absent reports whether an argument was omitted or passed as None.
func (c *call) absent(p param) bool {
	v := c.args[p]
	return v == nil || v == sl.None
}

// str reads a string argument.
func (c *call) str(p param) string {
	switch v := c.args[p].(type) {
	case sl.String:
		return string(v)
	case nil:
		return ""
	case sl.NoneType:
		if c.spec.params[p].Required {
			c.typeError(p, v, "string")
		}
		return ""
	}
	c.typeError(p, c.args[p], "string")
	return ""
}

// boolean reads a bool argument.
func (c *call) boolean(p param, def bool) bool {
	switch v := c.args[p].(type) {
	case sl.Bool:
		return bool(v)
	case nil, sl.NoneType:
		return def
	}
	c.typeError(p, c.args[p], "bool")
	return def
}

// integer reads an int argument that must fit in [lo, hi].
func (c *call) integer(p param, lo, hi int64) int {
	switch v := c.args[p].(type) {
	case sl.Int:
		n, ok := v.Int64()
		if !ok || n < lo || n > hi {
			c.badValue(p, shortRepr(v)+" is out of range: want "+formatInt(lo)+" to "+formatInt(hi),
				"use a value from "+formatInt(lo)+" to "+formatInt(hi))
			return 0
		}
		return int(n)
	case nil, sl.NoneType:
		return 0
	}
	c.typeError(p, c.args[p], "int")
	return 0
}

// sequence returns a list or tuple argument, or nil when absent.
func (c *call) sequence(p param, want string) sl.Indexable {
	switch v := c.args[p].(type) {
	case *sl.List:
		return v
	case sl.Tuple:
		return v
	case nil, sl.NoneType:
		return nil
	}
	c.typeError(p, c.args[p], want)
	return nil
}

// strings reads a list (or tuple) of strings.
func (c *call) strings(p param) []string {
	seq := c.sequence(p, "list of string")
	if seq == nil || seq.Len() == 0 {
		return nil
	}
	out := make([]string, seq.Len())
	for i := range out {
		s, ok := seq.Index(i).(sl.String)
		if !ok {
			c.elemTypeError(p, i, seq.Index(i), "string")
			return nil
		}
		out[i] = string(s)
	}
	return out
}

// stringOrList reads a string or a list of strings, as a list.
func (c *call) stringOrList(p param) []string {
	if s, ok := c.args[p].(sl.String); ok {
		return []string{string(s)}
	}
	switch c.args[p].(type) {
	case *sl.List, sl.Tuple, nil, sl.NoneType:
		return c.strings(p)
	}
	c.typeError(p, c.args[p], "string or list of string")
	return nil
}

// enum reads a string argument that must be one of allowed; def is used when
// the argument is omitted or None.
func (c *call) enum(p param, def string, allowed []string) string {
	if c.absent(p) {
		return def
	}
	s := c.str(p)
	if c.err != nil {
		return def
	}
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	msg := c.spec.name + ": argument " + c.spec.params[p].Name + ": " + quote(s) + " is not one of " + quoteList(allowed)
	if n := nearest(s, allowed); n != "" {
		msg += ": did you mean " + quote(n) + "?"
	}
	c.fail(withHint(newDiag(RuleBadValue, c.argPos(p), msg), "use one of "+quoteList(allowed)))
	return def
}

// date reads a "YYYY-MM-DD" date, as midnight UTC.
func (c *call) date(p param) time.Time {
	s := c.str(p)
	if c.err != nil {
		return time.Time{}
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		c.fail(withHint(newDiag(RuleBadValue, c.argPos(p), c.spec.name+": argument "+c.spec.params[p].Name+": "+
			quote(s)+" is not a date"), `write the date as "YYYY-MM-DD" (UTC), such as "2026-06-30"`))
		return time.Time{}
	}
	return t.UTC()
}

// meta reads the doc and tags arguments.
func (c *call) meta() ecosystem.Meta {
	var m ecosystem.Meta
	if c.spec.docIdx >= 0 {
		m.Doc = c.str(param(c.spec.docIdx))
	}
	if c.spec.tagsIdx >= 0 {
		m.Tags = c.tags(param(c.spec.tagsIdx))
	}
	return m
}

// tags reads a dict of string to string.
func (c *call) tags(p param) map[string]string {
	switch v := c.args[p].(type) {
	case nil, sl.NoneType:
		return nil
	case *sl.Dict:
		if v.Len() == 0 {
			return nil
		}
		out := make(map[string]string, v.Len())
		for _, kv := range v.Items() {
			k, ok1 := kv[0].(sl.String)
			val, ok2 := kv[1].(sl.String)
			if !ok1 || !ok2 {
				c.fail(newDiag(RuleArgumentType, c.argPos(p), c.spec.name+": argument "+c.spec.params[p].Name+
					": got entry "+shortRepr(kv[0])+": "+shortRepr(kv[1])+", want string keys and string values"))
				return nil
			}
			out[string(k)] = string(val)
		}
		return out
	}
	c.typeError(p, c.args[p], "dict of string to string")
	return nil
}

// maxOptionDepth bounds the nesting of platform options, which also stops a
// list that contains itself.
const maxOptionDepth = 32

// options reads a dict of JSON-like values: str, int, float, bool, and lists
// and dicts (with string keys) of them.
func (c *call) options(p param) map[string]any {
	if c.absent(p) {
		return nil
	}
	d, ok := c.args[p].(*sl.Dict)
	if !ok {
		c.typeError(p, c.args[p], "dict with string keys")
		return nil
	}
	// The options become Go values of about an entry each: count them
	// (as the walk stops at cycles, shared parts and the time limit)
	// and charge them before converting.
	w := newWalker(c.thread, opName{c.spec.name, ": argument ", c.spec.params[p].Name})
	if c.st.ev != nil {
		w.limit = min(w.limit, remaining(c.st)/entryBytes)
	}
	if w.options(d, 0); w.err == nil && c.st.ev != nil {
		w.err = c.st.charge(func() ecosystem.Pos { return c.argPos(p) }, w.what, mulSize(w.nodes, entryBytes))
	}
	if w.err != nil {
		if c.err == nil {
			c.err = w.err
		}
		return nil
	}
	v, what := optionValue(d, 0)
	if what != "" {
		c.fail(newDiag(RuleArgumentType, c.argPos(p), c.spec.name+": argument "+c.spec.params[p].Name+": "+what))
		return nil
	}
	m, _ := v.(map[string]any)
	return m
}

// optionValue converts one option value; what is non-empty on failure and
// says which value is wrong.
func optionValue(v sl.Value, depth int) (any, string) {
	if depth > maxOptionDepth {
		return nil, "values are nested more than " + formatInt(int64(maxOptionDepth)) + " deep"
	}
	switch x := v.(type) {
	case sl.String:
		return string(x), ""
	case sl.Bool:
		return bool(x), ""
	case sl.Int:
		n, ok := x.Int64()
		if !ok {
			return nil, shortRepr(x) + " does not fit in 64 bits"
		}
		return n, ""
	case sl.Float:
		return float64(x), ""
	case *sl.List, sl.Tuple:
		seq := x.(sl.Indexable)
		out := make([]any, seq.Len())
		for i := range out {
			e, what := optionValue(seq.Index(i), depth+1)
			if what != "" {
				return nil, what
			}
			out[i] = e
		}
		return out, ""
	case *sl.Dict:
		out := make(map[string]any, x.Len())
		for _, kv := range x.Items() {
			k, ok := kv[0].(sl.String)
			if !ok {
				return nil, "key " + shortRepr(kv[0]) + " is " + kv[0].Type() + ", want string"
			}
			e, what := optionValue(kv[1], depth+1)
			if what != "" {
				return nil, what
			}
			out[string(k)] = e
		}
		return out, ""
	}
	return nil, "got " + v.Type() + " " + shortRepr(v) + ", want string, int, float, bool, list or dict"
}

// objectArg reads one object made by a builtin of type T; want names the
// accepted builtins for the message.
func objectArg[T any](c *call, p param, want string) *T {
	switch v := c.args[p].(type) {
	case *object[T]:
		return v.val
	case nil, sl.NoneType:
		if c.spec.params[p].Required {
			c.typeError(p, c.args[p], want)
		}
		return nil
	}
	c.typeError(p, c.args[p], want)
	return nil
}

// objectList reads a list (or tuple) of objects of type T.
func objectList[T any](c *call, p param, want string) []*T {
	seq := c.sequence(p, "list of "+want)
	if seq == nil || seq.Len() == 0 {
		return nil
	}
	out := make([]*T, seq.Len())
	for i := range out {
		o, ok := seq.Index(i).(*object[T])
		if !ok {
			c.elemTypeError(p, i, seq.Index(i), want)
			return nil
		}
		out[i] = o.val
	}
	return out
}

// typeError reports an argument of the wrong type:
// `column: argument nullable: got string "yes", want bool`.
func (c *call) typeError(p param, v sl.Value, want string) {
	got := "None"
	if v != nil {
		got = v.Type() + " " + shortRepr(v)
	}
	c.fail(newDiag(RuleArgumentType, c.argPos(p), c.spec.name+": argument "+c.spec.params[p].Name+": got "+got+", want "+want))
}

// elemTypeError reports a list element of the wrong type.
func (c *call) elemTypeError(p param, i int, v sl.Value, want string) {
	c.fail(newDiag(RuleArgumentType, c.argPos(p), c.spec.name+": argument "+c.spec.params[p].Name+": element "+
		formatInt(int64(i))+" is "+v.Type()+" "+shortRepr(v)+", want "+want))
}

// badValue reports an argument with a value that is not allowed.
func (c *call) badValue(p param, msg, hint string) {
	c.fail(withHint(newDiag(RuleBadValue, c.argPos(p), c.spec.name+": argument "+c.spec.params[p].Name+": "+msg), hint))
}

func quoteList(vals []string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = quote(v)
	}
	return strings.Join(q, ", ")
}

func formatInt(n int64) string { return strconv.FormatInt(n, 10) }
