package types

import "math"

// FloatFormat describes one binary floating-point format: its layout (sign,
// exponent and mantissa bits, bias) and its special values (infinity, NaN,
// negative zero, subnormals). It carries the format's codec (Encode, Decode,
// EncodeWords, DecodeWords) and is what the compatibility check reasons about
// to decide whether one format represents every value of another.
//
// The formats are package-level singletons; compare them with ==. A value is
// decoded as (-1)^s × 2^(e-bias) × 1.m for a nonzero exponent field e (or for
// every e in formats without subnormals, i.e. E8M0) and as
// (-1)^s × 2^(1-bias) × 0.m for e = 0, except for the codes the format reserves
// for infinity and NaN.
type FloatFormat struct {
	id      floatID
	name    string // canonical type name, e.g. "fp8_e4m3"
	title   string // descriptive name, e.g. "OCP FP8 E4M3"
	expBits int
	manBits int
	bias    int

	signed     bool    // has a sign bit (all but E8M0)
	inf        bool    // all-ones exponent with zero mantissa is ±infinity
	nan        nanKind // which codes are NaN
	negZero    bool    // the sign bit with all else zero is -0 (not so in FNUZ)
	hasZero    bool    // false for E8M0, whose smallest code is 2^-127
	subnormals bool    // exponent field 0 means 0.m × 2^(1-bias)

	// Derived by newFormat.
	width       int       // total bits
	wide        bool      // wider than 64 bits: only EncodeWords/DecodeWords apply
	emin        int       // exponent of the smallest normal value
	emax        int       // exponent of the largest finite value
	expOnes     int       // all-ones exponent field
	codeMask    uint64    // all width bits
	signBit     uint64    // the sign bit, 0 when unsigned
	magMask     uint64    // all bits but the sign
	manMask     uint64    // the mantissa bits
	maxMag      uint64    // magnitude code of the largest finite value
	infMag      uint64    // magnitude code of infinity (when inf)
	maxMan      uint64    // mantissa field of the largest finite value (narrow formats)
	maxDeficit  int       // the largest mantissa is all ones minus this (1 for E4M3, else 0)
	alwaysSat   bool      // no infinity and no NaN: overflow can only saturate
	table       []float64 // every code's value, for formats of 8 bits or fewer
	maxFinite   float64
	minNormal   float64
	minPositive float64
}

// nanKind says which codes of a format are NaN.
type nanKind uint8

const (
	nanNone    nanKind = iota // no NaN (FP6, FP4)
	nanIEEE                   // all-ones exponent, nonzero mantissa (IEEE, E5M2)
	nanAllOnes                // only the all-ones magnitude, either sign (OCP E4M3; E8M0's 0xFF)
	nanNegZero                // only the code of negative zero, 0x80 (FNUZ)
)

// floatID indexes formatTable; its zero value is float64 so that the zero
// FloatType is float64.
type floatID uint8

const (
	idBinary64 floatID = iota
	idBinary16
	idBFloat16
	idBinary32
	idBinary128
	idBinary256
	idE4M3
	idE5M2
	idE4M3FNUZ
	idE5M2FNUZ
	idE2M3
	idE3M2
	idE2M1
	idE8M0
	floatIDCount
	idInvalid floatID = 255
)

// ieee describes an IEEE 754 interchange format.
func ieee(id floatID, name, title string, e, m int) *FloatFormat {
	return newFormat(&FloatFormat{id: id, name: name, title: title, expBits: e, manBits: m,
		bias: 1<<(e-1) - 1, signed: true, inf: true, nan: nanIEEE, negZero: true, hasZero: true, subnormals: true})
}

// small describes a low-precision ML format with subnormals and a sign.
func small(id floatID, name, title string, e, m, bias int, nan nanKind, inf bool) *FloatFormat {
	return newFormat(&FloatFormat{id: id, name: name, title: title, expBits: e, manBits: m, bias: bias,
		signed: true, inf: inf, nan: nan, negZero: nan != nanNegZero, hasZero: true, subnormals: true})
}

var formatTable = [floatIDCount]*FloatFormat{
	idBinary16:  ieee(idBinary16, "float16", "IEEE 754 binary16", 5, 10),
	idBFloat16:  ieee(idBFloat16, "bfloat16", "bfloat16 (brain float)", 8, 7),
	idBinary32:  ieee(idBinary32, "float32", "IEEE 754 binary32", 8, 23),
	idBinary64:  ieee(idBinary64, "float64", "IEEE 754 binary64", 11, 52),
	idBinary128: ieee(idBinary128, "float128", "IEEE 754 binary128", 15, 112),
	idBinary256: ieee(idBinary256, "float256", "IEEE 754 binary256", 19, 236),
	idE4M3:      small(idE4M3, "fp8_e4m3", "OCP FP8 E4M3", 4, 3, 7, nanAllOnes, false),
	idE5M2:      small(idE5M2, "fp8_e5m2", "OCP FP8 E5M2", 5, 2, 15, nanIEEE, true),
	idE4M3FNUZ:  small(idE4M3FNUZ, "fp8_e4m3fnuz", "FP8 E4M3 FNUZ", 4, 3, 8, nanNegZero, false),
	idE5M2FNUZ:  small(idE5M2FNUZ, "fp8_e5m2fnuz", "FP8 E5M2 FNUZ", 5, 2, 16, nanNegZero, false),
	idE2M3:      small(idE2M3, "fp6_e2m3", "OCP FP6 E2M3", 2, 3, 1, nanNone, false),
	idE3M2:      small(idE3M2, "fp6_e3m2", "OCP FP6 E3M2", 3, 2, 3, nanNone, false),
	idE2M1:      small(idE2M1, "fp4_e2m1", "OCP FP4 E2M1", 2, 1, 1, nanNone, false),
	idE8M0: newFormat(&FloatFormat{id: idE8M0, name: "e8m0", title: "OCP E8M0 scale", expBits: 8, manBits: 0,
		bias: 127, nan: nanAllOnes}),
}

// The float formats. Each has a FloatType, f.Type().
var (
	Binary16  = formatTable[idBinary16]  // float16: IEEE binary16, 1.5.10, max 65504
	BFloat16  = formatTable[idBFloat16]  // bfloat16: 1.8.7, max about 3.39e38
	Binary32  = formatTable[idBinary32]  // float32: IEEE binary32
	Binary64  = formatTable[idBinary64]  // float64: IEEE binary64
	Binary128 = formatTable[idBinary128] // float128: IEEE binary128 (codec via EncodeWords/DecodeWords)
	Binary256 = formatTable[idBinary256] // float256: IEEE binary256 (codec via EncodeWords/DecodeWords)
	E4M3      = formatTable[idE4M3]      // fp8_e4m3: OCP, no infinity, NaN only S.1111.111, max 448
	E5M2      = formatTable[idE5M2]      // fp8_e5m2: OCP, IEEE-like, max 57344
	E4M3FNUZ  = formatTable[idE4M3FNUZ]  // fp8_e4m3fnuz: bias 8, NaN only 0x80, no -0, max 240
	E5M2FNUZ  = formatTable[idE5M2FNUZ]  // fp8_e5m2fnuz: bias 16, NaN only 0x80, no -0, max 57344
	E2M3      = formatTable[idE2M3]      // fp6_e2m3: OCP, no infinity or NaN, max 7.5
	E3M2      = formatTable[idE3M2]      // fp6_e3m2: OCP, no infinity or NaN, max 28
	E2M1      = formatTable[idE2M1]      // fp4_e2m1: OCP, no infinity or NaN, max 6
	E8M0      = formatTable[idE8M0]      // e8m0: unsigned power of two 2^(e-127), 0xFF is NaN
)

// newFormat fills in the derived fields from the defining ones.
func newFormat(f *FloatFormat) *FloatFormat {
	f.width = f.expBits + f.manBits
	if f.signed {
		f.width++
	}
	f.wide = f.width > 64
	f.expOnes = 1<<f.expBits - 1
	if f.subnormals {
		f.emin = 1 - f.bias
	} else {
		f.emin = -f.bias
	}
	f.alwaysSat = !f.inf && f.nan == nanNone
	if !f.wide {
		f.codeMask = 1<<f.width - 1
		if f.width == 64 {
			f.codeMask = math.MaxUint64
		}
		f.manMask = 1<<f.manBits - 1
		if f.signed {
			f.signBit = 1 << (f.width - 1)
		}
		f.magMask = f.codeMask &^ f.signBit
	}
	// The largest finite magnitude: below the all-ones exponent when that
	// holds infinity/NaN, one below all ones when only the all-ones magnitude
	// is NaN, and all ones when every code is finite.
	maxExpField := f.expOnes
	switch {
	case f.inf || f.nan == nanIEEE:
		maxExpField--
	case f.nan == nanAllOnes && f.manBits > 0:
		f.maxDeficit = 1 // OCP E4M3: S.1111.111 is NaN, S.1111.110 the largest
	case f.nan == nanAllOnes:
		maxExpField-- // E8M0: 0xFF is NaN, so 0xFE = 2^127 is the largest
	}
	f.emax = maxExpField - f.bias
	if !f.wide {
		f.maxMan = 1<<f.manBits - 1 - uint64(f.maxDeficit)
		f.maxMag = uint64(maxExpField)<<f.manBits | f.maxMan
		f.infMag = uint64(f.expOnes) << f.manBits
	}
	// largest = 2^emax × (2 - 2^(deficit-M)); +Inf for the wide formats.
	f.maxFinite = math.Ldexp(2-math.Ldexp(1, f.maxDeficit-f.manBits), f.emax)
	if f.width <= 8 {
		f.table = make([]float64, 1<<f.width)
		for c := range f.table {
			f.table[c] = f.decode(uint64(c))
		}
	}
	f.minNormal = math.Ldexp(1, f.emin)
	f.minPositive = f.minNormal
	if f.subnormals {
		f.minPositive = math.Ldexp(1, f.emin-f.manBits)
	}
	return f
}

// formatByID returns the format with the given id, or nil.
func formatByID(id floatID) *FloatFormat {
	if id < floatIDCount {
		return formatTable[id]
	}
	return nil
}

// FloatFormats returns every float format, narrowest first within each
// group: the IEEE formats, bfloat16, then the low-precision ML formats.
func FloatFormats() []*FloatFormat {
	return []*FloatFormat{Binary16, BFloat16, Binary32, Binary64, Binary128, Binary256,
		E4M3, E5M2, E4M3FNUZ, E5M2FNUZ, E2M3, E3M2, E2M1, E8M0}
}

// FloatFormatByName returns the format whose canonical type name is name
// (for example "fp8_e4m3"; aliases such as "double" are resolved by Parse,
// not here).
func FloatFormatByName(name string) (*FloatFormat, bool) {
	for _, f := range formatTable {
		if f.name == name {
			return f, true
		}
	}
	return nil, false
}

// Type returns the column type of this format. A nil format yields an
// invalid FloatType that Validate rejects.
func (f *FloatFormat) Type() FloatType {
	if f == nil {
		return FloatType{id: idInvalid}
	}
	return FloatType{id: f.id}
}

// Name returns the canonical type name, such as "float16" or "fp8_e4m3".
func (f *FloatFormat) Name() string { return f.name }

// Title returns a descriptive name, such as "OCP FP8 E4M3".
func (f *FloatFormat) Title() string { return f.title }

// String returns the canonical type name.
func (f *FloatFormat) String() string { return f.name }

// Bits returns the total width in bits.
func (f *FloatFormat) Bits() int { return f.width }

// ExponentBits returns the width of the exponent field.
func (f *FloatFormat) ExponentBits() int { return f.expBits }

// MantissaBits returns the width of the stored mantissa (fraction) field.
func (f *FloatFormat) MantissaBits() int { return f.manBits }

// Bias returns the exponent bias.
func (f *FloatFormat) Bias() int { return f.bias }

// Signed reports whether the format has a sign bit (all but E8M0).
func (f *FloatFormat) Signed() bool { return f.signed }

// HasInfinity reports whether the format encodes ±infinity.
func (f *FloatFormat) HasInfinity() bool { return f.inf }

// HasNaN reports whether the format encodes NaN.
func (f *FloatFormat) HasNaN() bool { return f.nan != nanNone }

// HasNegativeZero reports whether -0 is distinct from +0 (false for the FNUZ
// formats, which use that code for NaN, and for E8M0).
func (f *FloatFormat) HasNegativeZero() bool { return f.negZero }

// HasSubnormals reports whether the format has subnormal values.
func (f *FloatFormat) HasSubnormals() bool { return f.subnormals }

// MinExponent returns the exponent of the smallest positive normal value.
func (f *FloatFormat) MinExponent() int { return f.emin }

// MaxExponent returns the exponent of the largest finite value.
func (f *FloatFormat) MaxExponent() int { return f.emax }

// MaxFinite returns the largest finite value, or +Inf for float128 and
// float256, whose largest values exceed float64's range.
func (f *FloatFormat) MaxFinite() float64 { return f.maxFinite }

// SmallestNormal returns the smallest positive normal value (0 when it is
// below float64's range, as for float128 and float256).
func (f *FloatFormat) SmallestNormal() float64 { return f.minNormal }

// SmallestPositive returns the smallest positive value, subnormal where the
// format has subnormals (0 when it is below float64's range).
func (f *FloatFormat) SmallestPositive() float64 { return f.minPositive }

// Wide reports whether the format is wider than 64 bits, so that only
// EncodeWords and DecodeWords apply.
func (f *FloatFormat) Wide() bool { return f.wide }
