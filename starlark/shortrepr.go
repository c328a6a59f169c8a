package starlark

import (
	"strings"
	"unicode/utf8"

	sl "go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// shortReprRunes is the most runes of a value's representation a message
// shows; longer ones are cut to shortReprRunes-3 runes and "...".
const shortReprRunes = 60

// shortRepr is a value's Starlark representation, cut to a readable length.
// It writes only the part of the representation it shows, so a value that
// is huge, deeply nested or shares its parts many times (which str() would
// take minutes over) costs no more than a short one.
func shortRepr(v sl.Value) string {
	w := shortWriter{limit: 4 * (shortReprRunes + 1)}
	w.value(v, nil)
	s := w.b.String()
	if utf8.RuneCountInString(s) > shortReprRunes {
		r := []rune(s)
		s = string(r[:shortReprRunes-3]) + "..."
	}
	return s
}

// shortWriter writes a prefix of at least limit bytes (or all) of a
// value's representation, exactly as go.starlark.net writes it.
type shortWriter struct {
	b     strings.Builder
	limit int
}

func (w *shortWriter) full() bool { return w.b.Len() >= w.limit }

func (w *shortWriter) value(v sl.Value, path []sl.Value) {
	if w.full() {
		return
	}
	switch x := v.(type) {
	case sl.String:
		w.b.WriteString(syntax.Quote(prefix(string(x), w.limit), false))
	case sl.Bytes:
		w.b.WriteString(syntax.Quote(prefix(string(x), w.limit), true))
	case *sl.List:
		w.b.WriteByte('[')
		if containsValue(path, x) {
			w.b.WriteString("...")
		} else {
			for i := 0; i < x.Len() && !w.full(); i++ {
				if i > 0 {
					w.b.WriteString(", ")
				}
				w.value(x.Index(i), append(path, x))
			}
		}
		w.b.WriteByte(']')
	case sl.Tuple:
		w.b.WriteByte('(')
		for i := 0; i < len(x) && !w.full(); i++ {
			if i > 0 {
				w.b.WriteString(", ")
			}
			w.value(x[i], path)
		}
		if len(x) == 1 {
			w.b.WriteByte(',')
		}
		w.b.WriteByte(')')
	case *sl.Dict:
		w.b.WriteByte('{')
		if containsValue(path, x) {
			w.b.WriteString("...")
		} else {
			sep := ""
			for k, e := range x.Entries() {
				if w.full() {
					break
				}
				w.b.WriteString(sep)
				w.value(k, path)
				w.b.WriteString(": ")
				w.value(e, append(path, x))
				sep = ", "
			}
		}
		w.b.WriteByte('}')
	case *sl.Set:
		w.b.WriteString("set([")
		sep := ""
		for e := range x.Elements() {
			if w.full() {
				break
			}
			w.b.WriteString(sep)
			w.value(e, path)
			sep = ", "
		}
		w.b.WriteString("])")
	default:
		w.b.WriteString(v.String()) // a scalar, function or model object: short
	}
}

// prefix is s cut to at most n bytes, at a character boundary.
func prefix(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for i := 0; i < utf8.UTFMax && len(s) > 0; i++ {
		if r, size := utf8.DecodeLastRuneInString(s); r != utf8.RuneError || size != 1 {
			break
		}
		s = s[:len(s)-1]
	}
	return s
}

func containsValue(path []sl.Value, v sl.Value) bool {
	for _, p := range path {
		if p == v {
			return true
		}
	}
	return false
}
