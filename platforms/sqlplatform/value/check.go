package value

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/datasurface/datasurface-go/types"
)

// MapEntry is one key and value of a canonical map.
type MapEntry struct {
	Key, Value any
}

// Check reports whether v, a canonical value (nil for NULL), is a value of
// type t. The error names the value (shortened and escaped for printing)
// and the limit it breaks, such as "value 300 is outside tinyint
// (-128 to 127)". A non-NULL value of the wrong Go type is an error naming
// the canonical Go type: the caller did not decode it.
func Check(t types.Type, v any) error {
	return check(t, v, 0)
}

// maxCheckDepth bounds the nesting Check follows; types nest at most 16
// deep (types.Parse), so only a malformed value reaches it.
const maxCheckDepth = 64

func check(t types.Type, v any, depth int) error {
	if v == nil {
		return nil
	}
	if depth > maxCheckDepth {
		return errors.New("value nests deeper than its type")
	}
	switch t := t.(type) {
	case types.StringType:
		return checkString(t, v)
	case types.IntegerType:
		return checkInteger(t, v)
	case types.DecimalType:
		d, ok := v.(Decimal)
		if !ok {
			return wrongGo(t, v, "value.Decimal")
		}
		return CheckDecimal(t, d)
	case types.FloatType:
		x, ok := v.(float64)
		if !ok {
			return wrongGo(t, v, "float64")
		}
		return CheckFloat(t.Format(), x)
	case types.MXType:
		b, ok := v.(types.MXBlock)
		if !ok {
			return wrongGo(t, v, "types.MXBlock")
		}
		return checkMX(t, b)
	case types.BooleanType:
		if _, ok := v.(bool); !ok {
			return wrongGo(t, v, "bool")
		}
		return nil
	case types.DateType:
		d, ok := v.(Date)
		if !ok {
			return wrongGo(t, v, "value.Date")
		}
		if !d.Valid() {
			return fmt.Errorf("value %04d-%02d-%02d is not a day of years 1 to 9999", d.Year, int(d.Month), d.Day)
		}
		return nil
	case types.TimeType:
		d, ok := v.(TimeOfDay)
		if !ok {
			return wrongGo(t, v, "value.TimeOfDay")
		}
		if d < 0 || d >= Day {
			return fmt.Errorf("value %s is not a time of day: it must be from 00:00:00 to 23:59:59.999999", d)
		}
		if time.Duration(d)%time.Microsecond != 0 {
			return fmt.Errorf("value %s has digits below the microsecond, which the databases do not keep: round it to microseconds", d)
		}
		return nil
	case types.TimestampType:
		ts, ok := v.(time.Time)
		if !ok {
			return wrongGo(t, v, "time.Time")
		}
		return checkTimestamp(ts)
	case types.IntervalType:
		if _, ok := v.(Interval); !ok {
			return wrongGo(t, v, "value.Interval")
		}
		return nil
	case types.BinaryType:
		b, ok := v.([]byte)
		if !ok {
			return wrongGo(t, v, "[]byte")
		}
		if t.Length() > 0 && len(b) > t.Length() {
			return fmt.Errorf("value of %d bytes is longer than %s allows", len(b), t)
		}
		return nil
	case types.VariantType:
		j, ok := v.(JSON)
		if !ok {
			return wrongGo(t, v, "value.JSON")
		}
		c, err := CanonicalJSON([]byte(j))
		if err != nil {
			return fmt.Errorf("variant value %s %v", Show(v), err)
		}
		if c != j {
			return fmt.Errorf("variant value %s is not in canonical form (%s): build it with value.CanonicalJSON", Show(v), Show(c))
		}
		return nil
	case types.ArrayType:
		return checkArray(t, v, depth)
	case types.MapType:
		return checkMap(t, v, depth)
	case types.StructType:
		return checkStruct(t, v, depth)
	case types.VectorType:
		x, ok := v.([]float64)
		if !ok {
			return wrongGo(t, v, "[]float64")
		}
		if len(x) != t.Dims() {
			return fmt.Errorf("vector value has %d values, but %s has exactly %d", len(x), t, t.Dims())
		}
		for i, e := range x {
			if err := CheckFloat(t.Elem().Format(), e); err != nil {
				return fmt.Errorf("vector element %d: %w", i+1, err)
			}
		}
		return nil
	case types.GeographyType:
		g, ok := v.(Geography)
		if !ok {
			return wrongGo(t, v, "value.Geography")
		}
		c, srid, err := ParseWKB(g)
		if err != nil {
			return fmt.Errorf("geography value %v", err)
		}
		if !bytes.Equal(c, g) {
			return errors.New("geography value is not in canonical form: build it with value.ParseWKB")
		}
		if srid != -1 {
			return errors.New("geography value carries a spatial reference: build it with value.ParseWKB")
		}
		if k := g.Kind(); t.Kind() != types.AnyGeometry && k != t.Kind() {
			return fmt.Errorf("geography value is a %s, but %s holds only %ss", k, t, t.Kind())
		}
		return nil
	}
	return fmt.Errorf("type %s is not in the catalogue", t)
}

// wrongGo is the error for a value of the wrong Go type.
func wrongGo(t types.Type, v any, want string) error {
	return fmt.Errorf("value %s is a Go %T, but the canonical value of %s is a %s (decode it first)", Show(v), v, t, want)
}

func checkString(t types.StringType, v any) error {
	s, ok := v.(string)
	if !ok {
		return wrongGo(t, v, "string")
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("value %s is not valid UTF-8", Show(s))
	}
	if strings.IndexByte(s, 0) >= 0 {
		return fmt.Errorf("value %s holds a NUL character, which PostgreSQL text cannot hold: remove it at the source", Show(s))
	}
	if t.Fixed() && strings.HasSuffix(s, " ") {
		return fmt.Errorf("value %s of %s ends in a space: the canonical value of a fixed-length string has no padding (trim it)", Show(s), t)
	}
	if t.Bounded() {
		if n := utf8.RuneCountInString(s); n > t.Length() {
			return fmt.Errorf("value %s has %d characters, more than %s holds: shorten it at the source, or widen the column in the model", Show(s), n, t)
		}
	}
	return nil
}

// IntegerRange returns the smallest and largest value of an integer type;
// the largest of ubigint does not fit in int64 and is returned as
// math.MaxInt64 with big true.
func IntegerRange(t types.IntegerType) (min int64, max int64, big bool) {
	bits := t.Bits()
	if t.Unsigned() {
		if bits == 64 {
			return 0, math.MaxInt64, true
		}
		return 0, 1<<bits - 1, false
	}
	return -1 << (bits - 1), 1<<(bits-1) - 1, false
}

func checkInteger(t types.IntegerType, v any) error {
	if t.Unsigned() && t.Bits() == 64 {
		if _, ok := v.(uint64); !ok {
			return wrongGo(t, v, "uint64")
		}
		return nil
	}
	i, ok := v.(int64)
	if !ok {
		return wrongGo(t, v, "int64")
	}
	lo, hi, _ := IntegerRange(t)
	if i < lo || i > hi {
		return fmt.Errorf("value %d is outside %s (%d to %d): widen the column in the model", i, t, lo, hi)
	}
	return nil
}

// CheckDecimal reports whether d fits decimal(p,s): at most p-s digits
// before the point and s after it.
func CheckDecimal(t types.DecimalType, d Decimal) error {
	in, frac := d.Digits()
	if frac > t.Scale() {
		return fmt.Errorf("value %s has %d digits after the point, more than %s keeps: round it at the source, or raise the scale in the model", d, frac, t)
	}
	if in > t.IntegerDigits() {
		return fmt.Errorf("value %s has %d digits before the point, more than the %d of %s: widen the precision in the model", d, in, t.IntegerDigits(), t)
	}
	return nil
}

// CheckFloat reports whether x is exactly a value of format f: a NaN only
// when f has NaN, an infinity only when f has infinities, negative zero
// only when f has it, and a finite value only when f represents it without
// rounding, overflow or underflow.
func CheckFloat(f *types.FloatFormat, x float64) error {
	switch {
	case math.IsNaN(x):
		if !f.HasNaN() {
			return fmt.Errorf("value NaN is not a value of %s, which has no NaN", f)
		}
		return nil
	case math.IsInf(x, 0):
		if !f.HasInfinity() {
			return fmt.Errorf("value %v is not a value of %s, which has no infinity", x, f)
		}
		return nil
	case f.Bits() >= 64:
		return nil // float64, float128 and float256 hold every float64
	}
	code, st := f.Encode(x)
	if !st.Exact() || math.Float64bits(f.Decode(code)) != math.Float64bits(x) {
		if x == 0 && math.Signbit(x) && !f.HasNegativeZero() {
			return fmt.Errorf("value -0 is not a value of %s, which has no negative zero", f)
		}
		return fmt.Errorf("value %v is not exactly a value of %s (largest finite %v, smallest positive %v): the nearest is %v", x, f, f.MaxFinite(), f.SmallestPositive(), f.Decode(code))
	}
	return nil
}

func checkMX(t types.MXType, b types.MXBlock) error {
	bits := t.Format().ElementBits()
	for i, e := range b.Elements {
		if bits < 8 && e>>bits != 0 {
			return fmt.Errorf("value of %s has element %d code 0x%02x, wider than the %d bits of an element", t, i+1, e, bits)
		}
	}
	return nil
}

func checkTimestamp(ts time.Time) error {
	if ts.Location() != time.UTC {
		return fmt.Errorf("value %s is not in UTC: the canonical timestamp is a time.Time in UTC (value.Timestamp makes one)", ts.Format(time.RFC3339Nano))
	}
	if ts.Before(minTimestamp) || ts.After(maxTimestamp) {
		return fmt.Errorf("value %s is outside years 1 to 9999", ts.Format(TimestampLayout))
	}
	if ts.Nanosecond()%1000 != 0 {
		return fmt.Errorf("value %s has digits below the microsecond, which the databases do not keep: round it to microseconds", ts.Format("2006-01-02 15:04:05.999999999"))
	}
	return nil
}

func checkArray(t types.ArrayType, v any, depth int) error {
	a, ok := v.([]any)
	if !ok {
		return wrongGo(t, v, "[]any")
	}
	if t.MaxLen() > 0 && len(a) > t.MaxLen() {
		return fmt.Errorf("array value has %d elements, more than %s holds", len(a), t)
	}
	for i, e := range a {
		if err := check(t.Elem(), e, depth+1); err != nil {
			return fmt.Errorf("array element %d: %w", i+1, err)
		}
	}
	return nil
}

func checkMap(t types.MapType, v any, depth int) error {
	m, ok := v.([]MapEntry)
	if !ok {
		return wrongGo(t, v, "[]value.MapEntry")
	}
	var prev []byte
	for i, e := range m {
		if e.Key == nil {
			return fmt.Errorf("map entry %d has a NULL key", i+1)
		}
		if err := check(t.Key(), e.Key, depth+1); err != nil {
			return fmt.Errorf("map key %d: %w", i+1, err)
		}
		if err := check(t.Value(), e.Value, depth+1); err != nil {
			return fmt.Errorf("map value of key %s: %w", Show(e.Key), err)
		}
		enc := AppendValue(nil, e.Key)
		if i > 0 {
			switch c := bytes.Compare(prev, enc); {
			case c == 0:
				return fmt.Errorf("map value repeats the key %s", Show(e.Key))
			case c > 0:
				return errors.New("map value is not sorted by key: build it with value.SortMap")
			}
		}
		prev = enc
	}
	return nil
}

func checkStruct(t types.StructType, v any, depth int) error {
	s, ok := v.([]any)
	if !ok {
		return wrongGo(t, v, "[]any")
	}
	if len(s) != t.NumFields() {
		return fmt.Errorf("struct value has %d fields, but %s has %d", len(s), t, t.NumFields())
	}
	for i, f := range t.Fields() {
		if s[i] == nil {
			if f.NotNull {
				return fmt.Errorf("struct field %s is NULL, but the type says not null", f.Name)
			}
			continue
		}
		if err := check(f.Type, s[i], depth+1); err != nil {
			return fmt.Errorf("struct field %s: %w", f.Name, err)
		}
	}
	return nil
}
