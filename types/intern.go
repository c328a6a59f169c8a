package types

import (
	"runtime"
	"sync"
	"weak"
)

// Struct types hold a slice of fields, which Go cannot compare with ==. To
// keep every Type comparable (and usable as a map key) a StructType holds a
// pointer to an interned body: all struct types with the same canonical text
// share one body, so pointer equality is content equality.
//
// The intern table holds weak pointers and drops an entry once its body is
// garbage, so parsing many distinct struct types (a fuzzer does) does not
// grow memory without bound. While any StructType refers to a body, the weak
// pointer stays valid and new constructions find the same body.
var structBodies sync.Map // canonical text -> weak.Pointer[structBody]

// structBody is the shared, immutable content of a struct type.
type structBody struct {
	fields []Field
	text   string         // canonical syntax, computed once
	index  map[string]int // field positions by name, for wide structs only
}

// indexFrom is the field count from which a body keeps a name index;
// below it a linear scan is faster than hashing.
const indexFrom = 16

// internStruct returns the unique body for the canonical text, creating it
// from fields when there is none.
func internStruct(text string, fields []Field) *structBody {
	for {
		if v, ok := structBodies.Load(text); ok {
			wp := v.(weak.Pointer[structBody])
			if b := wp.Value(); b != nil {
				return b
			}
			// The body was collected but its cleanup has not run yet;
			// remove the stale entry (only if it is still this one) and retry.
			structBodies.CompareAndDelete(text, wp)
			continue
		}
		b := &structBody{fields: fields, text: text}
		if len(fields) >= indexFrom {
			b.index = make(map[string]int, len(fields))
			for i, f := range fields {
				b.index[f.Name] = i
			}
		}
		wp := weak.Make(b)
		if _, loaded := structBodies.LoadOrStore(text, wp); loaded {
			continue // another goroutine interned the same text first: use theirs
		}
		runtime.AddCleanup(b, func(key string) {
			structBodies.CompareAndDelete(key, wp)
		}, text)
		return b
	}
}
