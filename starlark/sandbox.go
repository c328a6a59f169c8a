package starlark

import (
	"fmt"

	sl "go.starlark.net/starlark"
)

// MaxRange is the most elements a range() in model code may have.
//
// The step limit counts bytecode instructions, so it cannot stop one
// instruction that runs a builtin for long: list(range(10**9)) would build a
// list of a billion elements (16 GB) in a single step. range is the
// universe's way to make a large sequence out of nothing, so model files get
// a range that refuses to: ten million elements is far more than any model
// loops over, and a list of them is 160 MB. (Repetition, "x" * n and [0] * n,
// and the other operations that build large values are charged to the memory
// budget; see guard.go and docs/LANGUAGE.md.)
const MaxRange = 10_000_000

// boundedRange is the range of model files: the universe's range, refusing
// more than MaxRange elements.
var boundedRange = sl.NewBuiltin("range", func(thread *sl.Thread, b *sl.Builtin, args sl.Tuple, kwargs []sl.Tuple) (sl.Value, error) {
	r, err := universeRange.CallInternal(thread, args, kwargs)
	if err != nil {
		return nil, err
	}
	if seq, ok := r.(sl.Sequence); ok && seq.Len() > MaxRange {
		return nil, fmt.Errorf("range: %d elements is more than model files allow (at most %d)", seq.Len(), MaxRange)
	}
	return r, nil
})

var universeRange = sl.Universe["range"].(*sl.Builtin)
