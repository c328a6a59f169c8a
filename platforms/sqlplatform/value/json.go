package value

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"
)

// JSON is a variant value: JSON text in the canonical form CanonicalJSON
// writes. Databases store JSON differently (PostgreSQL jsonb reorders keys,
// MySQL reformats numbers and spacing, SQLite keeps the text as written);
// the canonical form makes the same document one value everywhere.
type JSON string

// maxJSONDepth bounds the nesting of a variant document, so that a hostile
// document cannot exhaust the stack.
const maxJSONDepth = 512

// CanonicalJSON parses one JSON document and writes it canonically: no
// insignificant white space; object members sorted by the bytes of their
// keys; numbers in Decimal normal form (1.50e1 is 15, -0 is 0); strings
// with only the escapes JSON requires (\" \\ and control characters, as
// \b \f \n \r \t or \u00XX). It refuses text that is not exactly one
// JSON document, invalid UTF-8, an object with a repeated key (databases
// disagree on which copy wins), nesting deeper than 512, and numbers whose
// exponent is beyond ±400.
func CanonicalJSON(text []byte) (JSON, error) {
	if !utf8.Valid(text) {
		return "", errors.New("is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.UseNumber()
	var b strings.Builder
	if err := canonValue(dec, &b, 0); err != nil {
		return "", err
	}
	if _, err := dec.Token(); err != io.EOF {
		return "", errors.New("is not one JSON document: text follows the first value")
	}
	return JSON(b.String()), nil
}

// canonValue copies the next value of dec to b in canonical form.
func canonValue(dec *json.Decoder, b *strings.Builder, depth int) error {
	if depth > maxJSONDepth {
		return fmt.Errorf("nests deeper than %d levels", maxJSONDepth)
	}
	tok, err := dec.Token()
	if err != nil {
		return jsonErr(err)
	}
	switch v := tok.(type) {
	case json.Delim:
		switch v {
		case '[':
			b.WriteByte('[')
			for i := 0; dec.More(); i++ {
				if i > 0 {
					b.WriteByte(',')
				}
				if err := canonValue(dec, b, depth+1); err != nil {
					return err
				}
			}
			b.WriteByte(']')
		case '{':
			type member struct{ key, val string }
			var members []member
			seen := map[string]bool{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return jsonErr(err)
				}
				key := kt.(string)
				if seen[key] {
					return fmt.Errorf("repeats the object key %q: keep one", key)
				}
				seen[key] = true
				var vb strings.Builder
				if err := canonValue(dec, &vb, depth+1); err != nil {
					return err
				}
				members = append(members, member{key, vb.String()})
			}
			sort.Slice(members, func(i, j int) bool { return members[i].key < members[j].key })
			b.WriteByte('{')
			for i, m := range members {
				if i > 0 {
					b.WriteByte(',')
				}
				writeJSONString(b, m.key)
				b.WriteByte(':')
				b.WriteString(m.val)
			}
			b.WriteByte('}')
		}
		if _, err := dec.Token(); err != nil { // the closing delimiter
			return jsonErr(err)
		}
	case string:
		writeJSONString(b, v)
	case json.Number:
		d, err := ParseDecimal(string(v))
		if err != nil {
			return fmt.Errorf("holds the number %s, whose exponent is beyond ±%d", v, maxDecimalExponent)
		}
		b.WriteString(d.String())
	case bool:
		if v {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case nil:
		b.WriteString("null")
	}
	return nil
}

// jsonErr words a decoder error for the value's error message.
func jsonErr(err error) error {
	if err == io.EOF {
		return errors.New("is not JSON: the text ends before the value does")
	}
	return fmt.Errorf("is not JSON: %v", err)
}

// writeJSONString writes s as a JSON string with only the required escapes.
func writeJSONString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			b.WriteString(`\"`)
		case c == '\\':
			b.WriteString(`\\`)
		case c == '\b':
			b.WriteString(`\b`)
		case c == '\f':
			b.WriteString(`\f`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20:
			fmt.Fprintf(b, `\u%04x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
}

// QuoteJSON returns s as a JSON string in canonical form.
func QuoteJSON(s string) string {
	var b strings.Builder
	writeJSONString(&b, s)
	return b.String()
}
