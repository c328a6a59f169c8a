package dialect

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/datasurface/datasurface-go/platforms/sqlplatform/value"
	"github.com/datasurface/datasurface-go/types"
)

// The JSON form (docs/SQL_TYPES.md, "Composite values") is how every
// dialect stores arrays, maps and structs: one JSON document per value, in
// which each element is written so that it reads back exactly and the same
// document reads back the same through every driver (PostgreSQL jsonb and
// MySQL JSON may reorder members and reformat numbers):
//
//   - NULL: null
//   - string: a JSON string
//   - integer: a JSON number
//   - decimal: a JSON string holding the normal form ("12.5")
//   - float: a JSON number (shortest form that reads back exactly), or the
//     string "NaN", "Infinity", "-Infinity" or "-0", which JSON numbers
//     cannot say
//   - mx block: a string of 66 hexadecimal digits (scale, then elements)
//   - boolean: true or false
//   - date, time, timestamp, interval: a string in the text form of
//     value.Date, value.TimeOfDay, value.TimestampLayout (with "Z" for a
//     zoned timestamp) and value.Interval
//   - binary: a string in standard base64
//   - variant: a string holding the canonical JSON text (so a JSON null
//     inside a variant differs from a NULL variant)
//   - array, vector: a JSON array
//   - map: a JSON array of [key, value] pairs
//   - struct: a JSON object with one member per field
//   - geography: a string of the canonical WKB in hexadecimal

// marshalJSONForm writes v, a canonical value of t, in the JSON form.
func marshalJSONForm(t types.Type, v any) (string, error) {
	var b strings.Builder
	if err := writeForm(&b, t, v, 0); err != nil {
		return "", err
	}
	return b.String(), nil
}

// maxFormDepth bounds the nesting of a JSON form document.
const maxFormDepth = 64

func writeForm(b *strings.Builder, t types.Type, v any, depth int) error {
	if v == nil {
		b.WriteString("null")
		return nil
	}
	if depth > maxFormDepth {
		return fmt.Errorf("value nests deeper than %d levels", maxFormDepth)
	}
	switch t := t.(type) {
	case types.StringType:
		s, ok := v.(string)
		if !ok {
			return notCanonical(t, v)
		}
		b.WriteString(value.QuoteJSON(s))
	case types.IntegerType:
		switch i := v.(type) {
		case int64:
			b.WriteString(strconv.FormatInt(i, 10))
		case uint64:
			b.WriteString(strconv.FormatUint(i, 10))
		default:
			return notCanonical(t, v)
		}
	case types.FloatType:
		f, ok := v.(float64)
		if !ok {
			return notCanonical(t, v)
		}
		b.WriteString(floatForm(f))
	case types.VectorType:
		x, ok := v.([]float64)
		if !ok {
			return notCanonical(t, v)
		}
		b.WriteByte('[')
		for i, f := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(floatForm(f))
		}
		b.WriteByte(']')
	case types.BooleanType:
		f, ok := v.(bool)
		if !ok {
			return notCanonical(t, v)
		}
		b.WriteString(strconv.FormatBool(f))
	case types.VariantType:
		j, ok := v.(value.JSON)
		if !ok {
			return notCanonical(t, v)
		}
		b.WriteString(value.QuoteJSON(string(j)))
	case types.ArrayType:
		a, ok := v.([]any)
		if !ok {
			return notCanonical(t, v)
		}
		b.WriteByte('[')
		for i, e := range a {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeForm(b, t.Elem(), e, depth+1); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case types.MapType:
		m, ok := v.([]value.MapEntry)
		if !ok {
			return notCanonical(t, v)
		}
		b.WriteByte('[')
		for i, e := range m {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('[')
			if err := writeForm(b, t.Key(), e.Key, depth+1); err != nil {
				return err
			}
			b.WriteByte(',')
			if err := writeForm(b, t.Value(), e.Value, depth+1); err != nil {
				return err
			}
			b.WriteByte(']')
		}
		b.WriteByte(']')
	case types.StructType:
		s, ok := v.([]any)
		if !ok || len(s) != t.NumFields() {
			return notCanonical(t, v)
		}
		b.WriteByte('{')
		for i, f := range t.Fields() {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(value.QuoteJSON(f.Name))
			b.WriteByte(':')
			if err := writeForm(b, f.Type, s[i], depth+1); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	default:
		s, err := scalarText(t, v)
		if err != nil {
			return err
		}
		b.WriteString(value.QuoteJSON(s))
	}
	return nil
}

// floatForm writes a float as a JSON number, or as one of the strings
// "NaN", "Infinity", "-Infinity" and "-0".
func floatForm(f float64) string {
	switch {
	case math.IsNaN(f):
		return `"NaN"`
	case math.IsInf(f, 1):
		return `"Infinity"`
	case math.IsInf(f, -1):
		return `"-Infinity"`
	case f == 0 && math.Signbit(f):
		return `"-0"`
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// scalarText is the text form of the scalar values the JSON form writes as
// strings, and that SQLite and MySQL store as text.
func scalarText(t types.Type, v any) (string, error) {
	switch v := v.(type) {
	case value.Decimal:
		return v.String(), nil
	case types.MXBlock:
		return hex.EncodeToString(mxBytes(v)), nil
	case value.Date:
		return v.String(), nil
	case value.TimeOfDay:
		return v.String(), nil
	case time.Time:
		s := v.UTC().Format(value.TimestampLayout)
		if tt, ok := t.(types.TimestampType); ok && tt.Zone() != "" {
			s += "Z"
		}
		return s, nil
	case value.Interval:
		return v.String(), nil
	case []byte:
		return base64.StdEncoding.EncodeToString(v), nil
	case value.Geography:
		return hex.EncodeToString(v), nil
	}
	return "", notCanonical(t, v)
}

// notCanonical is the error for a value that is not the canonical value of
// its type: a caller that did not Decode or Check.
func notCanonical(t types.Type, v any) error {
	return fmt.Errorf("%s is a Go %T, not a canonical value of %s (see package value)", value.Show(v), v, t)
}

// unmarshalJSONForm reads a JSON form document of type t.
func unmarshalJSONForm(t types.Type, text []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("is not JSON: %v", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("is not one JSON document")
	}
	return readForm(t, doc, 0)
}

func readForm(t types.Type, doc any, depth int) (any, error) {
	if doc == nil {
		return nil, nil
	}
	if depth > maxFormDepth {
		return nil, fmt.Errorf("nests deeper than %d levels", maxFormDepth)
	}
	bad := func(what string) error {
		return fmt.Errorf("holds %s where %s needs %s", showDoc(doc), t, what)
	}
	switch t := t.(type) {
	case types.StringType:
		s, ok := doc.(string)
		if !ok {
			return nil, bad("a JSON string")
		}
		if t.Fixed() {
			s = strings.TrimRight(s, " ")
		}
		return s, nil
	case types.IntegerType:
		n, ok := doc.(json.Number)
		if !ok {
			return nil, bad("a JSON number")
		}
		return decodeInteger(t, string(n))
	case types.FloatType:
		return readFloatForm(t.Format(), doc)
	case types.VectorType:
		a, ok := doc.([]any)
		if !ok {
			return nil, bad("a JSON array")
		}
		out := make([]float64, len(a))
		for i, e := range a {
			f, err := readFloatForm(t.Elem().Format(), e)
			if err != nil {
				return nil, fmt.Errorf("element %d %w", i+1, err)
			}
			out[i] = f.(float64)
		}
		return out, nil
	case types.BooleanType:
		f, ok := doc.(bool)
		if !ok {
			return nil, bad("true or false")
		}
		return f, nil
	case types.VariantType:
		s, ok := doc.(string)
		if !ok {
			return nil, bad("a JSON string holding the document")
		}
		j, err := value.CanonicalJSON([]byte(s))
		if err != nil {
			return nil, fmt.Errorf("holds a variant that %v", err)
		}
		return j, nil
	case types.ArrayType:
		a, ok := doc.([]any)
		if !ok {
			return nil, bad("a JSON array")
		}
		out := make([]any, len(a))
		for i, e := range a {
			v, err := readForm(t.Elem(), e, depth+1)
			if err != nil {
				return nil, fmt.Errorf("element %d %w", i+1, err)
			}
			out[i] = v
		}
		return out, nil
	case types.MapType:
		a, ok := doc.([]any)
		if !ok {
			return nil, bad("a JSON array of [key, value] pairs")
		}
		out := make([]value.MapEntry, len(a))
		for i, e := range a {
			pair, ok := e.([]any)
			if !ok || len(pair) != 2 {
				return nil, fmt.Errorf("entry %d is not a [key, value] pair", i+1)
			}
			k, err := readForm(t.Key(), pair[0], depth+1)
			if err != nil {
				return nil, fmt.Errorf("key %d %w", i+1, err)
			}
			v, err := readForm(t.Value(), pair[1], depth+1)
			if err != nil {
				return nil, fmt.Errorf("value %d %w", i+1, err)
			}
			out[i] = value.MapEntry{Key: k, Value: v}
		}
		return value.SortMap(out)
	case types.StructType:
		o, ok := doc.(map[string]any)
		if !ok {
			return nil, bad("a JSON object")
		}
		out := make([]any, t.NumFields())
		for i, f := range t.Fields() {
			v, err := readForm(f.Type, o[f.Name], depth+1)
			if err != nil {
				return nil, fmt.Errorf("field %s %w", f.Name, err)
			}
			out[i] = v
		}
		for k := range o {
			if _, ok := t.FieldByName(k); !ok {
				return nil, fmt.Errorf("has the member %q, which is not a field of %s", k, t)
			}
		}
		return out, nil
	}
	if n, ok := doc.(json.Number); ok {
		if _, isDecimal := t.(types.DecimalType); isDecimal {
			// PostgreSQL's to_json writes numerics as JSON numbers; the
			// number's text keeps every digit.
			return decodeText(t, string(n))
		}
	}
	s, ok := doc.(string)
	if !ok {
		return nil, bad("a JSON string")
	}
	return decodeText(t, s)
}

// readFloatForm reads a float written by floatForm.
func readFloatForm(f *types.FloatFormat, doc any) (any, error) {
	switch d := doc.(type) {
	case json.Number:
		return parseFloatText(f, string(d))
	case string:
		switch d {
		case "NaN", "Infinity", "-Infinity", "-0":
			return parseFloatText(f, d)
		}
	}
	return nil, fmt.Errorf("holds %s where %s needs a JSON number", showDoc(doc), f)
}

// showDoc renders a piece of a decoded JSON document for an error.
func showDoc(doc any) string {
	b, err := json.Marshal(doc)
	if err != nil {
		return fmt.Sprint(doc)
	}
	return value.Show(string(b))
}
