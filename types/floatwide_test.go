package types

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

func TestWideEncodePinned(t *testing.T) {
	for _, c := range []struct {
		f    *FloatFormat
		x    float64
		want Words
	}{
		{Binary128, 1, Words{0, 0x3FFF000000000000}},
		{Binary128, -2, Words{0, 0xC000000000000000}},
		{Binary128, 1.5, Words{0, 0x3FFF800000000000}},
		{Binary128, math.Inf(1), Words{0, 0x7FFF000000000000}},
		{Binary128, 0x1p-1074, Words{0, 0x3BCD000000000000}}, // 16383-1074 = 15309 = 0x3BCD
		{Binary256, 1, Words{0, 0, 0, 0x3FFFF00000000000}},
		{Binary256, math.Copysign(0, -1), Words{0, 0, 0, 1 << 63}},
	} {
		got, st := c.f.EncodeWords(c.x)
		if got != c.want || st != StatusExact {
			t.Errorf("%s.EncodeWords(%v) = %x %v, want %x", c.f.Name(), c.x, got, st, c.want)
		}
	}
	// Saturating infinity gives the largest finite value.
	w, st := Binary128.EncodeWords(math.Inf(-1), Saturate)
	if w != (Words{math.MaxUint64, 0xFFFEFFFFFFFFFFFF}) || st != StatusRounded|StatusOverflow {
		t.Errorf("saturated -Inf = %x %v", w, st)
	}
	// Narrow formats go through the uint64 codec.
	if w, st := E4M3.EncodeWords(448); w != (Words{0x7E}) || st != StatusExact {
		t.Errorf("e4m3 EncodeWords(448) = %x %v", w, st)
	}
}

// TestWideRoundTrip checks every float64 survives float128 and float256.
func TestWideRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, f := range []*FloatFormat{Binary128, Binary256} {
		for i := 0; i < 1<<16; i++ {
			b := r.Uint64()
			if i%4 == 0 {
				b &= 0x800FFFFFFFFFFFFF // subnormals and zeros
			}
			x := math.Float64frombits(b)
			w, st := f.EncodeWords(x)
			got, st2 := f.DecodeWords(w)
			if st != StatusExact || st2 != StatusExact || math.Float64bits(got) != b && !(math.IsNaN(x) && math.IsNaN(got)) {
				t.Fatalf("%s: %#x -> %x -> %#x (%v, %v)", f.Name(), b, w, math.Float64bits(got), st, st2)
			}
		}
	}
}

// wideValue computes a wide code's value with big.Float from the IEEE
// layout, independently of the codec.
func wideValue(e, m int, w Words) (*big.Float, bool) {
	bias := 1<<(e-1) - 1
	bit := func(i int) uint { return uint(w[i/64]>>(i%64)) & 1 }
	neg := bit(1+e+m-1) == 1
	field := 0
	for i := 0; i < e; i++ {
		field |= int(bit(m+i)) << i
	}
	frac := new(big.Int)
	for i := m - 1; i >= 0; i-- {
		frac.Lsh(frac, 1)
		frac.Or(frac, big.NewInt(int64(bit(i))))
	}
	if field == 1<<e-1 {
		return nil, neg
	}
	v := new(big.Float).SetPrec(512).SetInt(frac)
	exp := 1 - bias - m
	if field != 0 {
		v.Add(v, new(big.Float).SetPrec(512).SetInt(new(big.Int).Lsh(big.NewInt(1), uint(m))))
		exp = field - bias - m
	}
	v.SetMantExp(v, exp)
	if neg {
		v.Neg(v)
	}
	return v, neg
}

// TestWideDecodeAgainstBig checks DecodeWords rounds like big.Float.Float64
// (nearest, ties to even), including exact ties, overflow and underflow.
func TestWideDecodeAgainstBig(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, f := range []*FloatFormat{Binary128, Binary256} {
		e, m := f.ExponentBits(), f.MantissaBits()
		bias := f.Bias()
		for i := 0; i < 1<<15; i++ {
			w := Words{r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64()}
			if f == Binary128 {
				w[2], w[3] = 0, 0
			}
			clear := func(from, to int) { // clear bits [from, to)
				for b := from; b < to; b++ {
					w[b/64] &^= 1 << (b % 64)
				}
			}
			set := func(pos int, v uint64, n int) {
				clear(pos, pos+n)
				putBits(&w, pos, v, n)
			}
			switch i % 4 {
			case 1: // exponent near float64's range, including its subnormals
				set(m, uint64(bias+r.IntN(2200)-1100), e)
			case 2: // an exact tie at float64 precision
				set(m, uint64(bias+r.IntN(2200)-1100), e)
				clear(0, m-53)
				putBits(&w, m-53, 1, 1)
			case 3: // subnormal of the wide format
				set(m, 0, e)
			}
			want, neg := wideValue(e, m, w)
			got, st := f.DecodeWords(w)
			if want == nil {
				if !math.IsNaN(got) && !math.IsInf(got, 0) {
					t.Fatalf("%s: %x: got %g, want Inf or NaN", f.Name(), w, got)
				}
				continue
			}
			wf, acc := want.Float64()
			if math.Float64bits(got) != math.Float64bits(wf) || math.Signbit(got) != neg {
				t.Fatalf("%s: %x: got %g, want %g", f.Name(), w, got, wf)
			}
			if (acc == big.Exact) != (st == StatusExact) {
				t.Fatalf("%s: %x: status %v, big accuracy %v", f.Name(), w, st, acc)
			}
		}
	}
}
