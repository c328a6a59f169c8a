package dialect

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/datasurface/datasurface-go/platforms/sqlplatform/value"
	"github.com/datasurface/datasurface-go/types"
)

// decoder turns what a driver scanned into the canonical value. The three
// dialects share it: every driver hands over some of int64, uint64,
// float64, float32, bool, []byte, string and time.Time, and a source column
// may be declared otherwise than the platform would declare it (a decimal
// in a double column, a date in a text column), so each family accepts
// every driver type that can hold its values exactly and refuses the
// others with the reason.
type decoder struct {
	// mysqlGeometry says that geometry columns hold MySQL's internal form:
	// a 4-byte little-endian spatial reference, then WKB.
	mysqlGeometry bool
}

// decodeError words a decode failure: the value, the type, the reason.
func decodeError(t types.Type, src any, reason string) error {
	return fmt.Errorf("value %s cannot be read as %s: %s", showSrc(src), t, reason)
}

// showSrc renders a driver value for an error message.
func showSrc(src any) string {
	switch s := src.(type) {
	case []byte:
		if isText(s) {
			return value.Show(string(s))
		}
		return value.Show(s)
	case string:
		return value.Show(s)
	case float32:
		return value.Show(float64(s))
	}
	return value.Show(src)
}

// isText reports whether b is printable enough to show as text.
func isText(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' {
			return false
		}
	}
	return true
}

// decode is the shared Decode of the three dialects.
func (dc decoder) decode(t types.Type, src any) (any, error) {
	if src == nil {
		return nil, nil
	}
	v, err := dc.decodeFamily(t, src)
	if err != nil {
		var de *decodeErr
		if errors.As(err, &de) {
			return nil, decodeError(t, src, de.reason)
		}
		return nil, err
	}
	return v, nil
}

// decodeErr is a reason a value cannot be read; decode adds the value and
// type around it.
type decodeErr struct{ reason string }

func (e *decodeErr) Error() string { return e.reason }

func reason(format string, args ...any) error {
	return &decodeErr{reason: fmt.Sprintf(format, args...)}
}

// textOf returns the text of a string or []byte driver value.
func textOf(src any) (string, bool) {
	switch s := src.(type) {
	case string:
		return s, true
	case []byte:
		return string(s), true
	}
	return "", false
}

func (dc decoder) decodeFamily(t types.Type, src any) (any, error) {
	switch t := t.(type) {
	case types.StringType:
		var s string
		switch v := src.(type) {
		case string:
			if !t.Fixed() {
				// src as is: boxing v again would allocate, once per value.
				return src, nil
			}
			s = v
		case []byte:
			s = string(v)
		case int64:
			s = strconv.FormatInt(v, 10)
		default:
			return nil, reason("a %T is not text", src)
		}
		if t.Fixed() {
			s = strings.TrimRight(s, " ")
		}
		return s, nil
	case types.IntegerType:
		switch v := src.(type) {
		case int64:
			if t.Unsigned() && t.Bits() == 64 {
				if v < 0 {
					return nil, reason("it is negative")
				}
				return uint64(v), nil
			}
			return src, nil
		case uint64:
			if t.Unsigned() && t.Bits() == 64 {
				return v, nil
			}
			if v > math.MaxInt64 {
				return nil, reason("it is outside the range of %s", t)
			}
			return int64(v), nil
		case float64:
			if v != math.Trunc(v) || math.IsInf(v, 0) {
				return nil, reason("it is not a whole number")
			}
			return decodeInteger(t, strconv.FormatFloat(v, 'f', -1, 64))
		case bool:
			if v {
				return int64(1), nil
			}
			return int64(0), nil
		}
		if s, ok := textOf(src); ok {
			return decodeInteger(t, strings.TrimSpace(s))
		}
	case types.DecimalType:
		switch v := src.(type) {
		case int64:
			return value.ParseDecimal(strconv.FormatInt(v, 10))
		case uint64:
			return value.ParseDecimal(strconv.FormatUint(v, 10))
		case float64:
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, reason("a decimal is a finite number")
			}
			return value.ParseDecimal(strconv.FormatFloat(v, 'f', -1, 64))
		}
		if s, ok := textOf(src); ok {
			d, err := value.ParseDecimal(strings.TrimSpace(s))
			if err != nil {
				return nil, reason("it is not a decimal number")
			}
			return d, nil
		}
	case types.FloatType:
		return decodeFloat(t.Format(), src)
	case types.MXType:
		if b, ok := src.([]byte); ok {
			return blockOf(b)
		}
		if s, ok := src.(string); ok {
			return blockOf([]byte(s))
		}
	case types.BooleanType:
		switch v := src.(type) {
		case bool:
			return src, nil
		case int64:
			if v == 0 || v == 1 {
				return v == 1, nil
			}
			return nil, reason("a boolean is 0 or 1")
		}
		if s, ok := textOf(src); ok {
			switch strings.ToLower(strings.TrimSpace(s)) {
			case "1", "t", "true":
				return true, nil
			case "0", "f", "false":
				return false, nil
			}
			return nil, reason("a boolean is true, false, 1 or 0")
		}
	case types.DateType:
		if v, ok := src.(time.Time); ok {
			if h, m, s := v.Clock(); h != 0 || m != 0 || s != 0 || v.Nanosecond() != 0 {
				return nil, reason("it has a time of day")
			}
			return value.DateOf(v), nil
		}
		if s, ok := textOf(src); ok {
			return decodeText(t, s)
		}
	case types.TimeType:
		if s, ok := textOf(src); ok {
			return decodeText(t, s)
		}
		if v, ok := src.(time.Time); ok {
			// Some drivers hand a time of day over on a dummy date.
			h, m, sec := v.Clock()
			return value.TimeOfDay(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute +
				time.Duration(sec)*time.Second + time.Duration(v.Nanosecond())), nil
		}
	case types.TimestampType:
		if v, ok := src.(time.Time); ok {
			return value.Timestamp(v), nil
		}
		if s, ok := textOf(src); ok {
			return decodeText(t, s)
		}
	case types.IntervalType:
		if s, ok := textOf(src); ok {
			return decodeText(t, s)
		}
	case types.BinaryType:
		switch v := src.(type) {
		case []byte:
			return append([]byte{}, v...), nil
		case string:
			return []byte(v), nil
		}
	case types.VariantType:
		var text string
		switch v := src.(type) {
		case string:
			text = v
		case []byte:
			text = string(v)
		case int64:
			text = strconv.FormatInt(v, 10)
		case float64:
			text = strconv.FormatFloat(v, 'g', -1, 64)
		case bool:
			text = strconv.FormatBool(v)
		default:
			return nil, reason("a %T is not JSON text", src)
		}
		j, err := value.CanonicalJSON([]byte(text))
		if err != nil {
			return nil, reason("it %v", err)
		}
		return j, nil
	case types.ArrayType, types.MapType, types.StructType:
		if s, ok := textOf(src); ok {
			v, err := unmarshalJSONForm(t, []byte(s))
			if err != nil {
				return nil, reason("its JSON %v", err)
			}
			return v, nil
		}
	case types.VectorType:
		if s, ok := textOf(src); ok {
			return decodeVector(t, []byte(s))
		}
	case types.GeographyType:
		return dc.decodeGeography(t, src)
	default:
		return nil, fmt.Errorf("type %s is not in the catalogue", t)
	}
	return nil, reason("a %T cannot hold it", src)
}

// decodeInteger reads a whole number in decimal digits.
func decodeInteger(t types.IntegerType, s string) (any, error) {
	if t.Unsigned() && t.Bits() == 64 {
		u, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return nil, reason("it is not a whole number from 0 to 18446744073709551615")
		}
		return u, nil
	}
	i, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil, reason("it is not a whole number that fits in 64 bits")
	}
	return i, nil
}

// decodeFloat reads a float of format f from a driver value.
func decodeFloat(f *types.FloatFormat, src any) (any, error) {
	switch v := src.(type) {
	case float64:
		if math.IsNaN(v) {
			return math.NaN(), nil
		}
		return src, nil
	case float32:
		return decodeFloat(f, float64(v))
	case int64:
		x := float64(v)
		if x >= 1<<63 || int64(x) != v {
			return nil, reason("a float64 does not hold this integer exactly")
		}
		return x, nil
	}
	if s, ok := textOf(src); ok {
		return parseFloatText(f, strings.TrimSpace(s))
	}
	return nil, reason("a %T is not a number", src)
}

// parseFloatText reads a float written as text: a decimal number, NaN,
// Infinity or -Infinity (any case, also inf). Formats of 32 bits or fewer
// are parsed to the nearest float32, because databases print float4/FLOAT
// values as the shortest text that reads back as the same float32; wider
// formats to the nearest float64. Check then says whether the result is a
// value of the format.
func parseFloatText(f *types.FloatFormat, s string) (any, error) {
	bits := 64
	if f.Bits() <= 32 {
		bits = 32
	}
	x, err := strconv.ParseFloat(s, bits)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return nil, reason("it is not a number")
	}
	if err != nil {
		return nil, reason("it is beyond the range of %s", f)
	}
	if math.IsNaN(x) {
		return math.NaN(), nil
	}
	return x, nil
}

// decodeText reads the text form of a scalar value of t (the form the
// JSON form and the text columns of SQLite and MySQL hold).
func decodeText(t types.Type, s string) (any, error) {
	var v any
	var err error
	switch t := t.(type) {
	case types.DecimalType:
		v, err = value.ParseDecimal(s)
	case types.MXType:
		var b []byte
		if b, err = hex.DecodeString(s); err == nil {
			return blockOf(b)
		}
	case types.DateType:
		v, err = value.ParseDate(strings.TrimSuffix(s, " 00:00:00"))
	case types.TimeType:
		v, err = value.ParseTimeOfDay(s)
	case types.TimestampType:
		var ts time.Time
		ts, _, err = value.ParseTimestamp(s)
		v = ts
	case types.IntervalType:
		v, err = value.ParseInterval(s)
	case types.BinaryType:
		v, err = base64.StdEncoding.DecodeString(s)
	case types.GeographyType:
		var b []byte
		if b, err = hex.DecodeString(s); err == nil {
			return decoder{}.decodeGeography(t, b)
		}
	default:
		return nil, reason("%s has no text form", t)
	}
	if err != nil {
		return nil, reason("%v", strings.TrimPrefix(err.Error(), strconv.Quote(s)+" "))
	}
	return v, nil
}

// mxSize is the stored size of an MX block: the scale code, then one byte
// per element.
const mxSize = 1 + types.BlockSize

// mxBytes is the stored form of an MX block.
func mxBytes(b types.MXBlock) []byte {
	out := make([]byte, 0, mxSize)
	out = append(out, b.Scale)
	return append(out, b.Elements[:]...)
}

// blockOf reads the stored form of an MX block.
func blockOf(b []byte) (any, error) {
	if len(b) != mxSize {
		return nil, reason("an MX block is stored as %d bytes (the scale code, then 32 element codes), not %d", mxSize, len(b))
	}
	var blk types.MXBlock
	blk.Scale = b[0]
	copy(blk.Elements[:], b[1:])
	return blk, nil
}

// decodeGeography reads WKB, EWKB, MySQL's internal form, or any of these
// in hexadecimal text (PostGIS prints geometries as hex EWKB).
func (dc decoder) decodeGeography(t types.GeographyType, src any) (any, error) {
	var b []byte
	switch v := src.(type) {
	case []byte:
		b = v
	case string:
		h, err := hex.DecodeString(v)
		if err != nil {
			return nil, reason("text geography values must be WKB in hexadecimal")
		}
		b = h
	default:
		return nil, reason("a %T is not WKB", src)
	}
	g, srid, err := value.ParseWKB(b)
	if dc.mysqlGeometry && len(b) > 4 {
		if g2, _, err2 := value.ParseWKB(b[4:]); err2 == nil {
			g, err = g2, nil
			srid = int(uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24)
		}
	}
	if err != nil {
		return nil, reason("it %v", err)
	}
	if srid > 0 && srid != t.SRID() {
		return nil, reason("its spatial reference is %d, but the column's is %d", srid, t.SRID())
	}
	return g, nil
}
