package types

import (
	"math"
)

// BlockSize is the number of elements sharing one scale in every MX format
// (OCP Microscaling Formats specification v1.0).
const BlockSize = 32

// MXFormat is an OCP microscaling (MX) block format: BlockSize elements of a
// narrow element type that share one E8M0 scale X = 2^(s-127), each value
// being X times its element. The formats are package-level singletons.
type MXFormat struct {
	id    mxID
	name  string
	title string
	elem  *FloatFormat // nil for MXINT8
	bits  int          // element width
	// emaxElem is the exponent of the element type's largest normal value,
	// which the specification subtracts when choosing the scale.
	emaxElem int
}

// mxID indexes mxTable; its zero value is mxfp8_e4m3 so that the zero MXType is.
type mxID uint8

const (
	idMXFP8E4M3 mxID = iota
	idMXFP8E5M2
	idMXFP6E2M3
	idMXFP6E3M2
	idMXFP4E2M1
	idMXINT8
	mxIDCount
	idMXInvalid mxID = 255
)

func mxFloat(id mxID, name, title string, elem *FloatFormat) *MXFormat {
	return &MXFormat{id: id, name: name, title: title, elem: elem, bits: elem.width, emaxElem: elem.emax}
}

var mxTable = [mxIDCount]*MXFormat{
	idMXFP8E4M3: mxFloat(idMXFP8E4M3, "mxfp8_e4m3", "MXFP8 (E4M3 elements)", formatTable[idE4M3]),
	idMXFP8E5M2: mxFloat(idMXFP8E5M2, "mxfp8_e5m2", "MXFP8 (E5M2 elements)", formatTable[idE5M2]),
	idMXFP6E2M3: mxFloat(idMXFP6E2M3, "mxfp6_e2m3", "MXFP6 (E2M3 elements)", formatTable[idE2M3]),
	idMXFP6E3M2: mxFloat(idMXFP6E3M2, "mxfp6_e3m2", "MXFP6 (E3M2 elements)", formatTable[idE3M2]),
	idMXFP4E2M1: mxFloat(idMXFP4E2M1, "mxfp4_e2m1", "MXFP4 (E2M1 elements)", formatTable[idE2M1]),
	// MXINT8 elements are 8-bit two's complement integers with an implicit
	// scale of 2^-6 (values -2 to 1.984375); the largest is below 2, so emax 0.
	idMXINT8: {id: idMXINT8, name: "mxint8", title: "MXINT8 (8-bit integer elements)", bits: 8, emaxElem: 0},
}

// The MX block formats. Each has an MXType, f.Type().
var (
	MXFP8E4M3 = mxTable[idMXFP8E4M3]
	MXFP8E5M2 = mxTable[idMXFP8E5M2]
	MXFP6E2M3 = mxTable[idMXFP6E2M3]
	MXFP6E3M2 = mxTable[idMXFP6E3M2]
	MXFP4E2M1 = mxTable[idMXFP4E2M1]
	MXINT8    = mxTable[idMXINT8]
)

func mxByID(id mxID) *MXFormat {
	if id < mxIDCount {
		return mxTable[id]
	}
	return nil
}

// MXFormats returns every MX block format.
func MXFormats() []*MXFormat { return append([]*MXFormat(nil), mxTable[:]...) }

// Type returns the column type of this block format; a nil format yields an
// invalid MXType that Validate rejects.
func (m *MXFormat) Type() MXType {
	if m == nil {
		return MXType{id: idMXInvalid}
	}
	return MXType{id: m.id}
}

// Name returns the canonical type name, such as "mxfp4_e2m1".
func (m *MXFormat) Name() string { return m.name }

// Title returns a descriptive name.
func (m *MXFormat) Title() string { return m.title }

// String returns the canonical type name.
func (m *MXFormat) String() string { return m.name }

// Element returns the element float format, or nil for MXINT8.
func (m *MXFormat) Element() *FloatFormat { return m.elem }

// ElementBits returns the width of one element code.
func (m *MXFormat) ElementBits() int { return m.bits }

// MXBlock is one encoded block: the shared E8M0 scale code and BlockSize
// element codes, each in the low ElementBits() bits of its byte (MXINT8:
// two's complement). The specification leaves the packing of elements in
// memory to implementations, so the block keeps one element per byte.
type MXBlock struct {
	Scale    uint8
	Elements [BlockSize]uint8
}

// e8m0NaN is the E8M0 NaN code; a block with this scale decodes to all NaN.
const e8m0NaN = 0xFF

// EncodeBlock encodes 32 values following the OCP MX v1.0 conversion:
//
//  1. shared_exp = floor(log2(max |v|)) - emax_elem, where emax_elem is the
//     exponent of the element type's largest normal value (E4M3 8, E5M2 15,
//     E2M3 2, E3M2 4, E2M1 2, INT8 0);
//  2. the scale is X = 2^shared_exp, stored as E8M0 code shared_exp+127;
//  3. each element is v/X rounded to nearest even in the element type,
//     saturating to its largest magnitude (v/X can reach just under
//     2^(emax_elem+1), above the element maximum).
//
// Special cases, as in the specification's reference implementation: a block
// holding NaN or ±infinity, or whose shared_exp exceeds 127, gets the NaN
// scale (StatusInvalid for NaN, StatusOverflow otherwise) and zero elements;
// a shared_exp below -127 is raised to -127 (small elements then underflow);
// an all-zero block gets scale code 0. The status is the union of the element
// statuses. MXINT8 elements round v/X × 64 to an integer and clamp to ±127.
func (m *MXFormat) EncodeBlock(v [BlockSize]float64) (MXBlock, Status) {
	var blk MXBlock
	if m == nil {
		blk.Scale = e8m0NaN
		return blk, StatusInvalid
	}
	var amaxBits uint64 // |v| compared as bits: for non-negative floats bit order is value order
	for _, x := range v {
		a := math.Float64bits(x) &^ (1 << 63)
		if a > amaxBits {
			amaxBits = a
		}
	}
	switch {
	case amaxBits > 0x7FF0000000000000:
		blk.Scale = e8m0NaN
		return blk, StatusInvalid
	case amaxBits == 0x7FF0000000000000:
		blk.Scale = e8m0NaN
		return blk, StatusOverflow | StatusRounded
	}
	shared := -127 // an all-zero block: any scale would do; use the smallest
	if amaxBits != 0 {
		e, _ := decompose(amaxBits) // floor(log2(max|v|)), exact for subnormals too
		shared = e - m.emaxElem
		if shared > 127 {
			blk.Scale = e8m0NaN
			return blk, StatusOverflow | StatusRounded
		}
		shared = max(shared, -127)
	}
	blk.Scale = uint8(shared + 127)
	// Dividing by X is multiplying by 2^-shared, which is exact unless the
	// quotient falls below float64's normal range; such a quotient is far
	// below every element type's smallest subnormal and rounds to zero
	// either way, so no double rounding can change a result. It can even
	// round to zero in float64 itself: the element is then a (signed) zero
	// that lost a nonzero value, which is an underflow, not an exact zero.
	inv := math.Float64frombits(uint64(1023-shared) << 52)
	var st Status
	for i, x := range v {
		q := x * inv
		var c uint64
		var s Status
		if m.elem != nil {
			c, s = m.elem.Encode(q, Saturate)
		} else {
			c, s = encodeInt8(q)
		}
		if q == 0 && x != 0 {
			s |= StatusRounded | StatusUnderflow
		}
		blk.Elements[i] = uint8(c)
		st |= s
	}
	return blk, st
}

// encodeInt8 encodes q as an MXINT8 element: round q×64 to the nearest
// integer, ties to even, clamped to ±127 (the reference implementation's
// symmetric range; the code 0x80 = -2 is decoded but never produced).
func encodeInt8(q float64) (uint64, Status) {
	y := q * 64 // exact: a power-of-two scaling of a value below 2^1
	r := math.RoundToEven(y)
	var st Status
	if r != y {
		st = StatusRounded
		if r == 0 && y != 0 {
			st |= StatusUnderflow
		}
	}
	if r > 127 {
		r, st = 127, StatusRounded|StatusOverflow
	} else if r < -127 {
		r, st = -127, StatusRounded|StatusOverflow
	}
	return uint64(uint8(int8(r))), st
}

// DecodeBlock returns the 32 values of a block: X × element. A NaN scale
// decodes to 32 NaNs; element NaN and infinity codes decode to NaN and
// infinity. Every product is exact in float64.
func (m *MXFormat) DecodeBlock(b MXBlock) [BlockSize]float64 {
	var out [BlockSize]float64
	if m == nil || b.Scale == e8m0NaN {
		for i := range out {
			out[i] = math.NaN()
		}
		return out
	}
	x := math.Float64frombits(uint64(int(b.Scale)-127+1023) << 52)
	for i, c := range b.Elements {
		var e float64
		if m.elem != nil {
			e = m.elem.Decode(uint64(c))
		} else {
			e = float64(int8(c)) / 64
		}
		out[i] = e * x
	}
	return out
}
