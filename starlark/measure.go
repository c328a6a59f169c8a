package starlark

import (
	"fmt"

	sl "go.starlark.net/starlark"
)

// Measuring a value before an operation traverses it.
//
// go.starlark.net checks for cancellation only between steps, and one step
// can traverse a whole value: hashing a tuple (a dict key, a set element,
// `in`), comparing (==, <, `in`, sorted, min, max, list.index) and
// converting to text (str, repr, %, format, print, fail). A value can share
// its parts, so the traversal can reach far more elements than the value
// holds: five lists of 100 elements, each all references to the one before,
// reach 10^10 elements in 500 slots. And the traversals recurse: hashing a
// tuple nested ten million deep overflows the Go stack, which kills the
// process. So before such an operation its guard walks what the operation
// would walk, and refuses
//
//   - a value nested more than MaxValueDepth levels deep (for hashing and
//     conversion to text; comparison stops at go.starlark.net's own
//     CompareLimit), and
//   - a traversal that would reach more elements than the memory budget
//     could hold as separate slots (maxMemory / elemBytes: 33,554,432 at the
//     default), counting a shared part each time it is reached.
//
// The walk checks the evaluation's context every few thousand elements, so
// it stops when the time limit passes, and the operation that follows it
// then costs no more than the walk did (a constant factor of a bounded
// count). A value with no shared parts reaches no more elements than its
// memory holds, so only values built to blow up are refused.

// MaxValueDepth is how deeply lists, tuples, dicts and sets may nest in a
// value that model code hashes or converts to text, and in a file's
// globals when the file ends. A model value never needs more; deeper
// values are refused rather than traversed, since the traversals recurse.
const MaxValueDepth = 1000

// cancelEvery is how many elements a walk visits between checks of the
// evaluation's context.
const cancelEvery = 4096

// walker measures values for one operation. what names the operation in
// messages ("==", "str()", "a dict key").
type walker struct {
	thread *sl.Thread
	st     *threadState // nil on a thread Evaluate did not set up
	what   opName
	limit  int64 // most elements the operation may reach
	nodes  int64 // elements reached so far
	err    error
	over   bool       // err is the visit limit (not the depth or the time)
	path   []sl.Value // lists and dicts being converted to text, to stop at cycles
}

func newWalker(thread *sl.Thread, what opName) walker {
	st := stateOf(thread)
	return walker{thread: thread, st: st, what: what, limit: visitLimit(st)}
}

// visitLimit is how many elements one operation may reach: as many slots
// as the memory budget holds.
func visitLimit(st *threadState) int64 {
	if st == nil || st.ev == nil {
		return DefaultMaxMemory / elemBytes
	}
	return st.ev.cfg.maxMemory / elemBytes
}

// stateOf returns the thread's state, or nil for a thread Evaluate did not
// set up.
func stateOf(thread *sl.Thread) *threadState {
	st, _ := thread.Local(stateKey).(*threadState)
	return st
}

// visit counts one element and reports whether the walk may go on.
func (w *walker) visit() bool {
	if w.err != nil {
		return false
	}
	w.nodes++
	if w.nodes > w.limit {
		w.err, w.over = w.limitError(), true
		return false
	}
	if w.nodes%cancelEvery == 0 && w.st != nil && w.st.ev != nil {
		if err := w.st.ev.ctx.Err(); err != nil {
			w.err = fmt.Errorf("evaluation stopped: %w", err)
			return false
		}
	}
	return true
}

func (w *walker) tooDeep() {
	if w.err == nil {
		w.err = fmt.Errorf("%s: the value is nested more than %d levels deep (MaxValueDepth, a fixed limit); model values never nest that deep: build them flat", w.what, MaxValueDepth)
	}
}

// limitError reports a traversal past the visit limit, as EVAL_MEMORY_LIMIT:
// the limit follows the memory budget.
func (w *walker) limitError() error {
	msg := fmt.Sprintf("%s would reach more than %s elements (shared parts count each time they are reached), more than the memory budget of this file holds",
		w.what, countText(w.limit))
	hint := "a value that reaches this many elements shares its parts over and over (a list of lists of one list); build the data flat. If the model really needs it, raise the budget with WithMaxMemory (dsl --max-memory)"
	if w.st == nil || w.st.ev == nil {
		return fmt.Errorf("%s", msg)
	}
	return &diagError{d: withHint(newDiag(RuleMemoryLimit, w.st.ev.callerPos(w.thread), msg), hint)}
}

// hashed walks what hashing v visits: the elements of tuples, at any depth
// (other values hash without recursing, or are unhashable).
func (w *walker) hashed(v sl.Value, depth int) {
	t, ok := v.(sl.Tuple)
	if !w.visit() || !ok {
		return
	}
	if depth >= MaxValueDepth {
		w.tooDeep()
		return
	}
	for _, x := range t {
		if w.hashed(x, depth+1); w.err != nil {
			return
		}
	}
}

// compared walks what comparing v with another value visits at most:
// elements down to go.starlark.net's CompareLimit, and the keys of dicts
// and sets, which comparison hashes.
func (w *walker) compared(v sl.Value, depth int) {
	if !w.visit() || depth >= sl.CompareLimit {
		return
	}
	switch v := v.(type) {
	case *sl.List:
		for i := 0; i < v.Len() && w.err == nil; i++ {
			w.compared(v.Index(i), depth+1)
		}
	case sl.Tuple:
		for i := 0; i < len(v) && w.err == nil; i++ {
			w.compared(v[i], depth+1)
		}
	case *sl.Dict:
		for k, x := range v.Entries() {
			if w.hashed(k, 0); w.err != nil {
				return
			}
			if w.compared(x, depth+1); w.err != nil {
				return
			}
		}
	case *sl.Set:
		for k := range v.Elements() {
			if w.hashed(k, 0); w.err != nil {
				return
			}
		}
	}
}

// options walks what optionValue converts: elements and dict values, down
// to the depth where optionValue stops.
func (w *walker) options(v sl.Value, depth int) {
	if !w.visit() || depth > maxOptionDepth {
		return
	}
	switch v := v.(type) {
	case *sl.List:
		for i := 0; i < v.Len() && w.err == nil; i++ {
			w.options(v.Index(i), depth+1)
		}
	case sl.Tuple:
		for i := 0; i < len(v) && w.err == nil; i++ {
			w.options(v[i], depth+1)
		}
	case *sl.Dict:
		for _, x := range v.Entries() {
			if w.options(x, depth+1); w.err != nil {
				return
			}
		}
	}
}

// keys walks the hashing of every element of an iterable, as building a
// dict or set from it (or looking each up) does: the first element of each
// pair when pairs is set.
func (w *walker) keys(v sl.Value, pairs bool) {
	switch v := v.(type) {
	case *sl.Dict:
		for k := range v.Entries() {
			if w.hashed(k, 0); w.err != nil {
				return
			}
		}
		return
	case *sl.Set:
		for k := range v.Elements() {
			if w.hashed(k, 0); w.err != nil {
				return
			}
		}
		return
	}
	it, ok := v.(sl.Iterable)
	if !ok {
		return
	}
	iter := it.Iterate()
	defer iter.Done()
	var x sl.Value
	for iter.Next(&x) {
		if pairs {
			if p, ok := x.(sl.Indexable); ok && p.Len() > 0 {
				x = p.Index(0)
			}
		}
		if w.hashed(x, 0); w.err != nil {
			return
		}
	}
}

// text returns an estimate of the length of str(v) (escapes are not
// counted), walking as go.starlark.net's conversion does: cycles print as
// [...]. It stops, returning what it has, once the length passes stop.
func (w *walker) text(v sl.Value, depth int, stop int64) int64 {
	if !w.visit() {
		return 0
	}
	switch v := v.(type) {
	case sl.String:
		return int64(len(v)) + 2
	case sl.Bytes:
		return int64(len(v)) + 3
	case sl.Int:
		if _, ok := v.Int64(); ok {
			return 20
		}
		return int64(v.BigInt().BitLen()/3 + 2)
	case sl.NoneType, sl.Bool, sl.Float:
		return 24
	case *sl.List, sl.Tuple, *sl.Dict, *sl.Set:
		if depth >= MaxValueDepth {
			w.tooDeep()
			return 0
		}
		switch v.(type) {
		case *sl.List, *sl.Dict: // only these can contain themselves
			if containsValue(w.path, v) {
				return 5 // [...]
			}
			w.path = append(w.path, v)
			defer func() { w.path = w.path[:len(w.path)-1] }()
		}
		n := int64(2)
		each := func(x sl.Value) bool {
			n += w.text(x, depth+1, stop-n) + 2
			return w.err == nil && n <= stop
		}
		switch v := v.(type) {
		case *sl.List:
			for i := 0; i < v.Len() && each(v.Index(i)); i++ {
			}
		case sl.Tuple:
			for i := 0; i < len(v) && each(v[i]); i++ {
			}
		case *sl.Dict:
			for k, x := range v.Entries() {
				if !each(k) || !each(x) {
					break
				}
			}
		case *sl.Set:
			for k := range v.Elements() {
				if !each(k) {
					break
				}
			}
		}
		return n
	}
	return 64 // a function or model object: a short description
}

// textSize is the estimated length of the text of vals together, for an
// operation that converts them; it stops early once the length passes what
// is left of the memory budget, and fails on a value nested too deep or
// when the evaluation's time is up.
func textSize(thread *sl.Thread, what opName, vals ...sl.Value) (int64, error) {
	var n int64
	for i, v := range vals {
		k, ok := scalarText(v)
		if !ok {
			return textWalk(thread, what, n, vals[i:])
		}
		n += k // most conversions are of scalars: no walk
	}
	return n, nil
}

// textWalk is textSize of vals, n bytes into the text, with a walk.
func textWalk(thread *sl.Thread, what opName, n int64, vals []sl.Value) (int64, error) {
	w := newWalker(thread, what)
	stop := remaining(w.st)
	for _, v := range vals {
		if n += w.text(v, 0, stop-n); w.err != nil {
			return 0, w.err
		}
		if n > stop {
			break
		}
	}
	return n, nil
}

// scalarText is the estimated length of the text of a string, bytes,
// small int, float, bool or None, which converts without recursing.
func scalarText(v sl.Value) (int64, bool) {
	switch v := v.(type) {
	case sl.String:
		return int64(len(v)) + 2, true
	case sl.Bytes:
		return int64(len(v)) + 3, true
	case sl.Int:
		_, small := v.Int64()
		return 20, small
	case sl.NoneType, sl.Bool, sl.Float:
		return 24, true
	}
	return 0, false
}

// longestText is the estimated length of the longest text of vals, for a
// formatting operation that may use each many times.
func longestText(thread *sl.Thread, what opName, vals ...sl.Value) (int64, error) {
	var longest int64
	for _, v := range vals {
		n, err := textSize(thread, what, v)
		if err != nil {
			return 0, err
		}
		longest = max(longest, n)
	}
	return longest, nil
}

// compareCheck refuses a comparison of x and y that would reach too many
// elements. Comparing stops within the smaller of the two, so the
// comparison is refused only when both are too large.
func compareCheck(thread *sl.Thread, what opName, x, y sl.Value) error {
	if !isContainer(x) || !isContainer(y) {
		return nil
	}
	w := newWalker(thread, what)
	if w.compared(x, 0); !w.over {
		return w.err
	}
	w.nodes, w.err, w.over = 0, nil, false
	w.compared(y, 0)
	return w.err
}

// memberCheck refuses x in y (or y.index(x), y.remove(x)) when it would
// reach too many elements: y's elements are each compared with x, or x is
// hashed and compared with the keys of the same hash.
func memberCheck(thread *sl.Thread, what opName, x, y sl.Value) error {
	if !isContainer(x) {
		return nil // comparing with a scalar costs one step per element
	}
	w := newWalker(thread, what)
	if _, hashes := y.(sl.Mapping); hashes {
		w.hashed(x, 0)
		return w.err
	}
	if _, hashes := y.(*sl.Set); hashes {
		w.hashed(x, 0)
		return w.err
	}
	if w.compared(x, 0); w.err != nil {
		return w.err
	}
	n := int64(1)
	if s, ok := y.(sl.Sequence); ok {
		n = int64(max(s.Len(), 1))
	}
	if mulSize(w.nodes, n) <= w.limit {
		return nil // each element's comparison stops within x
	}
	w.nodes = 0
	w.compared(y, 0)
	return w.err
}

// hashCheck refuses hashing the values when it would reach too many
// elements or recurse too deep.
func hashCheck(thread *sl.Thread, what opName, vals ...sl.Value) error {
	var w walker
	for _, v := range vals {
		if _, ok := v.(sl.Tuple); !ok {
			continue // hashes without recursing
		}
		if w.thread == nil {
			w = newWalker(thread, what)
		}
		if w.hashed(v, 0); w.err != nil {
			return w.err
		}
	}
	return nil
}

// keysCheck refuses building a dict or set from (or looking up every
// element of) the iterables when hashing their elements would reach too
// many elements.
func keysCheck(thread *sl.Thread, what opName, pairs bool, vals ...sl.Value) error {
	w := newWalker(thread, what)
	for _, v := range vals {
		if w.keys(v, pairs); w.err != nil {
			return w.err
		}
	}
	return nil
}

// isContainer reports whether comparing or hashing v may recurse.
func isContainer(v sl.Value) bool {
	switch v.(type) {
	case *sl.List, sl.Tuple, *sl.Dict, *sl.Set:
		return true
	}
	return false
}

// deepGlobal returns the first global, in name order, whose value nests
// lists, tuples, dicts and sets more than MaxValueDepth levels deep, or "".
// Each container is visited once, so the check costs one pass over the
// globals' values even when they share parts. (Freezing the globals, which
// follows, recurses as deep as they nest.)
func deepGlobal(globals sl.StringDict) string {
	var seen map[any]bool
	var deep func(v sl.Value, depth int) bool
	deep = func(v sl.Value, depth int) bool {
		var id any
		switch x := v.(type) {
		case *sl.List:
			id = x
		case *sl.Dict:
			id = x
		case *sl.Set:
			id = x
		case sl.Tuple:
			if len(x) == 0 {
				return false
			}
			id = &x[0]
		default:
			return false
		}
		if seen[id] {
			return false
		}
		if depth >= MaxValueDepth {
			return true
		}
		if seen == nil {
			seen = map[any]bool{}
		}
		seen[id] = true
		switch x := v.(type) {
		case *sl.List:
			for i := 0; i < x.Len(); i++ {
				if deep(x.Index(i), depth+1) {
					return true
				}
			}
		case sl.Tuple:
			for _, e := range x {
				if deep(e, depth+1) {
					return true
				}
			}
		case *sl.Dict:
			for k, e := range x.Entries() {
				if deep(k, depth+1) || deep(e, depth+1) {
					return true
				}
			}
		case *sl.Set:
			for e := range x.Elements() {
				if deep(e, depth+1) {
					return true
				}
			}
		}
		return false
	}
	for _, name := range globals.Keys() {
		if deep(globals[name], 0) {
			return name
		}
	}
	return ""
}
