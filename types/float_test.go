package types

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/x448/float16"
)

// TestFormatTable pins each format's parameters to docs/TYPES.md.
func TestFormatTable(t *testing.T) {
	for _, c := range []struct {
		f            *FloatFormat
		bits, e, m   int
		bias         int
		max          float64
		inf, nan     bool
		negZero, sub bool
	}{
		{Binary16, 16, 5, 10, 15, 65504, true, true, true, true},
		{BFloat16, 16, 8, 7, 127, 0x1.FEp127, true, true, true, true},
		{Binary32, 32, 8, 23, 127, math.MaxFloat32, true, true, true, true},
		{Binary64, 64, 11, 52, 1023, math.MaxFloat64, true, true, true, true},
		{Binary128, 128, 15, 112, 16383, math.Inf(1), true, true, true, true},
		{Binary256, 256, 19, 236, 262143, math.Inf(1), true, true, true, true},
		{E4M3, 8, 4, 3, 7, 448, false, true, true, true},
		{E5M2, 8, 5, 2, 15, 57344, true, true, true, true},
		{E4M3FNUZ, 8, 4, 3, 8, 240, false, true, false, true},
		{E5M2FNUZ, 8, 5, 2, 16, 57344, false, true, false, true},
		{E2M3, 6, 2, 3, 1, 7.5, false, false, true, true},
		{E3M2, 6, 3, 2, 3, 28, false, false, true, true},
		{E2M1, 4, 2, 1, 1, 6, false, false, true, true},
		{E8M0, 8, 8, 0, 127, 0x1p127, false, true, false, false},
	} {
		f := c.f
		if f.Bits() != c.bits || f.ExponentBits() != c.e || f.MantissaBits() != c.m || f.Bias() != c.bias ||
			f.MaxFinite() != c.max || f.HasInfinity() != c.inf || f.HasNaN() != c.nan ||
			f.HasNegativeZero() != c.negZero || f.HasSubnormals() != c.sub {
			t.Errorf("%s: got bits %d e %d m %d bias %d max %g inf %v nan %v -0 %v sub %v", f.Name(),
				f.Bits(), f.ExponentBits(), f.MantissaBits(), f.Bias(), f.MaxFinite(), f.HasInfinity(),
				f.HasNaN(), f.HasNegativeZero(), f.HasSubnormals())
		}
		if got := f.Type().Format(); got != f {
			t.Errorf("%s: Type().Format() = %v", f.Name(), got)
		}
	}
}

// TestDecodeEveryCode decodes every code of every format of 16 bits or fewer
// and compares with the specification's value.
func TestDecodeEveryCode(t *testing.T) {
	for _, s := range specs {
		for c := uint64(0); c < 1<<s.width(); c++ {
			v, neg, cl := s.value(c)
			got := s.f.Decode(c)
			switch cl {
			case notANumber:
				if !math.IsNaN(got) {
					t.Fatalf("%s: Decode(%#x) = %g, want NaN", s.f.Name(), c, got)
				}
			case infinite:
				if !math.IsInf(got, 0) || math.Signbit(got) != neg {
					t.Fatalf("%s: Decode(%#x) = %g, want infinity (negative %v)", s.f.Name(), c, got, neg)
				}
			default:
				want, exact := v.Float64()
				if neg {
					want = -want
				}
				if !exact || got != want || math.Signbit(got) != neg {
					t.Fatalf("%s: Decode(%#x) = %g, want %g", s.f.Name(), c, got, want)
				}
			}
		}
	}
}

// TestEveryCodeRoundTrips re-encodes every decoded code: the code comes back
// unchanged (NaN payloads included) and exactly.
func TestEveryCodeRoundTrips(t *testing.T) {
	for _, f := range FloatFormats() {
		if f.Bits() > 16 {
			continue
		}
		for c := uint64(0); c < 1<<f.Bits(); c++ {
			v := f.Decode(c)
			got, st := f.Encode(v)
			if got != c || st != StatusExact {
				t.Fatalf("%s: Encode(Decode(%#x) = %g) = %#x, %v", f.Name(), c, v, got, st)
			}
		}
	}
}

// probes returns the inputs to test around each pair of neighbouring
// values: the values, the midpoint, and one float64 ulp either side of each.
func probes(lo, hi *big.Rat) []float64 {
	a, _ := lo.Float64()
	b, _ := hi.Float64()
	m, _ := new(big.Rat).Mul(new(big.Rat).Add(lo, hi), big.NewRat(1, 2)).Float64()
	out := []float64{a, b, m}
	for _, x := range []float64{a, b, m} {
		out = append(out, math.Nextafter(x, math.Inf(1)), math.Nextafter(x, math.Inf(-1)))
	}
	return out
}

// TestEncodeAgainstOracle checks Encode at every midpoint between
// neighbouring values (and between the largest value and the overflow
// threshold), at one ulp either side, and at the values themselves, for
// both signs and both overflow modes, against exact rational rounding.
func TestEncodeAgainstOracle(t *testing.T) {
	for _, s := range specs {
		pos := s.positives()
		last := pos[len(pos)-1]
		step := new(big.Rat).Sub(last.v, pos[len(pos)-2].v)
		if s.m == 0 {
			step = last.v
		}
		virt := new(big.Rat).Add(last.v, step)
		pairs := make([][2]*big.Rat, 0, len(pos)+2)
		for i := 0; i+1 < len(pos); i++ {
			pairs = append(pairs, [2]*big.Rat{pos[i].v, pos[i+1].v})
		}
		pairs = append(pairs, [2]*big.Rat{last.v, virt})
		if s.kind == "e8m0" { // below the smallest value
			pairs = append(pairs, [2]*big.Rat{pow2(-129), pos[0].v})
		}
		n := 0
		for pi, pr := range pairs {
			if testing.Short() && s.width() == 16 && pi%16 != 0 && pi < len(pairs)-2 {
				continue // -short: a sixteenth of the 16-bit formats' pairs, and the top
			}
			for _, x := range probes(pr[0], pr[1]) {
				if x == 0 && s.kind == "e8m0" {
					continue
				}
				signs := []float64{1, -1}
				if !s.signed || s.width() == 16 && pi%5 != 0 {
					signs = signs[:1] // all positives; every fifth pair negated for 16-bit formats
				}
				for _, sg := range signs {
					for _, sat := range []bool{false, true} {
						if sat && pi < len(pairs)-2 {
							continue // saturation only matters at the top
						}
						x := x * sg
						want, wst := s.encode(pos, x, sat)
						var got uint64
						var gst Status
						if sat {
							got, gst = s.f.Encode(x, Saturate)
						} else {
							got, gst = s.f.Encode(x)
						}
						n++
						if got != want || gst != wst {
							t.Fatalf("%s: Encode(%v, saturate=%v) = %#x %v, want %#x %v",
								s.f.Name(), x, sat, got, gst, want, wst)
						}
					}
				}
			}
		}
		t.Logf("%s: %d probes", s.f.Name(), n)
	}
}

// TestPinnedValues pins the values the specifications call out.
func TestPinnedValues(t *testing.T) {
	enc := []struct {
		f    *FloatFormat
		x    float64
		sat  bool
		want uint64
		st   Status
	}{
		{E4M3, 448, false, 0x7E, StatusExact},
		{E4M3, -448, false, 0xFE, StatusExact},
		{E4M3, 464, false, 0x7E, StatusRounded},                  // tie between 448 and 480: even 448
		{E4M3, 465, false, 0x7F, StatusRounded | StatusOverflow}, // NaN: E4M3 has no infinity
		{E4M3, 465, true, 0x7E, StatusRounded | StatusOverflow},  // saturating mode
		{E4M3, math.Inf(1), false, 0x7F, StatusRounded | StatusOverflow},
		{E4M3, math.Inf(-1), true, 0xFE, StatusRounded | StatusOverflow},
		{E4M3, 0x1p-9, false, 0x01, StatusExact}, // smallest subnormal
		{E4M3, 0x1p-10, false, 0x00, StatusRounded | StatusUnderflow},
		{E4M3, math.NaN(), false, 0x7F, StatusExact},
		{E5M2, 57344, false, 0x7B, StatusExact},
		{E5M2, 61440, false, 0x7C, StatusRounded | StatusOverflow}, // tie goes to the even "next" value: infinity
		{E5M2, 61439, false, 0x7B, StatusRounded},
		{E5M2, 1e6, true, 0x7B, StatusRounded | StatusOverflow},
		{E5M2, math.Inf(-1), false, 0xFC, StatusExact},
		{E4M3FNUZ, 240, false, 0x7F, StatusExact},
		{E4M3FNUZ, math.Copysign(0, -1), false, 0x00, StatusExact}, // no -0: +0
		{E4M3FNUZ, -0x1p-12, false, 0x00, StatusRounded | StatusUnderflow},
		{E4M3FNUZ, 1000, false, 0x80, StatusRounded | StatusOverflow},
		{E5M2FNUZ, math.NaN(), false, 0x80, StatusExact},
		{E2M3, 7.5, false, 0x1F, StatusExact},
		{E2M3, 100, false, 0x1F, StatusRounded | StatusOverflow}, // always saturates
		{E2M3, math.NaN(), false, 0x00, StatusInvalid},
		{E3M2, 28, false, 0x1F, StatusExact},
		{E3M2, -28, false, 0x3F, StatusExact},
		{E2M1, 6, false, 0x7, StatusExact},
		{E2M1, 7, false, 0x7, StatusRounded | StatusOverflow}, // tie between 6 and 8: 8 is even, so overflow, saturated
		{E2M1, 6.9, false, 0x7, StatusRounded},
		{E2M1, 0.25, false, 0x0, StatusRounded | StatusUnderflow}, // tie between 0 and 0.5: even 0
		{E2M1, 0.75, false, 0x2, StatusRounded | StatusUnderflow}, // tie between 0.5 and 1: even 1
		{E2M1, math.Copysign(0, -1), false, 0x8, StatusExact},
		{E8M0, 1, false, 127, StatusExact},
		{E8M0, 0x1p127, false, 254, StatusExact},
		{E8M0, 0x1p-127, false, 0, StatusExact},
		{E8M0, 0x1p128, false, 0xFF, StatusRounded | StatusOverflow},
		{E8M0, 0x1p128, true, 254, StatusRounded | StatusOverflow},
		{E8M0, 1.5, false, 128, StatusRounded}, // tie between exponent codes 127 and 128: even 128
		{E8M0, 3, false, 128, StatusRounded},   // tie between 128 and 129: even 128
		{E8M0, 0, false, 0, StatusRounded | StatusUnderflow},
		{E8M0, -1, false, 0xFF, StatusInvalid},
		{E8M0, math.NaN(), false, 0xFF, StatusExact},
		{Binary16, 65504, false, 0x7BFF, StatusExact},
		{Binary16, 65520, false, 0x7C00, StatusRounded | StatusOverflow},
		{Binary16, 65519.99, false, 0x7BFF, StatusRounded},
		{Binary16, 0x1p-24, false, 0x0001, StatusExact},
		{Binary16, 0x1p-25, false, 0x0000, StatusRounded | StatusUnderflow},
		{BFloat16, 1, false, 0x3F80, StatusExact},
		{BFloat16, math.MaxFloat32, false, 0x7F80, StatusRounded | StatusOverflow},
	}
	for _, c := range enc {
		var got uint64
		var st Status
		if c.sat {
			got, st = c.f.Encode(c.x, Saturate)
		} else {
			got, st = c.f.Encode(c.x)
		}
		if got != c.want || st != c.st {
			t.Errorf("%s.Encode(%v, sat=%v) = %#x %v, want %#x %v", c.f.Name(), c.x, c.sat, got, st, c.want, c.st)
		}
	}
	dec := []struct {
		f    *FloatFormat
		code uint64
		want float64
	}{
		{E4M3, 0x7E, 448}, {E4M3, 0x7F, math.NaN()}, {E4M3, 0xFF, math.NaN()}, {E4M3, 0x78, 256},
		{E4M3, 0x01, 0x1p-9}, {E5M2, 0x7B, 57344}, {E5M2, 0x7C, math.Inf(1)}, {E5M2, 0x7D, math.NaN()},
		{E4M3FNUZ, 0x80, math.NaN()}, {E4M3FNUZ, 0x7F, 240}, {E5M2FNUZ, 0x7F, 57344},
		{E8M0, 0, 0x1p-127}, {E8M0, 0xFE, 0x1p127}, {E8M0, 0xFF, math.NaN()},
		{E2M3, 0x1F, 7.5}, {E3M2, 0x1F, 28}, {E2M1, 0xF, -6},
		{Binary16, 0x7BFF, 65504}, {Binary16, 0x3C00, 1},
	}
	for _, c := range dec {
		got := c.f.Decode(c.code)
		if got != c.want && !(math.IsNaN(got) && math.IsNaN(c.want)) {
			t.Errorf("%s.Decode(%#x) = %g, want %g", c.f.Name(), c.code, got, c.want)
		}
	}
	// The eight FP4 E2M1 magnitudes.
	for code, want := range []float64{0, 0.5, 1, 1.5, 2, 3, 4, 6} {
		if got := E2M1.Decode(uint64(code)); got != want {
			t.Errorf("fp4_e2m1 code %d = %g, want %g", code, got, want)
		}
		if got, st := E2M1.Encode(want); got != uint64(code) || st != StatusExact {
			t.Errorf("fp4_e2m1 Encode(%g) = %d %v", want, got, st)
		}
		if got, st := E2M1.Encode(-want); got != uint64(code)|8 || st != StatusExact {
			t.Errorf("fp4_e2m1 Encode(%g) = %d %v", -want, got, st)
		}
	}
}

// TestBinary16DoubleRounding pins inputs that converting through float32
// rounds wrongly: each lies just off a binary16 midpoint, by less than
// float32 can hold, so float32 lands on the midpoint and the second rounding
// ties to even in the wrong direction.
func TestBinary16DoubleRounding(t *testing.T) {
	for _, c := range []struct {
		x    float64
		want uint64
	}{
		{1 + 0x1p-11 + 0x1p-40, 0x3C01},   // just above the midpoint of 1 and 1+2^-10
		{1 + 3*0x1p-11 - 0x1p-40, 0x3C01}, // just below the midpoint of 1+2^-10 and 1+2^-9
		{2049 + 0x1p-20, 0x6801},          // above the midpoint of 2048 and 2050
		{0x1p-25 + 0x1p-50, 0x0001},       // above half the smallest subnormal
		{-(0x1p-25 + 0x1p-50), 0x8001},
		{65520 - 0x1p-20, 0x7BFF}, // just below the overflow threshold
	} {
		got, _ := Binary16.Encode(c.x)
		if got != c.want {
			t.Errorf("Encode(%v) = %#x, want %#x", c.x, got, c.want)
		}
		viaFloat32 := uint64(float16.Fromfloat32(float32(c.x)).Bits())
		if viaFloat32 == c.want {
			t.Errorf("%v: converting through float32 gives the right answer %#x; not a double-rounding case", c.x, viaFloat32)
		}
	}
}

// TestBinary16AgainstX448 compares with x448/float16 on float32-exact inputs,
// where its single rounding from float32 is correct.
func TestBinary16AgainstX448(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	n := 1 << 20
	if testing.Short() {
		n = 1 << 14
	}
	check := func(f32 float32) {
		want := float16.Fromfloat32(f32)
		got, _ := Binary16.Encode(float64(f32))
		if want.IsNaN() {
			if !math.IsNaN(Binary16.Decode(got)) {
				t.Fatalf("Encode(%v) = %#x, want NaN", f32, got)
			}
			return
		}
		if got != uint64(want.Bits()) {
			t.Fatalf("Encode(%v) = %#x, x448 says %#x", f32, got, want.Bits())
		}
	}
	for i := 0; i < n; i++ {
		check(math.Float32frombits(r.Uint32()))
		// Concentrate on binary16's range, exponents -26..16.
		e := r.IntN(43) + 127 - 26
		check(math.Float32frombits(r.Uint32()&0x807FFFFF | uint32(e)<<23))
	}
}

// TestBinary32AgainstHardware compares with Go's float64 to float32
// conversion, which the hardware rounds to nearest even.
func TestBinary32AgainstHardware(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	n := 1 << 20
	if testing.Short() {
		n = 1 << 14
	}
	for i := 0; i < n; i++ {
		x := math.Float64frombits(r.Uint64())
		if i%2 == 1 { // concentrate on float32's exponent range and its subnormals
			e := uint64(r.IntN(300) + 1023 - 160)
			x = math.Float64frombits(r.Uint64()&0x800FFFFFFFFFFFFF | e<<52)
		}
		got, st := Binary32.Encode(x)
		want := math.Float32bits(float32(x))
		if math.IsNaN(x) {
			if !math.IsNaN(float64(math.Float32frombits(uint32(got)))) {
				t.Fatalf("Encode(NaN %#x) = %#x", math.Float64bits(x), got)
			}
			continue
		}
		if got != uint64(want) {
			t.Fatalf("Encode(%v) = %#x, want %#x", x, got, want)
		}
		if exact := float64(math.Float32frombits(want)) == x; exact != (st == StatusExact) {
			t.Fatalf("Encode(%v) status %v, exact %v", x, st, exact)
		}
	}
}

// TestBinary64Identity checks the float64 codec is the identity, NaN
// payloads included.
func TestBinary64Identity(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 1<<16; i++ {
		b := r.Uint64()
		x := math.Float64frombits(b)
		got, st := Binary64.Encode(x)
		if got != b && !(math.IsNaN(x) && b&(1<<51) == 0) || st != StatusExact {
			t.Fatalf("Encode(%#x) = %#x %v", b, got, st)
		}
		if d := math.Float64bits(Binary64.Decode(b)); d != b {
			t.Fatalf("Decode(%#x) = %#x", b, d)
		}
	}
}

// TestNaNPayloads checks NaN signs and payloads survive where a format
// has room for them.
func TestNaNPayloads(t *testing.T) {
	neg := math.Float64frombits(0xFFF4000000000001) // negative signalling NaN with payload
	if got, _ := Binary16.Encode(neg); got != 0xFD00 {
		t.Errorf("binary16 NaN = %#x, want 0xfd00", got)
	}
	low := math.Float64frombits(0x7FF0000000000001) // payload only in bits binary16 drops
	if got, _ := Binary16.Encode(low); got != 0x7E00 {
		t.Errorf("binary16 low-payload NaN = %#x, want quiet 0x7e00", got)
	}
	if got, _ := E4M3.Encode(neg); got != 0xFF {
		t.Errorf("e4m3 negative NaN = %#x, want 0xff", got)
	}
}

// TestNilAndWideFormats checks the codec of a nil format and the uint64
// codec of the wide formats fail cleanly.
func TestNilAndWideFormats(t *testing.T) {
	var f *FloatFormat
	if _, st := f.Encode(1); st != StatusInvalid {
		t.Error("nil format Encode did not report invalid")
	}
	if !math.IsNaN(f.Decode(0)) {
		t.Error("nil format Decode is not NaN")
	}
	if _, st := Binary128.Encode(1); st != StatusInvalid {
		t.Error("float128 Encode did not report invalid")
	}
}

func TestStatusString(t *testing.T) {
	for st, want := range map[Status]string{
		StatusExact:                      "exact",
		StatusRounded | StatusOverflow:   "rounded|overflow",
		StatusRounded | StatusUnderflow:  "rounded|underflow",
		StatusInvalid:                    "invalid",
		StatusRounded:                    "rounded",
		StatusOverflow | StatusUnderflow: "overflow|underflow",
	} {
		if st.String() != want {
			t.Errorf("%d.String() = %q, want %q", st, st.String(), want)
		}
	}
	if !StatusExact.Exact() || !StatusRounded.Rounded() || !StatusOverflow.Overflow() ||
		!StatusUnderflow.Underflow() || !StatusInvalid.Invalid() {
		t.Error("status predicates")
	}
}

// TestDecodeTables checks the precomputed tables of the narrow formats
// agree with the computed decoding, bit for bit (NaN payloads included).
func TestDecodeTables(t *testing.T) {
	for _, f := range FloatFormats() {
		if f.table == nil {
			continue
		}
		for c := uint64(0); c < 1<<f.Bits(); c++ {
			if math.Float64bits(f.table[c]) != math.Float64bits(f.decode(c)) {
				t.Fatalf("%s: table[%#x] = %g, decode = %g", f, c, f.table[c], f.decode(c))
			}
		}
		if got := f.Decode(1<<f.Bits() | 1); got != f.Decode(1) {
			t.Errorf("%s: high bits not ignored", f)
		}
	}
}
