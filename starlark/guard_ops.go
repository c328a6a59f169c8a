package starlark

import (
	"fmt"
	"math/bits"
	"strings"

	sl "go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// The guards of operators, keys and values built in repeated code (see
// guard.go for where the rewrite puts them).

// MaxIntBits is the largest int, in bits, that model code may compute by
// multiplying, shifting or converting a string. Multiplying big ints costs
// more than linear time in one step, so their size is bounded outright
// rather than charged: 8,192 bits is about 2,466 decimal digits, far more
// than a model needs (its int arguments must fit in 64).
const MaxIntBits = 8192

// guardOpTokens maps the names of the operator guards to their tokens.
var guardOpTokens = func() map[string]syntax.Token {
	m := make(map[string]syntax.Token, len(guardedOps))
	for tok, name := range guardedOps {
		m[name] = tok
	}
	return m
}()

// guardBinary is the guard of a binary operator: it measures and charges
// the operation, then performs it exactly.
func guardBinary(name string, op syntax.Token) *sl.Builtin {
	return sl.NewBuiltin(name, func(thread *sl.Thread, _ *sl.Builtin, args sl.Tuple, kwargs []sl.Tuple) (sl.Value, error) {
		if len(args) != 2 || len(kwargs) != 0 {
			return nil, errGuardCall(name)
		}
		x, y := args[0], args[1]
		switch op {
		case syntax.EQL, syntax.NEQ, syntax.LT, syntax.LE, syntax.GT, syntax.GE:
			if err := compareCheck(thread, opName{name}, x, y); err != nil {
				return nil, err
			}
			ok, err := sl.Compare(op, x, y)
			return sl.Bool(ok), err
		case syntax.IN, syntax.NOT_IN:
			if err := memberCheck(thread, opName{name}, x, y); err != nil {
				return nil, err
			}
			return sl.Binary(op, x, y)
		}
		if err := chargeBinary(thread, op, x, y, false); err != nil {
			return nil, err
		}
		return sl.Binary(op, x, y)
	})
}

// chargeBinary measures and charges x op y, or the growth of x op= y.
func chargeBinary(thread *sl.Thread, op syntax.Token, x, y sl.Value, inPlace bool) error {
	n, err := binarySize(thread, op, x, y, inPlace)
	if err != nil || n == 0 {
		return err
	}
	what := opName{x.Type(), " ", op.String(), " ", y.Type()}
	if inPlace {
		what[3] = "= "
	}
	return charge(thread, what, n)
}

// binarySize is the size of what x op y builds (of what x op= y adds, when
// in place), after checking what it hashes and the size of ints it makes.
func binarySize(thread *sl.Thread, op syntax.Token, x, y sl.Value, inPlace bool) (int64, error) {
	if xi, ok := x.(sl.Int); ok {
		if yi, ok := y.(sl.Int); ok {
			return 0, intCheck(op, xi, yi)
		}
	}
	switch op {
	case syntax.PLUS:
		if inPlace {
			if _, isList := x.(*sl.List); isList {
				return mulSize(lenOf(y), elemBytes), nil // extends x with any iterable
			}
		}
		if isSized(x) && isSized(y) {
			return addSize(size(x), size(y)), nil
		}
	case syntax.STAR:
		if n, ok := y.(sl.Int); ok && isSized(x) {
			return repeatSize(x, n), nil
		}
		if n, ok := x.(sl.Int); ok && isSized(y) {
			return repeatSize(y, n), nil
		}
	case syntax.PERCENT:
		if s, ok := x.(sl.String); ok {
			what := opName{"string % ", y.Type()}
			if d, ok := y.(*sl.Dict); ok {
				// "%(k)s%(k)s" uses a value as often as it names it.
				vals := make([]sl.Value, 0, d.Len())
				for _, v := range d.Entries() {
					vals = append(vals, v)
				}
				n, err := longestText(thread, what, vals...)
				return addSize(int64(len(s)), mulSize(int64(strings.Count(string(s), "%")), n)), err
			}
			n, err := textSize(thread, what, y)
			return addSize(int64(len(s)), n), err
		}
	case syntax.PIPE, syntax.AMP, syntax.CIRCUMFLEX, syntax.MINUS:
		// Set and dict operations hash every element of both operands
		// again.
		if isHashTable(x) && isHashTable(y) {
			if err := keysCheck(thread, opName{x.Type(), " ", op.String(), " ", y.Type()}, false, x, y); err != nil {
				return 0, err
			}
			if inPlace {
				return size(y), nil
			}
			return addSize(size(x), size(y)), nil
		}
	}
	return 0, nil
}

// repeatSize is the size of x * n.
func repeatSize(x sl.Value, n sl.Int) int64 {
	k, ok := n.Int64()
	if !ok {
		if n.Sign() < 0 {
			return 0
		}
		return -1
	}
	if k <= 0 {
		return size(emptied(x))
	}
	return addSize(mulSize(size(x)-size(emptied(x)), k), size(emptied(x)))
}

// emptied is an empty value of x's kind, for the fixed part of its size.
func emptied(x sl.Value) sl.Value {
	switch x.(type) {
	case *sl.List:
		return sl.NewList(nil)
	case sl.Tuple:
		return sl.Tuple{}
	}
	return sl.String("")
}

// intCheck refuses an int operation whose result would have more than
// MaxIntBits bits.
func intCheck(op syntax.Token, x, y sl.Int) error {
	var n int
	switch op {
	case syntax.STAR:
		n = intBits(x) + intBits(y)
	case syntax.LTLT:
		k, ok := y.Int64()
		if !ok || k < 0 || k >= 512 {
			return nil // the interpreter refuses the shift itself
		}
		n = intBits(x) + int(k)
	default:
		return nil // the result is at most a bit longer than an operand
	}
	if n > MaxIntBits {
		return fmt.Errorf("int %s int would have about %d bits, more than model files allow (MaxIntBits = %d, a fixed limit)", op, n, MaxIntBits)
	}
	return nil
}

// intBits is the number of bits of |x|.
func intBits(x sl.Int) int {
	if n, ok := x.Int64(); ok {
		if n < 0 {
			n = -n
		}
		return bits.Len64(uint64(n))
	}
	return x.BigInt().BitLen()
}

func isSized(v sl.Value) bool {
	switch v.(type) {
	case sl.String, sl.Bytes, *sl.List, sl.Tuple, *sl.Dict, *sl.Set:
		return true
	}
	return false
}

func isHashTable(v sl.Value) bool {
	switch v.(type) {
	case *sl.Dict, *sl.Set:
		return true
	}
	return false
}

// guardGrowFn charges x op= y for a name x and returns y, so that the
// augmented assignment itself keeps its in-place meaning.
var guardGrowFn = sl.NewBuiltin(guardGrow, func(thread *sl.Thread, _ *sl.Builtin, args sl.Tuple, kwargs []sl.Tuple) (sl.Value, error) {
	if len(args) != 3 || len(kwargs) != 0 {
		return nil, errGuardCall(guardGrow)
	}
	op, ok := guardOp(args[0])
	if !ok {
		return nil, errGuardCall(guardGrow)
	}
	if err := chargeBinary(thread, op, args[1], args[2], true); err != nil {
		return nil, err
	}
	return args[2], nil
})

// guardHoldFn remembers a value of an indexed target, a[b] op= y, for
// guardGrowIndexFn, and returns it. The interpreter evaluates a and b, then
// y, so the pair held last is the one y's guard sees: a nested assignment
// in y holds and releases its own pair first.
var guardHoldFn = sl.NewBuiltin(guardHold, func(thread *sl.Thread, _ *sl.Builtin, args sl.Tuple, kwargs []sl.Tuple) (sl.Value, error) {
	if len(args) != 1 || len(kwargs) != 0 {
		return nil, errGuardCall(guardHold)
	}
	if st := stateOf(thread); st != nil {
		st.held = append(st.held, args[0])
	}
	return args[0], nil
})

// guardGrowIndexFn charges a[b] op= y for the held a and b and returns y.
var guardGrowIndexFn = sl.NewBuiltin(guardGrowIndex, func(thread *sl.Thread, _ *sl.Builtin, args sl.Tuple, kwargs []sl.Tuple) (sl.Value, error) {
	if len(args) != 2 || len(kwargs) != 0 {
		return nil, errGuardCall(guardGrowIndex)
	}
	op, ok := guardOp(args[0])
	if !ok {
		return nil, errGuardCall(guardGrowIndex)
	}
	st := stateOf(thread)
	if st == nil {
		return args[1], nil // a thread Evaluate did not set up: no budget
	}
	if len(st.held) < 2 {
		return nil, errGuardCall(guardGrowIndex)
	}
	a, b := st.held[len(st.held)-2], st.held[len(st.held)-1]
	st.held = st.held[:len(st.held)-2]
	if cur := indexOf(a, b); cur != nil {
		if err := chargeBinary(thread, op, cur, args[1], true); err != nil {
			return nil, err
		}
	}
	return args[1], nil
})

// indexOf is a[b], or nil when it has none (the interpreter, which has
// already read it, would have failed).
func indexOf(a, b sl.Value) sl.Value {
	switch a := a.(type) {
	case sl.Mapping:
		v, found, err := a.Get(b)
		if found && err == nil {
			return v
		}
	case sl.Indexable:
		i, ok := b.(sl.Int)
		if !ok {
			return nil
		}
		k, ok := i.Int64()
		if !ok {
			return nil
		}
		if k < 0 {
			k += int64(a.Len())
		}
		if k >= 0 && k < int64(a.Len()) {
			return a.Index(int(k))
		}
	}
	return nil
}

func guardOp(v sl.Value) (syntax.Token, bool) {
	s, ok := v.(sl.String)
	if !ok {
		return 0, false
	}
	tok, ok := guardOpTokens[string(s)]
	return tok, ok
}

// guardKeyFn checks that hashing a dict key or index is bounded and returns it.
var guardKeyFn = sl.NewBuiltin(guardKey, func(thread *sl.Thread, _ *sl.Builtin, args sl.Tuple, kwargs []sl.Tuple) (sl.Value, error) {
	if len(args) != 1 || len(kwargs) != 0 {
		return nil, errGuardCall(guardKey)
	}
	return args[0], hashCheck(thread, opName{"a dict key"}, args[0])
})

// guardKeyAddFn is guardKeyFn for a key that may add an entry, which it
// charges.
var guardKeyAddFn = sl.NewBuiltin(guardKeyAdd, func(thread *sl.Thread, _ *sl.Builtin, args sl.Tuple, kwargs []sl.Tuple) (sl.Value, error) {
	if len(args) != 1 || len(kwargs) != 0 {
		return nil, errGuardCall(guardKeyAdd)
	}
	if err := hashCheck(thread, opName{"a dict key"}, args[0]); err != nil {
		return nil, err
	}
	return args[0], charge(thread, opName{"a dict entry"}, entryBytes)
})

// guardNewFn charges a value just built by repeated code (a literal, a
// slice, an attribute, the arguments of *args) and returns it.
var guardNewFn = sl.NewBuiltin(guardNew, func(thread *sl.Thread, _ *sl.Builtin, args sl.Tuple, kwargs []sl.Tuple) (sl.Value, error) {
	if len(args) != 1 || len(kwargs) != 0 {
		return nil, errGuardCall(guardNew)
	}
	if n := size(args[0]); n > 0 {
		if err := charge(thread, opName{"a new ", args[0].Type()}, n); err != nil {
			return nil, err
		}
	}
	return args[0], nil
})

// guardElemFn charges one element of a list comprehension and returns it.
var guardElemFn = sl.NewBuiltin(guardElem, func(thread *sl.Thread, _ *sl.Builtin, args sl.Tuple, kwargs []sl.Tuple) (sl.Value, error) {
	if len(args) != 1 || len(kwargs) != 0 {
		return nil, errGuardCall(guardElem)
	}
	return args[0], charge(thread, opName{"a list comprehension"}, elemBytes)
})

// errGuardCall reports a guard builtin called other than as the rewrite
// calls it, which model code cannot do: an internal error.
func errGuardCall(name string) error {
	return fmt.Errorf("internal error: guard %q called with unexpected arguments", name)
}
