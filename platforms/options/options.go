package options

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// Error is one bad option of a platform declaration.
type Error struct {
	// Option is the option's key.
	Option string
	// Value is the value given, as the model wrote it; nil for a missing option.
	Value any
	// Reason says what is wrong, Hint how to fix it.
	Reason string
	Hint   string
}

// Error formats the problem as `option "key" = value: reason`.
func (e *Error) Error() string {
	if e.Value == nil {
		return fmt.Sprintf("option %q: %s", e.Option, e.Reason)
	}
	return fmt.Sprintf("option %q = %s: %s", e.Option, formatValue(e.Value), e.Reason)
}

// Reader reads one declaration's options and collects their problems.
type Reader struct {
	opts  map[string]any
	asked []string
	errs  []*Error
}

// New returns a reader of decl's options.
func New(decl *ecosystem.Platform) *Reader {
	return &Reader{opts: decl.Options}
}

// String returns the string option key and whether it is set. When allowed
// values are given, any other value is an error naming them.
func (r *Reader) String(key string, allowed ...string) (string, bool) {
	v, ok := r.get(key)
	if !ok {
		return "", false
	}
	s, isStr := v.(string)
	if !isStr {
		r.fail(key, v, "want a string, got "+typeName(v), "")
		return "", false
	}
	if len(allowed) > 0 && !slices.Contains(allowed, s) {
		hint := ""
		if near := Closest(s, allowed); near != "" {
			hint = fmt.Sprintf("did you mean %q?", near)
		}
		r.fail(key, v, "want one of "+quoteAll(allowed), hint)
		return "", false
	}
	return s, true
}

// Int returns the integer option key and whether it is set.
func (r *Reader) Int(key string) (int64, bool) {
	v, ok := r.get(key)
	if !ok {
		return 0, false
	}
	i, isInt := v.(int64)
	if !isInt {
		r.fail(key, v, "want an integer, got "+typeName(v), "")
		return 0, false
	}
	return i, true
}

// Bool returns the boolean option key and whether it is set.
func (r *Reader) Bool(key string) (bool, bool) {
	v, ok := r.get(key)
	if !ok {
		return false, false
	}
	b, isBool := v.(bool)
	if !isBool {
		r.fail(key, v, "want True or False, got "+typeName(v), "")
		return false, false
	}
	return b, true
}

// Strings returns the list-of-strings option key and whether it is set.
func (r *Reader) Strings(key string) ([]string, bool) {
	v, ok := r.get(key)
	if !ok {
		return nil, false
	}
	list, isList := v.([]any)
	if !isList {
		r.fail(key, v, "want a list of strings, got "+typeName(v), "")
		return nil, false
	}
	out := make([]string, len(list))
	for i, e := range list {
		s, isStr := e.(string)
		if !isStr {
			r.fail(key, v, fmt.Sprintf("element %d: want a string, got %s", i, typeName(e)), "")
			return nil, false
		}
		out[i] = s
	}
	return out, true
}

// Fail records a problem the factory found with an option itself (a value
// out of range, two options that contradict each other).
func (r *Reader) Fail(key, reason, hint string) {
	v := r.opts[key]
	r.fail(key, v, reason, hint)
}

// Err returns every problem found, plus one for each option that was set but
// never asked for (an unknown key, with a did-you-mean among the keys asked
// for), as errors.Join of *Error sorted by option key; nil when all is well.
func (r *Reader) Err() error {
	errs := slices.Clone(r.errs)
	for key, v := range r.opts {
		if slices.Contains(r.asked, key) {
			continue
		}
		hint := "remove it"
		if near := Closest(key, r.asked); near != "" {
			hint = fmt.Sprintf("did you mean %q?", near)
		}
		reason := "unknown option (this kind takes none)"
		if len(r.asked) > 0 {
			reason = "unknown option (this kind takes " + quoteAll(sortedCopy(r.asked)) + ")"
		}
		errs = append(errs, &Error{Option: key, Value: v, Reason: reason, Hint: hint})
	}
	if len(errs) == 0 {
		return nil
	}
	slices.SortStableFunc(errs, func(a, b *Error) int { return cmp.Compare(a.Option, b.Option) })
	joined := make([]error, len(errs))
	for i, e := range errs {
		joined[i] = e
	}
	return errors.Join(joined...)
}

func (r *Reader) get(key string) (any, bool) {
	if !slices.Contains(r.asked, key) {
		r.asked = append(r.asked, key)
	}
	v, ok := r.opts[key]
	return v, ok
}

func (r *Reader) fail(key string, v any, reason, hint string) {
	r.errs = append(r.errs, &Error{Option: key, Value: v, Reason: reason, Hint: hint})
}

// typeName names a value's type the way the model language does.
func typeName(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a bool"
	case []any:
		return "a list"
	case map[string]any:
		return "a dict"
	case nil:
		return "None"
	}
	return fmt.Sprintf("%T", v)
}

// formatValue prints a value as the model wrote it: strings quoted, the rest
// in Go's default format.
func formatValue(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprint(v)
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

func sortedCopy(ss []string) []string {
	out := slices.Clone(ss)
	slices.Sort(out)
	return out
}
