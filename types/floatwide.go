package types

import (
	"math"
	"math/bits"
)

// Words holds one encoded value of any format, least significant 64 bits
// first; formats of up to 64 bits use Words[0] only. It exists for float128
// and float256, whose codes do not fit a uint64.
type Words [4]uint64

// EncodeWords is Encode for every format, including float128 and float256.
// Every float64 value is exactly representable in those two (they have more
// exponent range and more mantissa bits), so for them the status is always
// StatusExact except that Saturate turns ±infinity into ±largest finite.
func (f *FloatFormat) EncodeWords(x float64, opts ...EncodeOption) (Words, Status) {
	if f == nil {
		return Words{}, StatusInvalid
	}
	if !f.wide {
		c, st := f.Encode(x, opts...)
		return Words{c}, st
	}
	sat := false
	for _, o := range opts {
		sat = sat || o&Saturate != 0
	}
	b := math.Float64bits(x)
	abs := b &^ (1 << 63)
	var w Words
	if b>>63 != 0 {
		putBits(&w, f.width-1, 1, 1)
	}
	m := f.manBits
	switch {
	case abs > 0x7FF0000000000000: // NaN: keep the payload in the leading fraction bits
		putBits(&w, m, uint64(f.expOnes), f.expBits)
		putBits(&w, m-52, abs&(1<<52-1), 52)
		return w, StatusExact
	case abs == 0x7FF0000000000000:
		if sat {
			putBits(&w, m, uint64(f.expOnes-1), f.expBits)
			for pos := 0; pos < m; pos += 64 {
				putBits(&w, pos, math.MaxUint64, min(64, m-pos))
			}
			return w, StatusOverflow | StatusRounded
		}
		putBits(&w, m, uint64(f.expOnes), f.expBits)
		return w, StatusExact
	case abs == 0:
		return w, StatusExact
	}
	exp, sig := decompose(abs) // float64 subnormals are normal in the wide formats
	putBits(&w, m, uint64(exp+f.bias), f.expBits)
	putBits(&w, m-63, sig&^(1<<63), 63) // the fraction below the implicit bit
	return w, StatusExact
}

// DecodeWords is Decode for every format. For float128 and float256 the value
// is rounded to the nearest float64, ties to even, and the status says whether
// that rounding lost anything, overflowed to ±infinity or underflowed.
func (f *FloatFormat) DecodeWords(w Words) (float64, Status) {
	if f == nil {
		return math.NaN(), StatusInvalid
	}
	if !f.wide {
		return f.Decode(w[0]), StatusExact
	}
	m := f.manBits
	var sign uint64
	if getBits(&w, f.width-1, 1) != 0 {
		sign = 1 << 63
	}
	field := int(getBits(&w, m, f.expBits))
	fracZero := !anyBelow(&w, m)
	var exp int
	var sig uint64
	var sticky bool
	switch {
	case field == f.expOnes && fracZero:
		return math.Float64frombits(sign | 0x7FF0000000000000), StatusExact
	case field == f.expOnes:
		payload := getBits(&w, m-52, 52)
		if payload == 0 {
			payload = 1 << 51 // the payload lived in bits float64 cannot hold
		}
		return math.Float64frombits(sign | 0x7FF0000000000000 | payload), StatusExact
	case field == 0 && fracZero:
		return math.Float64frombits(sign), StatusExact
	case field == 0: // subnormal: normalise on the highest set fraction bit
		hi := highestBit(&w, m)
		exp = f.emin - m + hi
		if hi >= 63 {
			sig, sticky = getBits(&w, hi-63, 64), anyBelow(&w, hi-63)
		} else {
			sig = getBits(&w, 0, hi+1) << (63 - hi)
		}
	default:
		exp = field - f.bias
		sig, sticky = 1<<63|getBits(&w, m-63, 63), anyBelow(&w, m-63)
	}
	mag, st := Binary64.roundMag(exp, sig, sticky)
	if st&StatusOverflow != 0 {
		mag = Binary64.infMag
	}
	return math.Float64frombits(sign | mag), st
}

// putBits ORs the low n bits of v into w at bit position pos.
func putBits(w *Words, pos int, v uint64, n int) {
	if pos < 0 || pos >= 64*len(w) || n <= 0 {
		return
	}
	if n < 64 {
		v &= 1<<n - 1
	}
	i, off := pos/64, pos%64
	w[i] |= v << off
	if off != 0 && n+off > 64 && i+1 < len(w) {
		w[i+1] |= v >> (64 - off)
	}
}

// getBits returns the n (at most 64) bits of w starting at bit position pos.
func getBits(w *Words, pos, n int) uint64 {
	if pos < 0 || pos >= 64*len(w) || n <= 0 {
		return 0
	}
	i, off := pos/64, pos%64
	v := w[i] >> off
	if off != 0 && i+1 < len(w) {
		v |= w[i+1] << (64 - off)
	}
	if n < 64 {
		v &= 1<<n - 1
	}
	return v
}

// anyBelow reports whether any of the bits [0, pos) of w is set.
func anyBelow(w *Words, pos int) bool {
	for i := 0; i < len(w) && pos > 0; i++ {
		v := w[i]
		if pos < 64 {
			v &= 1<<pos - 1
		}
		if v != 0 {
			return true
		}
		pos -= 64
	}
	return false
}

// highestBit returns the index of the highest set bit below pos, or -1.
func highestBit(w *Words, pos int) int {
	for i := len(w) - 1; i >= 0; i-- {
		lo := 64 * i
		if lo >= pos {
			continue
		}
		v := w[i]
		if pos-lo < 64 {
			v &= 1<<(pos-lo) - 1
		}
		if v != 0 {
			return lo + 63 - bits.LeadingZeros64(v)
		}
	}
	return -1
}
