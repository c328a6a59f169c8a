package types

import (
	"math"
	"math/bits"
	"strings"
)

// Why a hand-written codec: no Go library (and few in any language) covers
// all of these formats, and the usual shortcut of converting through float32
// rounds twice: float64 -> float32 rounds once, float32 -> binary16 rounds
// again, and a value just above a binary16 midpoint can first land exactly on
// the midpoint and then tie to even in the wrong direction. The encoder below
// rounds the float64 operand once, directly to the target, and is one routine
// parameterised by the format's exponent bits, mantissa bits, bias and
// special-value rules, so every format gets the same, tested rounding.

// Status reports what Encode did to a value. It is a set of flags, like the
// IEEE 754 exception flags; the zero value, StatusExact, means the result
// decodes to exactly the input (a NaN input that became the format's NaN
// counts as exact).
type Status uint8

// StatusExact means nothing was lost.
const StatusExact Status = 0

// The status flags.
const (
	// StatusRounded: the result differs from the input (set together with
	// every other flag except StatusInvalid on NaN).
	StatusRounded Status = 1 << iota
	// StatusOverflow: the input's magnitude (after rounding) exceeded the
	// largest finite value, or was infinite in a format without infinity;
	// the result is ±infinity, NaN or the saturated ±largest value.
	StatusOverflow
	// StatusUnderflow: the input was nonzero, smaller in magnitude than the
	// smallest normal value (tininess is detected before rounding) and not
	// exactly representable, so it became a subnormal or zero; for E8M0,
	// which has no zero, any input below 2^-127 (including zero).
	StatusUnderflow
	// StatusInvalid: the input has no encoding: NaN in a format without NaN
	// (FP6, FP4: the result is +0), or a negative value in unsigned E8M0 (the
	// result is NaN); also any value for the uint64 codec of a wide format.
	StatusInvalid
)

// Exact reports whether no flag is set.
func (s Status) Exact() bool { return s == StatusExact }

// Rounded reports whether StatusRounded is set.
func (s Status) Rounded() bool { return s&StatusRounded != 0 }

// Overflow reports whether StatusOverflow is set.
func (s Status) Overflow() bool { return s&StatusOverflow != 0 }

// Underflow reports whether StatusUnderflow is set.
func (s Status) Underflow() bool { return s&StatusUnderflow != 0 }

// Invalid reports whether StatusInvalid is set.
func (s Status) Invalid() bool { return s&StatusInvalid != 0 }

// String returns "exact" or the set flags joined by "|", e.g. "rounded|overflow".
func (s Status) String() string {
	if s == StatusExact {
		return "exact"
	}
	var parts []string
	for _, f := range []struct {
		flag Status
		name string
	}{{StatusRounded, "rounded"}, {StatusOverflow, "overflow"}, {StatusUnderflow, "underflow"}, {StatusInvalid, "invalid"}} {
		if s&f.flag != 0 {
			parts = append(parts, f.name)
		}
	}
	return strings.Join(parts, "|")
}

// EncodeOption adjusts Encode.
type EncodeOption uint8

// Saturate makes overflow (and infinite inputs) produce the largest finite
// value of the same sign instead of infinity or NaN: the OCP FP8
// specification's saturating conversion mode. Without it a format with
// infinity overflows to ±infinity, OCP E4M3 and E8M0 to NaN, and the FNUZ
// formats to their NaN; FP6 and FP4 have neither, so they always saturate.
const Saturate EncodeOption = 1

// Encode rounds x to the nearest value of the format, ties to even, and
// returns its code in the low Bits() bits together with what was lost. A
// tie goes to the even code, which is the even significand of IEEE 754 and,
// for E8M0 (no mantissa bits), the even exponent.
//
// Rules beyond rounding: ±0 keeps its sign where the format has -0 (the FNUZ
// formats return +0 for -0, which is numerically equal, and for negative
// values that round to zero); NaN becomes the format's NaN, keeping the sign
// and the leading payload bits where the format has room for them (so that
// decoding and re-encoding any code is the identity); overflow follows the
// Saturate option. For wide formats (float128, float256) Encode returns
// (0, StatusInvalid); use EncodeWords.
func (f *FloatFormat) Encode(x float64, opts ...EncodeOption) (uint64, Status) {
	if f == nil || f.wide {
		return 0, StatusInvalid
	}
	sat := f.alwaysSat
	for _, o := range opts {
		if o&Saturate != 0 {
			sat = true
		}
	}
	b := math.Float64bits(x)
	neg := b>>63 != 0
	abs := b &^ (1 << 63)
	var sign uint64
	if neg {
		sign = f.signBit // 0 for the unsigned E8M0
	}
	switch {
	case abs > 0x7FF0000000000000: // NaN
		return f.encodeNaN(sign, abs)
	case neg && !f.signed && abs != 0: // negative value into unsigned E8M0
		return f.nanCode(0), StatusInvalid
	case abs == 0x7FF0000000000000: // ±infinity
		if f.inf && !sat {
			return sign | f.infMag, StatusExact
		}
		return f.overflowCode(sign, sat), StatusOverflow | StatusRounded
	case abs == 0:
		if !f.hasZero { // E8M0: the nearest value is the smallest, 2^-127
			return 0, StatusUnderflow | StatusRounded
		}
		if !f.negZero {
			return 0, StatusExact
		}
		return sign, StatusExact
	}
	exp, sig := decompose(abs)
	mag, st := f.roundMag(exp, sig, false)
	if st&StatusOverflow != 0 {
		return f.overflowCode(sign, sat), st
	}
	if mag == 0 && !f.negZero {
		sign = 0 // FNUZ: the negative-zero code is NaN, so tiny negatives become +0
	}
	return sign | mag, st
}

// decompose splits a positive finite nonzero float64 (given as its bits) into
// exp and sig with value = sig × 2^(exp-63) and the top bit of sig set, so
// subnormal inputs are normalised like normal ones.
func decompose(abs uint64) (exp int, sig uint64) {
	fe := int(abs >> 52)
	fm := abs & (1<<52 - 1)
	if fe == 0 {
		lz := bits.LeadingZeros64(fm)
		return -1011 - lz, fm << lz
	}
	return fe - 1023, (fm | 1<<52) << 11
}

// roundMag rounds the positive value sig × 2^(exp-63) (top bit of sig set;
// sticky says nonzero bits below sig were already dropped) to the format,
// ties to even, and returns the magnitude code. On overflow it returns 0 and
// StatusOverflow|StatusRounded; the caller picks the overflow code.
//
// The method: choose the exponent q of the result's last mantissa bit (the
// value's own exponent minus the mantissa width for normal results, the fixed
// subnormal quantum 2^(emin-M) for tiny ones), shift sig right so its lowest
// kept bit has weight 2^q, and round on the dropped bits: up when they exceed
// half a unit, down when below, and to the even code on an exact half.
// Rounding up may carry into the next binade (or from subnormal to normal);
// writing the code as exponent field << M plus the mantissa makes that carry
// land in the exponent field by itself, and a carry past the largest finite
// code is overflow.
func (f *FloatFormat) roundMag(exp int, sig uint64, sticky bool) (uint64, Status) {
	if exp > f.emax {
		return 0, StatusOverflow | StatusRounded // at least 2^(emax+1) > largest finite
	}
	tiny := exp < f.emin
	if tiny && !f.subnormals {
		// E8M0 has neither zero nor subnormals: its smallest value is nearest.
		return 0, StatusUnderflow | StatusRounded
	}
	d := 63 - f.manBits // dropped bits for a normal result
	if tiny {
		d += f.emin - exp
	}
	// kept is the significand cut to the result's last bit; rem and half
	// describe the dropped bits.
	var kept, rem, half uint64
	var inexact bool
	switch {
	case d <= 0: // a format with 63 or more mantissa bits: nothing to drop
		kept, inexact = sig, sticky
	case d < 64:
		kept, rem, half = sig>>d, sig&(1<<d-1), 1<<(d-1)
		inexact = rem != 0 || sticky
	case d == 64: // the value lies in [half, 1) of the smallest unit
		rem, half, inexact = sig, 1<<63, true
	default: // below half the smallest unit: rounds to zero
		inexact = true
	}
	// The truncated code; incrementing it rounds up, carrying into the
	// exponent field when the mantissa is all ones.
	var mag uint64
	if tiny {
		mag = kept // subnormal: exponent field 0; a carry to 1<<M is the smallest normal
	} else {
		mag = uint64(exp+f.bias)<<f.manBits + kept - 1<<f.manBits
	}
	// Ties go to the even code. For formats with mantissa bits that is the
	// even significand of IEEE 754; for E8M0 (no mantissa) the even exponent.
	if half != 0 && (rem > half || rem == half && (sticky || mag&1 != 0)) {
		mag++
	}
	if mag > f.maxMag {
		return 0, StatusOverflow | StatusRounded
	}
	var st Status
	if inexact {
		st = StatusRounded
		if tiny {
			st |= StatusUnderflow
		}
	}
	return mag, st
}

// overflowCode is the code for a value too large for the format.
func (f *FloatFormat) overflowCode(sign uint64, sat bool) uint64 {
	switch {
	case sat:
		return sign | f.maxMag
	case f.inf:
		return sign | f.infMag
	case f.nan != nanNone:
		return f.nanCode(sign)
	}
	return sign | f.maxMag
}

// nanCode is the format's canonical NaN with the given sign where it has one.
func (f *FloatFormat) nanCode(sign uint64) uint64 {
	switch f.nan {
	case nanIEEE:
		return sign | f.infMag | 1<<(f.manBits-1)
	case nanAllOnes:
		return sign | f.magMask
	case nanNegZero:
		return f.signBit
	}
	return 0
}

// encodeNaN maps a float64 NaN (given as sign and magnitude bits) to the
// format. IEEE-style formats keep the leading payload bits, and a payload
// that would vanish becomes the quiet bit, as hardware conversions do.
func (f *FloatFormat) encodeNaN(sign, abs uint64) (uint64, Status) {
	switch f.nan {
	case nanIEEE:
		payload := (abs & (1<<52 - 1)) >> (52 - f.manBits)
		if payload == 0 {
			payload = 1 << (f.manBits - 1)
		}
		return sign | f.infMag | payload, StatusExact
	case nanNone:
		return 0, StatusInvalid
	}
	return f.nanCode(sign), StatusExact
}

// Decode returns the value of the code held in the low Bits() bits of
// code (higher bits are ignored). Every finite code decodes exactly, since
// every format up to 64 bits is a subset of float64. NaN codes decode to a
// float64 NaN with the code's sign and, for IEEE-style formats, its payload
// in the leading fraction bits. Wide formats return NaN; use DecodeWords.
func (f *FloatFormat) Decode(code uint64) float64 {
	if f == nil || f.wide {
		return math.NaN()
	}
	if f.table != nil {
		return f.table[code&f.codeMask]
	}
	return f.decode(code)
}

// decode is Decode computed from the fields; formats of 8 bits or fewer
// precompute it for every code into a table at start-up.
func (f *FloatFormat) decode(code uint64) float64 {
	if f.id == idBinary64 {
		return math.Float64frombits(code)
	}
	code &= f.codeMask
	var sign uint64
	if code&f.signBit != 0 {
		sign = 1 << 63
	}
	mag := code & f.magMask
	switch f.nan {
	case nanAllOnes:
		if mag == f.magMask {
			return math.Float64frombits(sign | 0x7FF8000000000000)
		}
	case nanNegZero:
		if code == f.signBit {
			return math.NaN()
		}
	}
	field := int(mag >> f.manBits)
	man := mag & f.manMask
	if field == f.expOnes && f.inf {
		// ±infinity (payload 0) or an IEEE NaN with its payload.
		return math.Float64frombits(sign | 0x7FF0000000000000 | man<<(52-f.manBits))
	}
	if field == 0 && f.subnormals {
		if man == 0 {
			return math.Float64frombits(sign)
		}
		p := bits.Len64(man) - 1 // normalise: the leading 1 becomes the implicit bit
		e := f.emin - f.manBits + p
		frac := (man &^ (1 << p)) << (52 - p)
		return math.Float64frombits(sign | uint64(e+1023)<<52 | frac)
	}
	e := field - f.bias
	return math.Float64frombits(sign | uint64(e+1023)<<52 | man<<(52-f.manBits))
}
