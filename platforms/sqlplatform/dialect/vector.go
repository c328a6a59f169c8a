package dialect

import (
	"math"
	"strings"

	"github.com/datasurface/datasurface-go/types"
)

// Vectors are stored packed where the database has no vector type (SQLite
// and MySQL): each element's code in its format, little-endian, in the
// format's width rounded up to whole bytes (fp4 and fp6 elements take one
// byte each, float16 two, float32 four, float128 sixteen). A vector(n) of
// float32 is thus the 4n-byte little-endian layout sqlite-vec and MariaDB
// use.

// elemWidth is the number of bytes one packed element of f takes.
func elemWidth(f *types.FloatFormat) int {
	return (f.Bits() + 7) / 8
}

// packVector packs a canonical vector (every element a value of f, as
// Check ensures).
func packVector(f *types.FloatFormat, x []float64) []byte {
	w := elemWidth(f)
	out := make([]byte, 0, w*len(x))
	for _, e := range x {
		words, _ := f.EncodeWords(e)
		for i := 0; i < w; i++ {
			out = append(out, byte(words[i/8]>>(8*(i%8))))
		}
	}
	return out
}

// unpackVector reads a packed vector of n elements of f.
func unpackVector(f *types.FloatFormat, b []byte, n int) ([]float64, error) {
	w := elemWidth(f)
	if len(b) != w*n {
		return nil, reason("a packed vector(%d, %s) is %d bytes, not %d", n, f, w*n, len(b))
	}
	out := make([]float64, n)
	for k := range out {
		var words types.Words
		for i := 0; i < w; i++ {
			words[i/8] |= uint64(b[k*w+i]) << (8 * (i % 8))
		}
		var x float64
		if f.Wide() {
			x, _ = f.DecodeWords(words)
		} else {
			x = f.Decode(words[0])
		}
		if math.IsNaN(x) {
			x = math.NaN()
		}
		out[k] = x
	}
	return out, nil
}

// decodeVector reads a vector packed, as a JSON array ("[1,2,3]", also
// pgvector's text form) or as a PostgreSQL array ("{1,2,3}").
func decodeVector(t types.VectorType, b []byte) (any, error) {
	f := t.Elem().Format()
	if len(b) == elemWidth(f)*t.Dims() {
		if x, err := unpackVector(f, b, t.Dims()); err == nil && !(len(b) > 0 && (b[0] == '[' || b[0] == '{') && looksNumeric(b)) {
			return x, nil
		}
	}
	s := strings.TrimSpace(string(b))
	if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
		inner := strings.TrimSpace(s[1 : len(s)-1])
		var parts []string
		if inner != "" {
			parts = strings.Split(inner, ",")
		}
		out := make([]float64, len(parts))
		for i, p := range parts {
			v, err := parseFloatText(f, strings.Trim(strings.TrimSpace(p), `"`))
			if err != nil {
				return nil, reason("element %d of the array is not a number", i+1)
			}
			out[i] = v.(float64)
		}
		return out, nil
	}
	if strings.HasPrefix(s, "[") {
		v, err := unmarshalJSONForm(t, []byte(s))
		if err != nil {
			return nil, reason("its JSON %v", err)
		}
		return v, nil
	}
	return nil, reason("a vector(%d, %s) is stored as %d packed bytes, a JSON array or a PostgreSQL array", t.Dims(), f, elemWidth(f)*t.Dims())
}

// looksNumeric reports whether b reads as the text of an array of numbers,
// which a packed vector almost never does.
func looksNumeric(b []byte) bool {
	for _, c := range b {
		if !strings.ContainsRune("[]{}0123456789.,-+eE NaInfity\"", rune(c)) {
			return false
		}
	}
	return true
}
