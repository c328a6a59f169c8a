package starlark

import (
	"errors"
	"fmt"
	"sort"

	sl "go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// guardedBuiltins shadow, in predeclared, the universe's builtins that
// copy, convert, sort, hash or compare whole values, and add the guard
// builtins the rewrite calls (see guard.go). Each universe builtin is
// measured and charged, then called as it is, except sorted, min and max,
// which are implemented here to compare under the evaluation's time limit.
func guardedBuiltins() sl.StringDict {
	d := sl.StringDict{}
	for _, name := range []string{"str", "repr", "print", "fail"} {
		d[name] = textBuiltin(name)
	}
	for _, name := range []string{"list", "tuple", "reversed", "enumerate", "zip", "dict", "set", "bytes"} {
		d[name] = copyBuiltin(name)
	}
	d["hash"] = wrapBuiltin("hash", func(thread *sl.Thread, args sl.Tuple, _ []sl.Tuple) error {
		return hashCheck(thread, opName{"hash()"}, args...)
	})
	d["int"] = wrapBuiltin("int", intArgCheck)
	d["getattr"] = sl.NewBuiltin("getattr", func(thread *sl.Thread, b *sl.Builtin, args sl.Tuple, kwargs []sl.Tuple) (sl.Value, error) {
		v, err := universeGetattr.CallInternal(thread, args, kwargs)
		if err != nil {
			return nil, err
		}
		return guardMethod(v), nil
	})
	d["sorted"] = sl.NewBuiltin("sorted", sorted)
	d["min"] = sl.NewBuiltin("min", minmax)
	d["max"] = sl.NewBuiltin("max", minmax)
	for tok, name := range guardedOps {
		d[name] = guardBinary(name, tok)
	}
	d[guardGrow] = guardGrowFn
	d[guardHold] = guardHoldFn
	d[guardGrowIndex] = guardGrowIndexFn
	d[guardKey] = guardKeyFn
	d[guardKeyAdd] = guardKeyAddFn
	d[guardNew] = guardNewFn
	d[guardElem] = guardElemFn
	d[guardCallName] = guardCallFn
	d[guardAttr] = guardAttrFn
	return d
}

// wrapBuiltin is the universe's builtin of that name, run after check.
func wrapBuiltin(name string, check func(thread *sl.Thread, args sl.Tuple, kwargs []sl.Tuple) error) *sl.Builtin {
	orig := sl.Universe[name].(*sl.Builtin)
	return sl.NewBuiltin(name, func(thread *sl.Thread, _ *sl.Builtin, args sl.Tuple, kwargs []sl.Tuple) (sl.Value, error) {
		if err := check(thread, args, kwargs); err != nil {
			return nil, err
		}
		return orig.CallInternal(thread, args, kwargs)
	})
}

// textBuiltin guards a builtin that converts its arguments to text: their
// depth and the size of the text are checked and charged first.
func textBuiltin(name string) *sl.Builtin {
	return wrapBuiltin(name, func(thread *sl.Thread, args sl.Tuple, kwargs []sl.Tuple) error {
		if name == "str" && len(args) == 1 {
			if _, ok := args[0].(sl.String); ok {
				return nil // str of a string is the string itself
			}
		}
		vals := args
		if len(kwargs) > 0 {
			vals = append(sl.Tuple(nil), args...)
			for _, kv := range kwargs {
				vals = append(vals, kv[1])
			}
		}
		n, err := textSize(thread, opName{name, "()"}, vals...)
		if err != nil {
			return err
		}
		return charge(thread, opName{name, "()"}, n)
	})
}

// copyBuiltin guards a builtin that builds a new container from its
// argument: its elements are charged, and hashed first for dict and set.
func copyBuiltin(name string) *sl.Builtin {
	return wrapBuiltin(name, func(thread *sl.Thread, args sl.Tuple, kwargs []sl.Tuple) error {
		var arg sl.Value = sl.None
		if len(args) > 0 {
			arg = args[0]
		}
		n := lenOf(arg)
		per := int64(elemBytes)
		switch name {
		case "enumerate":
			per = elemBytes + containerBytes + 2*elemBytes
		case "zip":
			for _, a := range args[min(1, len(args)):] {
				n = min(n, lenOf(a))
			}
			per = elemBytes + containerBytes + int64(len(args))*elemBytes
		case "dict", "set":
			_, isMap := arg.(sl.IterableMapping)
			if err := keysCheck(thread, opName{name, "()"}, name == "dict" && !isMap, arg); err != nil {
				return err
			}
			n += int64(len(kwargs))
			per = entryBytes
		case "bytes":
			if s, ok := arg.(sl.String); ok {
				n = int64(len(s))
			}
			per = 1
		}
		return charge(thread, opName{name, "()"}, addSize(containerBytes, mulSize(n, per)))
	})
}

// intArgCheck refuses int() of a string too long for MaxIntBits, before
// parsing it (parsing a long number costs more than linear time).
func intArgCheck(_ *sl.Thread, args sl.Tuple, kwargs []sl.Tuple) error {
	var x sl.Value
	if len(args) > 0 {
		x = args[0]
	}
	for _, kv := range kwargs {
		if k, _ := sl.AsString(kv[0]); k == "x" {
			x = kv[1]
		}
	}
	if s, ok := x.(sl.String); ok && len(s) > MaxIntBits+8 {
		return fmt.Errorf("int: the string has %d characters, too many for an int of at most %d bits (MaxIntBits, a fixed limit)", len(s), MaxIntBits)
	}
	return nil
}

// errStopSort unwinds a sort that must stop.
var errStopSort = errors.New("stop sorting")

// sorted is the universe's sorted, with each key measured before the sort
// and the time limit checked between comparisons.
func sorted(thread *sl.Thread, b *sl.Builtin, args sl.Tuple, kwargs []sl.Tuple) (result sl.Value, err error) {
	var iterable sl.Iterable
	var key sl.Callable
	var reverse bool
	if err := sl.UnpackArgs("sorted", args, kwargs, "iterable", &iterable, "key?", &key, "reverse?", &reverse); err != nil {
		return nil, err
	}
	if err := charge(thread, opName{"sorted()"}, addSize(containerBytes, mulSize(lenOf(iterable), elemBytes))); err != nil {
		return nil, err
	}
	values, keys, err := keyed(thread, opName{"sorted()"}, iterable, key)
	if err != nil {
		return nil, err
	}
	s := &sortSlice{thread: thread, values: values}
	if key != nil {
		s.keys = keys
	}
	defer func() {
		if r := recover(); r != nil {
			if r != errStopSort {
				panic(r)
			}
			result, err = nil, s.err
		}
	}()
	if reverse {
		sort.Stable(sort.Reverse(s))
	} else {
		sort.Stable(s)
	}
	return sl.NewList(s.values), nil
}

// keyed collects the values of an iterable and their keys (the values
// themselves without a key function), measuring each key as a comparison
// would reach it.
func keyed(thread *sl.Thread, what opName, iterable sl.Value, key sl.Callable) (values, keys []sl.Value, err error) {
	iter := sl.Iterate(iterable)
	if iter == nil {
		return nil, nil, fmt.Errorf("%s: %s value is not iterable", what, iterable.Type())
	}
	defer iter.Done()
	if n := sl.Len(iterable); n > 0 {
		values = make([]sl.Value, 0, n)
	}
	var x sl.Value
	for iter.Next(&x) {
		values = append(values, x)
	}
	keys = values
	if key != nil {
		keys = make([]sl.Value, len(values))
		for i, v := range values {
			k, err := sl.Call(thread, key, sl.Tuple{v}, nil)
			if err != nil {
				return nil, nil, err // keeps the backtrace
			}
			keys[i] = k
		}
	}
	for i, k := range keys {
		if i%64 == 0 {
			if err := interrupted(thread); err != nil {
				return nil, nil, err
			}
		}
		if err := compareCheck(thread, what, k, k); err != nil {
			return nil, nil, err
		}
	}
	return values, keys, nil
}

// sortSlice sorts values by keys (by the values themselves when keys is
// nil), stopping at the first error or when the evaluation's time is up.
type sortSlice struct {
	thread *sl.Thread
	keys   []sl.Value
	values []sl.Value
	n      int
	err    error
}

func (s *sortSlice) Len() int { return len(s.values) }

func (s *sortSlice) Less(i, j int) bool {
	if s.n++; s.n%64 == 0 {
		if err := interrupted(s.thread); err != nil {
			s.err = err
			panic(errStopSort)
		}
	}
	keys := s.keys
	if keys == nil {
		keys = s.values
	}
	ok, err := sl.Compare(syntax.LT, keys[i], keys[j])
	if err != nil {
		s.err = err
		panic(errStopSort)
	}
	return ok
}

func (s *sortSlice) Swap(i, j int) {
	if s.keys != nil {
		s.keys[i], s.keys[j] = s.keys[j], s.keys[i]
	}
	s.values[i], s.values[j] = s.values[j], s.values[i]
}

// interrupted returns an error when the evaluation's time is up.
func interrupted(thread *sl.Thread) error {
	if st := stateOf(thread); st != nil && st.ev != nil {
		if err := st.ev.ctx.Err(); err != nil {
			return fmt.Errorf("evaluation stopped: %w", err)
		}
	}
	return nil
}

// minmax is the universe's min and max, with each key measured before it
// is compared and the time limit checked between comparisons.
func minmax(thread *sl.Thread, b *sl.Builtin, args sl.Tuple, kwargs []sl.Tuple) (sl.Value, error) {
	if len(args) == 0 {
		return nil, fmt.Errorf("%s requires at least one positional argument", b.Name())
	}
	var keyFunc sl.Callable
	if err := sl.UnpackArgs(b.Name(), nil, kwargs, "key?", &keyFunc); err != nil {
		return nil, err
	}
	op := syntax.LT
	if b.Name() == "max" {
		op = syntax.GT
	}
	var iterable sl.Value = args
	if len(args) == 1 {
		iterable = args[0]
	}
	iter := sl.Iterate(iterable)
	if iter == nil {
		return nil, fmt.Errorf("%s: %s value is not iterable", b.Name(), iterable.Type())
	}
	defer iter.Done()
	keyOf := func(x sl.Value) (sl.Value, error) {
		k := x
		if keyFunc != nil {
			var err error
			if k, err = sl.Call(thread, keyFunc, sl.Tuple{x}, nil); err != nil {
				return nil, err // keeps the backtrace
			}
		}
		if err := interrupted(thread); err != nil {
			return nil, err
		}
		return k, compareCheck(thread, opName{b.Name(), "()"}, k, k)
	}
	var extremum sl.Value
	if !iter.Next(&extremum) {
		return nil, fmt.Errorf("%s: argument is an empty sequence", b.Name())
	}
	extremeKey, err := keyOf(extremum)
	if err != nil {
		return nil, err
	}
	var x sl.Value
	for iter.Next(&x) {
		key, err := keyOf(x)
		if err != nil {
			return nil, err
		}
		if ok, err := sl.Compare(op, key, extremeKey); err != nil {
			return nil, fmt.Errorf("%s: %v", b.Name(), err)
		} else if ok {
			extremum, extremeKey = x, key
		}
	}
	return extremum, nil
}
