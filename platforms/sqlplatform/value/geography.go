package value

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/datasurface/datasurface-go/types"
)

// Geography is a shape in the canonical form of well-known binary (ISO WKB,
// OGC 06-103r4): every geometry, nested ones included, in little-endian
// byte order, with the ISO type codes (1000 added for Z, 2000 for M, 3000
// for both) and without a spatial reference, which belongs to the column
// type. Compare geographies with bytes.Equal.
type Geography []byte

// EWKB flags (PostGIS extended WKB) in the type word.
const (
	ewkbZ    = 0x80000000
	ewkbM    = 0x40000000
	ewkbSRID = 0x20000000
)

// maxGeometryDepth bounds the nesting of collections, so that a hostile
// value cannot exhaust the stack.
const maxGeometryDepth = 64

// ParseWKB reads a shape in WKB (either byte order, ISO or PostGIS EWKB
// type codes) and returns it in canonical form, with the spatial reference
// EWKB carried (-1 when it carried none). It refuses malformed bytes,
// trailing bytes, infinite coordinates and NaN coordinates outside an empty
// point.
func ParseWKB(b []byte) (Geography, int, error) {
	r := wkbReader{in: b, srid: -1}
	r.geometry(0, true)
	if r.err == nil && r.pos != len(b) {
		r.fail("has %d bytes after the end of the geometry", len(b)-r.pos)
	}
	if r.err != nil {
		return nil, 0, r.err
	}
	return Geography(r.out), r.srid, nil
}

// Kind returns the geometry kind of the outermost geometry, or
// types.AnyGeometry when g is too short to say.
func (g Geography) Kind() types.GeometryKind {
	if len(g) < 5 {
		return types.AnyGeometry
	}
	return types.GeometryKind(binary.LittleEndian.Uint32(g[1:]) % 1000)
}

// wkbReader walks WKB and writes its canonical form.
type wkbReader struct {
	in   []byte
	pos  int
	out  []byte
	srid int
	err  error
}

func (r *wkbReader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("is not well-known binary (WKB): "+format, args...)
	}
}

func (r *wkbReader) need(n int) bool {
	if r.err != nil {
		return false
	}
	if len(r.in)-r.pos < n {
		r.fail("ends early at byte %d", len(r.in))
		return false
	}
	return true
}

// geometry copies one geometry; top says whether an EWKB SRID may appear.
func (r *wkbReader) geometry(depth int, top bool) {
	if depth > maxGeometryDepth {
		r.fail("nests collections deeper than %d levels", maxGeometryDepth)
		return
	}
	if !r.need(5) {
		return
	}
	var order binary.ByteOrder
	switch r.in[r.pos] {
	case 0:
		order = binary.BigEndian
	case 1:
		order = binary.LittleEndian
	default:
		r.fail("byte %d is %d, not a byte order (0 or 1)", r.pos, r.in[r.pos])
		return
	}
	code := order.Uint32(r.in[r.pos+1:])
	r.pos += 5
	hasZ, hasM := code&ewkbZ != 0, code&ewkbM != 0
	if code&ewkbSRID != 0 {
		if !top || !r.need(4) {
			r.fail("has a spatial reference inside a collection")
			return
		}
		r.srid = int(order.Uint32(r.in[r.pos:]))
		r.pos += 4
	}
	code &^= ewkbZ | ewkbM | ewkbSRID
	base := code % 1000
	switch code / 1000 {
	case 0:
	case 1:
		hasZ = true
	case 2:
		hasM = true
	case 3:
		hasZ, hasM = true, true
	default:
		r.fail("has the unknown geometry type %d", code)
		return
	}
	if base < 1 || base > 7 {
		r.fail("has the unknown geometry type %d", code)
		return
	}
	dims := 2
	iso := base
	if hasZ {
		dims++
		iso += 1000
	}
	if hasM {
		dims++
		iso += 2000
	}
	r.out = append(r.out, 1)
	r.out = binary.LittleEndian.AppendUint32(r.out, iso)
	switch base {
	case 1: // point
		r.coords(order, 1, dims, true)
	case 2: // linestring
		r.coords(order, r.count(order, 8*dims), dims, false)
	case 3: // polygon
		rings := r.count(order, 4)
		for i := 0; i < rings && r.err == nil; i++ {
			r.coords(order, r.count(order, 8*dims), dims, false)
		}
	default: // multi* and collections
		n := r.count(order, 5)
		for i := 0; i < n && r.err == nil; i++ {
			r.geometry(depth+1, false)
		}
	}
}

// count reads an element count and checks that the input can hold that
// many elements of at least minSize bytes each.
func (r *wkbReader) count(order binary.ByteOrder, minSize int) int {
	if !r.need(4) {
		return 0
	}
	n := int(order.Uint32(r.in[r.pos:]))
	r.pos += 4
	r.out = binary.LittleEndian.AppendUint32(r.out, uint32(n))
	if n > (len(r.in)-r.pos)/minSize {
		r.fail("counts %d elements but has bytes for fewer", n)
		return 0
	}
	return n
}

// coords copies n points of dims coordinates each.
func (r *wkbReader) coords(order binary.ByteOrder, n, dims int, point bool) {
	if !r.need(8 * dims * n) {
		return
	}
	nans := 0
	for i := 0; i < n*dims; i++ {
		bits := order.Uint64(r.in[r.pos:])
		r.pos += 8
		f := math.Float64frombits(bits)
		switch {
		case math.IsInf(f, 0):
			r.fail("has an infinite coordinate")
			return
		case math.IsNaN(f):
			nans++
			bits = math.Float64bits(math.NaN())
		}
		r.out = binary.LittleEndian.AppendUint64(r.out, bits)
	}
	if nans > 0 && !(point && nans == dims) {
		r.fail("has a NaN coordinate (only an empty point has NaN coordinates)")
	}
}
