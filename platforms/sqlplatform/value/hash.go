package value

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/datasurface/datasurface-go/types"
)

// The tags of the hash encoding: one byte per canonical kind, the same for
// every type whose canonical values have that kind. docs/SQL_TYPES.md
// specifies the payload after each tag. The values are part of the pinned
// encoding and must never change.
const (
	tagNull      = 0x00
	tagBool      = 0x01
	tagInteger   = 0x02
	tagDecimal   = 0x03
	tagFloat     = 0x04
	tagString    = 0x05
	tagBinary    = 0x06
	tagDate      = 0x07
	tagTime      = 0x08
	tagTimestamp = 0x09
	tagInterval  = 0x0A
	tagJSON      = 0x0B
	tagMX        = 0x0C
	tagGeography = 0x0D
	tagList      = 0x0E
	tagVector    = 0x0F
	tagMap       = 0x10
)

// canonicalNaN is the one bit pattern every NaN hashes as.
const canonicalNaN = 0x7FF8000000000000

// epochDay is 1970-01-01, day 0 of the date encoding.
var epochDay = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

// AppendValue appends the encoding of one canonical value (nil for NULL) to
// dst and returns the extended slice. The encoding of a value never is a
// prefix of the encoding of another, so a list of encodings has one
// reading. It panics on a value that is not of a canonical Go type: values
// come from a dialect's Decode, and Check tells a wrong one before.
func AppendValue(dst []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(dst, tagNull)
	case bool:
		b := byte(0)
		if v {
			b = 1
		}
		return append(dst, tagBool, b)
	case int64:
		if v < 0 {
			return binary.BigEndian.AppendUint64(append(dst, tagInteger, 1), uint64(-(v+1))+1)
		}
		return binary.BigEndian.AppendUint64(append(dst, tagInteger, 0), uint64(v))
	case uint64:
		return binary.BigEndian.AppendUint64(append(dst, tagInteger, 0), v)
	case Decimal:
		return appendBytes(append(dst, tagDecimal), v.String())
	case float64:
		return binary.BigEndian.AppendUint64(append(dst, tagFloat), floatBits(v))
	case string:
		return appendBytes(append(dst, tagString), v)
	case []byte:
		return appendBytes(append(dst, tagBinary), string(v))
	case Date:
		days := int64(v.Time().Sub(epochDay) / (24 * time.Hour))
		return binary.BigEndian.AppendUint64(append(dst, tagDate), uint64(days))
	case TimeOfDay:
		return binary.BigEndian.AppendUint64(append(dst, tagTime), uint64(time.Duration(v)/time.Microsecond))
	case time.Time:
		return binary.BigEndian.AppendUint64(append(dst, tagTimestamp), uint64(v.UnixMicro()))
	case Interval:
		dst = binary.BigEndian.AppendUint32(append(dst, tagInterval), uint32(v.Months))
		dst = binary.BigEndian.AppendUint32(dst, uint32(v.Days))
		return binary.BigEndian.AppendUint64(dst, uint64(v.Micros))
	case JSON:
		return appendBytes(append(dst, tagJSON), string(v))
	case types.MXBlock:
		dst = append(dst, tagMX, v.Scale)
		return append(dst, v.Elements[:]...)
	case Geography:
		return appendBytes(append(dst, tagGeography), string(v))
	case []any:
		dst = binary.BigEndian.AppendUint64(append(dst, tagList), uint64(len(v)))
		for _, e := range v {
			dst = AppendValue(dst, e)
		}
		return dst
	case []float64:
		dst = binary.BigEndian.AppendUint64(append(dst, tagVector), uint64(len(v)))
		for _, e := range v {
			dst = binary.BigEndian.AppendUint64(dst, floatBits(e))
		}
		return dst
	case []MapEntry:
		dst = binary.BigEndian.AppendUint64(append(dst, tagMap), uint64(len(v)))
		for _, e := range v {
			dst = AppendValue(dst, e.Key)
			dst = AppendValue(dst, e.Value)
		}
		return dst
	}
	panic(fmt.Sprintf("value: %T is not a canonical value", v))
}

// floatBits returns the bits a float hashes as: its IEEE 754 binary64
// bits, with every NaN the same.
func floatBits(f float64) uint64 {
	if math.IsNaN(f) {
		return canonicalNaN
	}
	return math.Float64bits(f)
}

// appendBytes appends the 8-byte big-endian length of s, then s.
func appendBytes(dst []byte, s string) []byte {
	dst = binary.BigEndian.AppendUint64(dst, uint64(len(s)))
	return append(dst, s...)
}

// Hasher computes the hash of a list of canonical values: SHA-256 of the
// number of values (8 bytes, big-endian) followed by the encoding of each
// (AppendValue). The zero Hasher is ready to use; Reset makes it reusable
// without allocating.
type Hasher struct {
	n   uint64
	buf []byte
}

// Reset empties the list.
func (h *Hasher) Reset() {
	h.n = 0
	h.buf = h.buf[:0]
}

// Add appends one canonical value (nil for NULL) to the list.
func (h *Hasher) Add(v any) {
	h.n++
	h.buf = AppendValue(h.buf, v)
}

// Sum returns the hash of the list added since the last Reset.
func (h *Hasher) Sum() [32]byte {
	s := sha256.New()
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], h.n)
	s.Write(n[:])
	s.Write(h.buf)
	var out [32]byte
	s.Sum(out[:0])
	return out
}

// KeyHash returns the hash of a row's key: the values of the key columns
// in key order. cols are the columns' types; the hash depends on the
// values only (see the package doc), cols must be as long as vals.
func KeyHash(cols []types.Type, vals []any) [32]byte {
	return hashList(cols, vals)
}

// RowHash returns the hash of a whole row: every column's value in model
// order. Two rows have the same row hash exactly when every column holds
// the same canonical value (up to SHA-256 collisions).
func RowHash(cols []types.Type, vals []any) [32]byte {
	return hashList(cols, vals)
}

func hashList(cols []types.Type, vals []any) [32]byte {
	if len(cols) != len(vals) {
		panic(fmt.Sprintf("value: %d types for %d values", len(cols), len(vals)))
	}
	var h Hasher
	for _, v := range vals {
		h.Add(v)
	}
	return h.Sum()
}

// SortMap sorts entries by the encoding of their keys, the canonical order
// of a map, and returns an error naming a key that is NULL or repeated.
func SortMap(entries []MapEntry) ([]MapEntry, error) {
	type keyed struct {
		enc []byte
		e   MapEntry
	}
	ks := make([]keyed, len(entries))
	for i, e := range entries {
		if e.Key == nil {
			return nil, fmt.Errorf("map entry %d has a NULL key", i+1)
		}
		ks[i] = keyed{AppendValue(nil, e.Key), e}
	}
	slices.SortFunc(ks, func(a, b keyed) int { return bytes.Compare(a.enc, b.enc) })
	out := make([]MapEntry, len(ks))
	for i, k := range ks {
		if i > 0 && bytes.Equal(ks[i-1].enc, k.enc) {
			return nil, fmt.Errorf("map repeats the key %s", Show(k.e.Key))
		}
		out[i] = k.e
	}
	return out, nil
}
