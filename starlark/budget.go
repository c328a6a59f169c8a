package starlark

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	sl "go.starlark.net/starlark"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// The memory budget.
//
// Each file's execution has a budget of bytes (WithMaxMemory) that the
// values it builds are charged to, before they are built whenever the size
// is known in advance. The charges are estimates of what go.starlark.net
// allocates, deterministic so that a model passes or fails the same way on
// every machine, and cumulative: garbage is not refunded, since a model
// file builds data once and keeps it. What is charged:
//
//   - a string its bytes; a big int its bytes;
//   - a list or tuple element elemBytes, a dict or set entry entryBytes, and
//     a new list, tuple, dict or set containerBytes;
//   - a model object made by a builtin (column(), dataset(), ...) objectBytes.
//
// Code that runs once (top-level statements outside loops) builds at most
// what the file's text spells out, which the file size limit bounds, so
// only the operations that can build more than their text — the operators
// and methods that repeat, join, concatenate or copy, conversions to text,
// and everything inside loops, comprehensions and functions — are charged
// (see guard.go for how).

// Sizes charged to the memory budget.
const (
	elemBytes      = 16  // a list or tuple element
	entryBytes     = 64  // a dict or set entry
	containerBytes = 48  // a new list, tuple, dict or set
	objectBytes    = 256 // a model object made by a builtin
)

// charge adds n bytes to the memory used by the thread's file and refuses
// when that passes the budget, with EVAL_MEMORY_LIMIT at the operation. n
// below zero means more than can be counted.
func charge(thread *sl.Thread, what opName, n int64) error {
	st := stateOf(thread)
	if st == nil || st.ev == nil {
		return nil // a thread Evaluate did not set up: no budget
	}
	return st.charge(func() ecosystem.Pos { return st.ev.callerPos(thread) }, what, n)
}

// charge is charge for a caller that knows its position.
func (st *threadState) charge(pos func() ecosystem.Pos, what opName, n int64) error {
	limit := st.ev.cfg.maxMemory
	if n >= 0 && n <= limit-st.memUsed {
		st.memUsed += n
		if st.memUsed-st.flushed >= flushBytes {
			return st.flush()
		}
		return nil
	}
	left := limit - st.memUsed
	var msg string
	if n >= 0 && n < math.MaxInt64/2 {
		msg = fmt.Sprintf("%s would build %s, more than the %s left of this file's memory budget of %s",
			what, byteText(n), byteText(left), byteText(limit))
	} else {
		msg = fmt.Sprintf("%s would build more than the %s left of this file's memory budget of %s",
			what, byteText(left), byteText(limit))
	}
	return &diagError{d: withHint(newDiag(RuleMemoryLimit, pos(), msg), memoryLimitHint(limit))}
}

// flushBytes is how much a file charges before the charges are added to
// the evaluation's total: the total is shared by the files running in
// parallel, so it is updated in steps rather than at every charge.
const flushBytes = 1 << 20

// errOverTotal stops a file when the evaluation's total passes its budget;
// the evaluation then reports only that (see Evaluate).
var errOverTotal = errors.New("the evaluation passed its total memory budget")

// flush adds what the file has charged since the last flush to the
// evaluation's total, and stops the evaluation when the total passes
// the total budget. Every file flushes when it ends, so whether the total
// passes the budget depends only on the files, not on how they ran.
func (st *threadState) flush() error {
	n := st.memUsed - st.flushed
	st.flushed = st.memUsed
	return st.ev.addTotal(n)
}

// addTotal adds n bytes to the evaluation's total (see flush).
func (ev *evaluation) addTotal(n int64) error {
	if ev.memTotal.Add(n) <= ev.cfg.maxTotal {
		return nil
	}
	ev.overTotal.Store(true)
	ev.cancel()
	return errOverTotal
}

// totalMemoryDiag reports the evaluation's total passing its budget, at the
// entry file: the files ran in parallel, so which one passed it is chance.
func (ev *evaluation) totalMemoryDiag() ecosystem.Diagnostic {
	return withHint(newDiag(RuleMemoryLimit, ecosystem.Pos{File: ev.cfg.entry},
		fmt.Sprintf("the model's files together built more than the total memory budget of %s (each file may build %s)",
			byteText(ev.cfg.maxTotal), byteText(ev.cfg.maxMemory))),
		"look for files that build large values in loops; if the model really is that large, raise the total budget with WithMaxTotalMemory (dsl --max-total-memory)")
}

// opName names an operation in messages: its parts are joined only when a
// message needs them, since joining them for every operation would cost
// more than many operations do.
type opName [5]string

func (o opName) String() string { return o[0] + o[1] + o[2] + o[3] + o[4] }

// remaining is what is left of the thread's memory budget.
func remaining(st *threadState) int64 {
	if st == nil || st.ev == nil {
		return DefaultMaxMemory
	}
	return st.ev.cfg.maxMemory - st.memUsed
}

// callerPos is the position of the innermost Starlark frame of the thread:
// where model code called the builtin that is running.
func (ev *evaluation) callerPos(thread *sl.Thread) ecosystem.Pos {
	for i := 1; i < thread.CallStackDepth(); i++ {
		if p := ev.callPos(thread.CallFrame(i).Pos); p.IsValid() {
			return p
		}
	}
	return ecosystem.Pos{}
}

// memoryLimitHint is the hint of EVAL_MEMORY_LIMIT with the budget.
func memoryLimitHint(limit int64) string {
	return fmt.Sprintf("model files describe data and never need large values: look for a string or list multiplied, joined or appended to in a loop; if the model really needs more, raise the budget of %s with WithMaxMemory (dsl --max-memory)", byteText(limit))
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

// countText formats a count with thousands separators: 33,554,432.
func countText(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// mulSize returns a × b for sizes, or -1 on overflow or a negative factor.
func mulSize(a, b int64) int64 {
	if a < 0 || b < 0 {
		return -1
	}
	if a == 0 || b == 0 {
		return 0
	}
	if a > math.MaxInt64/b {
		return -1
	}
	return a * b
}

// addSize returns a + b for sizes, or -1 on overflow or a negative term.
func addSize(a, b int64) int64 {
	if a < 0 || b < 0 || a > math.MaxInt64-b {
		return -1
	}
	return a + b
}

// size estimates the bytes a new copy of v takes: the characters of a
// string or the bits of an int, the slots of a container. The elements of a
// container are not counted: they exist already.
func size(v sl.Value) int64 {
	switch v := v.(type) {
	case sl.String:
		return int64(len(v))
	case sl.Bytes:
		return int64(len(v))
	case sl.Int:
		if _, ok := v.Int64(); ok {
			return 0
		}
		return int64(v.BigInt().BitLen() / 8)
	case *sl.List:
		return containerBytes + int64(v.Len())*elemBytes
	case sl.Tuple:
		return containerBytes + int64(len(v))*elemBytes
	case *sl.Dict:
		return containerBytes + int64(v.Len())*entryBytes
	case *sl.Set:
		return containerBytes + int64(v.Len())*entryBytes
	}
	return 0
}

// lenOf is the number of elements of v when it has a known length, else 0.
func lenOf(v sl.Value) int64 {
	if n := sl.Len(v); n > 0 {
		return int64(n)
	}
	return 0
}
