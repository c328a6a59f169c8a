package starlark

import (
	"fmt"
	"math"
	"strings"

	sl "go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// MaxValueDepth is how deeply lists, tuples and dicts may nest in a value
// that model code converts to text (str, repr, print, fail, % and format).
// Converting a value costs time in proportion to its depth squared in
// go.starlark.net, so a deeper value is refused rather than converted.
const MaxValueDepth = 1000

// Sizes charged to the memory budget for the elements of containers; the
// elements themselves were charged when they were built.
const (
	elemBytes  = 16 // a list or tuple element
	entryBytes = 64 // a dict or set entry
)

// charge adds n bytes to the memory used by the thread's file and refuses
// when that passes the budget, with EVAL_MEMORY_LIMIT at the operation.
func charge(thread *sl.Thread, what string, n int64) error {
	st, _ := thread.Local(stateKey).(*threadState)
	if st == nil || st.ev == nil {
		return nil // a thread Evaluate did not set up: no budget
	}
	limit := st.ev.cfg.maxMemory
	if n < 0 || n > limit-st.memUsed {
		st.memLimited = true
		return &diagError{d: withHint(newDiag(RuleMemoryLimit, st.ev.callPos(thread.CallFrame(1).Pos),
			fmt.Sprintf("%s would build %s, more than is left of the %s memory budget of this file (%s used)",
				what, byteText(n), byteText(limit), byteText(st.memUsed))), memoryLimitHint(limit))}
	}
	st.memUsed += n
	return nil
}

// byteText formats a byte count for messages.
func byteText(n int64) string {
	switch {
	case n < 0 || n >= math.MaxInt64/2:
		return "an unbounded amount"
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// mulSize returns a × b, or -1 on overflow.
func mulSize(a, b int64) int64 {
	if a == 0 || b == 0 {
		return 0
	}
	if a < 0 || b < 0 || a > math.MaxInt64/b {
		return -1
	}
	return a * b
}

// size estimates the bytes a value's own storage takes: the characters of
// a string, the element slots of a container.
func size(v sl.Value) int64 {
	switch v := v.(type) {
	case sl.String:
		return int64(len(v))
	case sl.Bytes:
		return int64(len(v))
	case *sl.List:
		return int64(v.Len()) * elemBytes
	case sl.Tuple:
		return int64(len(v)) * elemBytes
	case *sl.Dict:
		return int64(v.Len()) * entryBytes
	case *sl.Set:
		return int64(v.Len()) * entryBytes
	}
	return 0
}

// textSize estimates the length of str(v), walking v at most MaxValueDepth
// deep and checking for cancellation as it goes, so that measuring cannot
// itself run away. It is an estimate (escapes are not counted) that is
// exact enough to refuse what would not fit.
func textSize(thread *sl.Thread, v sl.Value) (int64, error) {
	m := measurer{thread: thread}
	n := m.walk(v, 0)
	return n, m.err
}

type measurer struct {
	thread *sl.Thread
	path   []sl.Value // containers being walked, to stop at cycles
	nodes  int
	err    error
}

func (m *measurer) walk(v sl.Value, depth int) int64 {
	if m.err != nil {
		return 0
	}
	if m.nodes++; m.nodes%4096 == 0 {
		if st, _ := m.thread.Local(stateKey).(*threadState); st != nil && st.ev != nil && st.ev.ctx.Err() != nil {
			m.err = fmt.Errorf("evaluation stopped: %w", st.ev.ctx.Err())
			return 0
		}
	}
	switch v := v.(type) {
	case sl.String:
		return int64(len(v)) + 2
	case sl.Bytes:
		return int64(len(v)) + 3
	case sl.NoneType, sl.Bool, sl.Int, sl.Float:
		return 24
	case *sl.List, sl.Tuple, *sl.Dict, *sl.Set:
		if depth >= MaxValueDepth {
			m.err = fmt.Errorf("the value is nested more than %d levels deep, too deep to convert to text (a model value never needs that; see MaxValueDepth)", MaxValueDepth)
			return 0
		}
		for _, p := range m.path {
			if p == v {
				return 5 // a cycle prints as [...]
			}
		}
		m.path = append(m.path, v)
		defer func() { m.path = m.path[:len(m.path)-1] }()
		n := int64(2)
		switch v := v.(type) {
		case *sl.List:
			for i := 0; i < v.Len(); i++ {
				n += m.walk(v.Index(i), depth+1) + 2
			}
		case sl.Tuple:
			for _, x := range v {
				n += m.walk(x, depth+1) + 2
			}
		case *sl.Dict:
			for _, kv := range v.Items() {
				n += m.walk(kv[0], depth+1) + m.walk(kv[1], depth+1) + 4
			}
		case *sl.Set:
			iter := v.Iterate()
			defer iter.Done()
			var x sl.Value
			for iter.Next(&x) {
				n += m.walk(x, depth+1) + 2
			}
		}
		return n
	}
	return 64 // a model object or function: printed as a short description
}

// guardBinary is the guard of a binary operator: it charges what the
// operation builds, then performs it exactly.
func guardBinary(name string, op syntax.Token) *sl.Builtin {
	return sl.NewBuiltin(name, func(thread *sl.Thread, _ *sl.Builtin, args sl.Tuple, kwargs []sl.Tuple) (sl.Value, error) {
		if len(args) != 2 || len(kwargs) != 0 {
			return nil, errGuardCall(name)
		}
		x, y := args[0], args[1]
		n, err := binarySize(thread, op, x, y)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			if err := charge(thread, fmt.Sprintf("%s %s %s", x.Type(), op, y.Type()), n); err != nil {
				return nil, err
			}
		}
		return sl.Binary(op, x, y)
	})
}

// binarySize is the size of what x op y builds, for the operations that can
// build something larger than their operands.
func binarySize(thread *sl.Thread, op syntax.Token, x, y sl.Value) (int64, error) {
	switch op {
	case syntax.PLUS:
		if isSized(x) && isSized(y) {
			return size(x) + size(y), nil
		}
	case syntax.STAR:
		if n, ok := y.(sl.Int); ok && isSized(x) {
			k, _ := n.Int64()
			return mulSize(size(x), max(k, 0)), nil
		}
		if n, ok := x.(sl.Int); ok && isSized(y) {
			k, _ := n.Int64()
			return mulSize(size(y), max(k, 0)), nil
		}
	case syntax.PERCENT:
		if s, ok := x.(sl.String); ok {
			n, err := textSize(thread, y)
			return int64(len(s)) + n, err
		}
	case syntax.PIPE:
		if isSized(x) && isSized(y) {
			return size(x) + size(y), nil
		}
	}
	return 0, nil
}

func isSized(v sl.Value) bool {
	switch v.(type) {
	case sl.String, sl.Bytes, *sl.List, sl.Tuple, *sl.Dict, *sl.Set:
		return true
	}
	return false
}

// guardGrowFn charges the growth of x op= y and returns y, so that the
// augmented assignment itself keeps its in-place meaning.
var guardGrowFn = sl.NewBuiltin(guardGrow, func(thread *sl.Thread, _ *sl.Builtin, args sl.Tuple, kwargs []sl.Tuple) (sl.Value, error) {
	if len(args) != 3 || len(kwargs) != 0 {
		return nil, errGuardCall(guardGrow)
	}
	opv, ok := args[0].(sl.String)
	if !ok {
		return nil, errGuardCall(guardGrow)
	}
	op, x, y := string(opv), args[1], args[2]
	tok := map[string]syntax.Token{"+": syntax.PLUS, "*": syntax.STAR, "%": syntax.PERCENT, "|": syntax.PIPE}[op]
	n, err := binarySize(thread, tok, x, y)
	if err != nil {
		return nil, err
	}
	if tok == syntax.PLUS {
		if _, isList := x.(*sl.List); isList {
			// += extends a list in place with any iterable.
			if s, ok := y.(sl.Sequence); ok {
				n = int64(s.Len()) * elemBytes
			}
		}
	}
	if n > 0 {
		if err := charge(thread, fmt.Sprintf("%s %s= %s", x.Type(), op, y.Type()), n); err != nil {
			return nil, err
		}
	}
	return y, nil
})

// guardAttrFn is x.name for the guarded methods: the method, wrapped so a
// call charges what it builds first.
var guardAttrFn = sl.NewBuiltin(guardAttr, func(thread *sl.Thread, _ *sl.Builtin, args sl.Tuple, kwargs []sl.Tuple) (sl.Value, error) {
	if len(args) != 2 || len(kwargs) != 0 {
		return nil, errGuardCall(guardAttr)
	}
	name, ok := args[1].(sl.String)
	if !ok {
		return nil, errGuardCall(guardAttr)
	}
	return guardedAttr(args[0], string(name), nil)
})

// errGuardCall reports a guard builtin called other than as the rewrite
// calls it, which model code cannot do: an internal error.
func errGuardCall(name string) error {
	return fmt.Errorf("internal error: guard %q called with unexpected arguments", name)
}

// guardedAttr looks up x.name, wrapping a guarded method; dflt, when not
// nil, is returned for a missing attribute (getattr's default).
func guardedAttr(x sl.Value, name string, dflt sl.Value) (sl.Value, error) {
	h, ok := x.(sl.HasAttrs)
	if !ok {
		if dflt != nil {
			return dflt, nil
		}
		return nil, fmt.Errorf("%s has no .%s field or method", x.Type(), name)
	}
	v, err := h.Attr(name)
	if err != nil || v == nil {
		if dflt != nil {
			return dflt, nil
		}
		if err == nil {
			err = fmt.Errorf("%s has no .%s field or method", x.Type(), name)
		}
		return nil, err
	}
	if m, ok := v.(*sl.Builtin); ok && guardedMethods[name] && m.Receiver() != nil {
		return &guardedMethod{method: m}, nil
	}
	return v, nil
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
	n, err := methodSize(thread, g.method, args, kwargs)
	if err != nil {
		return nil, err
	}
	if n > 0 {
		if err := charge(thread, g.method.Receiver().Type()+"."+g.method.Name()+"()", n); err != nil {
			return nil, err
		}
	}
	return sl.Call(thread, g.method, args, kwargs)
}

// methodSize is the size of what a guarded method call builds. Arguments
// of the wrong type build nothing: the method itself then reports them.
func methodSize(thread *sl.Thread, m *sl.Builtin, args sl.Tuple, kwargs []sl.Tuple) (int64, error) {
	recv := m.Receiver()
	switch m.Name() {
	case "join":
		sep, _ := recv.(sl.String)
		if len(args) != 1 {
			return 0, nil
		}
		var n, count int64
		if it, ok := args[0].(sl.Iterable); ok {
			iter := it.Iterate()
			defer iter.Done()
			var x sl.Value
			for iter.Next(&x) {
				if s, ok := x.(sl.String); ok {
					n += int64(len(s))
				}
				count++
				if n < 0 {
					return -1, nil
				}
			}
		}
		return n + max(count-1, 0)*int64(len(sep)), nil
	case "replace":
		s, _ := recv.(sl.String)
		if len(args) < 2 {
			return 0, nil
		}
		old, ok1 := args[0].(sl.String)
		repl, ok2 := args[1].(sl.String)
		if !ok1 || !ok2 {
			return 0, nil
		}
		count := int64(strings.Count(string(s), string(old)))
		if old == "" {
			count = int64(len(s)) + 1
		}
		return int64(len(s)) + mulSize(count, int64(len(repl))), nil
	case "format":
		s, _ := recv.(sl.String)
		n := int64(len(s))
		for _, a := range args {
			k, err := textSize(thread, a)
			if err != nil {
				return 0, err
			}
			n += k
		}
		for _, kv := range kwargs {
			k, err := textSize(thread, kv[1])
			if err != nil {
				return 0, err
			}
			n += k
		}
		return n, nil
	case "extend", "update", "union":
		var n int64
		for _, a := range args {
			if s, ok := a.(sl.Sequence); ok {
				n += int64(s.Len()) * entryBytes
			}
			n += size(a)
		}
		return n, nil
	}
	return 0, nil
}

// guardedBuiltins shadow the universe's builtins that copy or convert a
// whole value: each charges (and bounds the depth of) what it builds, then
// calls the universe's.
func guardedBuiltins() sl.StringDict {
	d := sl.StringDict{}
	toText := func(name string) {
		orig := sl.Universe[name].(*sl.Builtin)
		d[name] = sl.NewBuiltin(name, func(thread *sl.Thread, b *sl.Builtin, args sl.Tuple, kwargs []sl.Tuple) (sl.Value, error) {
			var n int64
			for _, a := range args {
				k, err := textSize(thread, a)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", name, err)
				}
				n += k
			}
			for _, kv := range kwargs {
				k, err := textSize(thread, kv[1])
				if err != nil {
					return nil, fmt.Errorf("%s: %w", name, err)
				}
				n += k
			}
			if err := charge(thread, name+"()", n); err != nil {
				return nil, err
			}
			return orig.CallInternal(thread, args, kwargs)
		})
	}
	for _, name := range []string{"str", "repr", "print", "fail"} {
		toText(name)
	}
	copier := func(name string) {
		orig := sl.Universe[name].(*sl.Builtin)
		d[name] = sl.NewBuiltin(name, func(thread *sl.Thread, b *sl.Builtin, args sl.Tuple, kwargs []sl.Tuple) (sl.Value, error) {
			var n int64
			for _, a := range args {
				if s, ok := a.(sl.Sequence); ok {
					n += int64(s.Len()) * entryBytes
				} else if m, ok := a.(sl.Mapping); ok {
					if l, ok := m.(interface{ Len() int }); ok {
						n += int64(l.Len()) * entryBytes
					}
				}
			}
			n += int64(len(kwargs)) * entryBytes
			if err := charge(thread, name+"()", n); err != nil {
				return nil, err
			}
			return orig.CallInternal(thread, args, kwargs)
		})
	}
	for _, name := range []string{"list", "tuple", "dict", "set", "sorted"} {
		copier(name)
	}
	d["getattr"] = sl.NewBuiltin("getattr", func(thread *sl.Thread, b *sl.Builtin, args sl.Tuple, kwargs []sl.Tuple) (sl.Value, error) {
		var x, name, dflt sl.Value
		if err := sl.UnpackPositionalArgs("getattr", args, kwargs, 2, &x, &name, &dflt); err != nil {
			return nil, err
		}
		s, ok := name.(sl.String)
		if !ok {
			return nil, fmt.Errorf("getattr: for parameter name: got %s, want string", name.Type())
		}
		return guardedAttr(x, string(s), dflt)
	})
	d[guardAdd] = guardBinary(guardAdd, syntax.PLUS)
	d[guardMul] = guardBinary(guardMul, syntax.STAR)
	d[guardMod] = guardBinary(guardMod, syntax.PERCENT)
	d[guardPipe] = guardBinary(guardPipe, syntax.PIPE)
	d[guardGrow] = guardGrowFn
	d[guardAttr] = guardAttrFn
	return d
}

// memoryLimitMessage is the hint of EVAL_MEMORY_LIMIT with the budget.
func memoryLimitHint(limit int64) string {
	return fmt.Sprintf("model files describe data and never need large values: look for a string or list multiplied or joined in a loop; if the model really needs more, raise the budget of %s with WithMaxMemory (dsl --max-memory)", byteText(limit))
}
