package starlark

import (
	"fmt"
	"strings"
	"unicode"

	sl "go.starlark.net/starlark"
)

// The guards of the methods of strings, lists, dicts and sets that build
// more than a few values or hash or compare their arguments
// (guardedMethods): a call x.name(...) is rewritten into .call(x, "name",
// ...), and a lookup x.name that is not called into .attr(x, "name"), which
// returns the method wrapped in a guardedMethod.

// guardCallFn is x.name(args...) for a guarded method name.
var guardCallFn = sl.NewBuiltin(guardCallName, func(thread *sl.Thread, _ *sl.Builtin, args sl.Tuple, kwargs []sl.Tuple) (sl.Value, error) {
	if len(args) < 2 {
		return nil, errGuardCall(guardCallName)
	}
	name, ok := args[1].(sl.String)
	if !ok {
		return nil, errGuardCall(guardCallName)
	}
	if l, ok := args[0].(*sl.List); ok && name == "append" && len(args) == 3 && len(kwargs) == 0 {
		// The commonest call in a loop, done here as list.append does it.
		if err := charge(thread, opName{"list.append()"}, elemBytes); err != nil {
			return nil, err
		}
		if err := l.Append(args[2]); err != nil {
			return nil, fmt.Errorf("append: %v", err)
		}
		return sl.None, nil
	}
	fn, err := attr(thread, args[0], string(name))
	if err != nil {
		return nil, err
	}
	args = args[2:]
	if m, ok := fn.(*sl.Builtin); ok && m.Receiver() != nil {
		if err := chargeMethod(thread, m, args, kwargs); err != nil {
			return nil, err
		}
	}
	return sl.Call(thread, fn, args, kwargs)
})

// guardAttrFn is x.name for a guarded method name that is not called at
// once: the method comes back wrapped, so that calling it later is guarded.
var guardAttrFn = sl.NewBuiltin(guardAttr, func(thread *sl.Thread, _ *sl.Builtin, args sl.Tuple, kwargs []sl.Tuple) (sl.Value, error) {
	if len(args) != 2 || len(kwargs) != 0 {
		return nil, errGuardCall(guardAttr)
	}
	name, ok := args[1].(sl.String)
	if !ok {
		return nil, errGuardCall(guardAttr)
	}
	v, err := attr(thread, args[0], string(name))
	if err != nil {
		return nil, err
	}
	return guardMethod(v), nil
})

// attr is x.name as the interpreter reads it, with its error messages.
func attr(thread *sl.Thread, x sl.Value, name string) (sl.Value, error) {
	if h, ok := x.(sl.HasAttrs); ok {
		if v, err := h.Attr(name); err == nil && v != nil {
			return v, nil
		}
	}
	// The universe's getattr reports a missing attribute exactly as the
	// interpreter does, with its did-you-mean, after its own prefix.
	_, err := universeGetattr.CallInternal(thread, sl.Tuple{x, sl.String(name)}, nil)
	if err == nil {
		err = fmt.Errorf("%s has no .%s field or method", x.Type(), name)
	}
	return nil, fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "getattr: "))
}

var universeGetattr = sl.Universe["getattr"].(*sl.Builtin)

// guardMethod wraps v when it is a guarded method of a built-in type.
func guardMethod(v sl.Value) sl.Value {
	if m, ok := v.(*sl.Builtin); ok && m.Receiver() != nil && guardedMethods[m.Name()] {
		return &guardedMethod{method: m}
	}
	return v
}

// guardedMethod is a built-in method whose call is charged first.
type guardedMethod struct{ method *sl.Builtin }

var _ sl.Callable = (*guardedMethod)(nil)

func (g *guardedMethod) Name() string          { return g.method.Name() }
func (g *guardedMethod) String() string        { return g.method.String() }
func (g *guardedMethod) Type() string          { return g.method.Type() }
func (g *guardedMethod) Freeze()               {}
func (g *guardedMethod) Truth() sl.Bool        { return sl.True }
func (g *guardedMethod) Hash() (uint32, error) { return g.method.Hash() }

func (g *guardedMethod) CallInternal(thread *sl.Thread, args sl.Tuple, kwargs []sl.Tuple) (sl.Value, error) {
	if err := chargeMethod(thread, g.method, args, kwargs); err != nil {
		return nil, err
	}
	return sl.Call(thread, g.method, args, kwargs)
}

// chargeMethod measures and charges a call of a built-in method.
func chargeMethod(thread *sl.Thread, m *sl.Builtin, args sl.Tuple, kwargs []sl.Tuple) error {
	what := opName{m.Receiver().Type(), ".", m.Name(), "()"}
	n, err := methodSize(thread, what, m, args, kwargs)
	if err != nil || n == 0 {
		return err
	}
	return charge(thread, what, n)
}

// methodSize is the size of what a method call builds, after checking what
// it hashes or compares. Arguments of the wrong type build nothing: the
// method itself then reports them.
func methodSize(thread *sl.Thread, what opName, m *sl.Builtin, args sl.Tuple, kwargs []sl.Tuple) (int64, error) {
	var arg sl.Value = sl.None
	if len(args) > 0 {
		arg = args[0]
	}
	switch recv := m.Receiver().(type) {
	case sl.String:
		return stringMethodSize(thread, what, recv, m.Name(), args, kwargs)
	case *sl.List:
		switch m.Name() {
		case "append", "insert":
			return elemBytes, nil
		case "extend":
			return mulSize(lenOf(arg), elemBytes), nil
		case "index", "remove":
			return 0, memberCheck(thread, what, arg, recv)
		}
	case *sl.Dict:
		switch m.Name() {
		case "get", "pop":
			return 0, hashCheck(thread, what, arg)
		case "setdefault":
			return entryBytes, hashCheck(thread, what, arg)
		case "update":
			if len(args) == 0 {
				return mulSize(int64(len(kwargs)), entryBytes), nil
			}
			_, isMap := arg.(sl.IterableMapping)
			if err := keysCheck(thread, what, !isMap, arg); err != nil {
				return 0, err
			}
			return mulSize(lenOf(arg)+int64(len(kwargs)), entryBytes), nil
		case "items":
			return containerBytes + mulSize(int64(recv.Len()), elemBytes+containerBytes+2*elemBytes), nil
		case "keys", "values":
			return containerBytes + mulSize(int64(recv.Len()), elemBytes), nil
		}
	case *sl.Set:
		switch m.Name() {
		case "add":
			return entryBytes, hashCheck(thread, what, arg)
		case "remove", "discard":
			return 0, hashCheck(thread, what, arg)
		case "update", "issubset", "issuperset":
			// Only the arguments' elements are hashed.
			if err := keysCheck(thread, what, false, args...); err != nil {
				return 0, err
			}
			if m.Name() != "update" {
				return 0, nil
			}
			var n int64
			for _, a := range args {
				n = addSize(n, lenOf(a))
			}
			return mulSize(n, entryBytes), nil
		case "union", "intersection", "difference", "symmetric_difference":
			// The receiver is copied, so its elements are hashed again.
			if err := keysCheck(thread, what, false, append(sl.Tuple{recv}, args...)...); err != nil {
				return 0, err
			}
			n := int64(recv.Len())
			for _, a := range args {
				n = addSize(n, lenOf(a))
			}
			return containerBytes + mulSize(n, entryBytes), nil
		}
	}
	return 0, nil
}

// stringMethodSize is methodSize for the methods of strings.
func stringMethodSize(thread *sl.Thread, what opName, s sl.String, name string, args sl.Tuple, kwargs []sl.Tuple) (int64, error) {
	switch name {
	case "join":
		if len(args) != 1 {
			return 0, nil
		}
		var n, count int64
		if it, ok := args[0].(sl.Iterable); ok {
			iter := it.Iterate()
			defer iter.Done()
			var x sl.Value
			for iter.Next(&x) {
				if e, ok := x.(sl.String); ok {
					n = addSize(n, int64(len(e)))
				}
				count++
			}
		}
		return addSize(n, mulSize(max(count-1, 0), int64(len(s)))), nil
	case "replace":
		if len(args) < 2 {
			return 0, nil
		}
		old, ok1 := args[0].(sl.String)
		repl, ok2 := args[1].(sl.String)
		if !ok1 || !ok2 {
			return 0, nil
		}
		count := int64(strings.Count(string(s), string(old)))
		return addSize(int64(len(s)), mulSize(count, int64(len(repl)))), nil
	case "format":
		// A value can be used by many fields ("{0}{0}{0}"), so each
		// field may cost the longest value's text.
		vals := append(sl.Tuple(nil), args...)
		for _, kv := range kwargs {
			vals = append(vals, kv[1])
		}
		n, err := longestText(thread, what, vals...)
		return addSize(int64(len(s)), mulSize(int64(strings.Count(string(s), "{")), n)), err
	case "split", "rsplit", "splitlines":
		// Each piece is a string header and a list element; the
		// characters are shared with s.
		return containerBytes + mulSize(pieces(s, name, args), elemBytes+16), nil
	case "upper", "lower", "title", "capitalize":
		// Case mapping can lengthen a character by half (ɐ to Ɐ).
		return int64(len(s)) + int64(len(s))/2, nil
	}
	return 0, nil
}

// pieces bounds the number of strings s.split(sep), s.rsplit(sep) or
// s.splitlines() returns.
func pieces(s sl.String, name string, args sl.Tuple) int64 {
	if name == "splitlines" {
		return int64(strings.Count(string(s), "\n")) + 1
	}
	if len(args) > 0 && args[0] != sl.None {
		if sep, ok := args[0].(sl.String); ok && sep != "" {
			return int64(strings.Count(string(s), string(sep))) + 1
		}
		return 1
	}
	var n int64
	in := false
	for _, r := range string(s) {
		space := unicode.IsSpace(r)
		if !space && !in {
			n++
		}
		in = !space
	}
	return n + 1
}
