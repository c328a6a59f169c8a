package types

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestMXScaleChoice(t *testing.T) {
	for _, c := range []struct {
		m     *MXFormat
		amax  float64
		scale uint8 // E8M0 code: 127 + floor(log2(amax)) - emax_elem
	}{
		{MXFP8E4M3, 448, 127},         // floor(log2 448) = 8 = emax of E4M3
		{MXFP8E4M3, 1, 127 - 8},       // 0 - 8
		{MXFP8E5M2, 1, 127 - 15},      // 0 - 15
		{MXFP6E2M3, 7.5, 127},         // 2 - 2
		{MXFP6E3M2, 0.3, 127 - 2 - 4}, // floor(log2 0.3) = -2
		{MXFP4E2M1, 1, 127 - 2},
		{MXFP4E2M1, 6, 127},
		{MXINT8, 1.5, 127},
		{MXINT8, 1000, 127 + 9},
		{MXFP8E4M3, 0x1p-200, 0},  // shared exponent below -127 is raised to -127
		{MXFP4E2M1, 0x1p-1074, 0}, // float64 subnormal input
	} {
		var v [BlockSize]float64
		v[3] = c.amax
		v[7] = -c.amax / 3
		b, _ := c.m.EncodeBlock(v)
		if b.Scale != c.scale {
			t.Errorf("%s amax %g: scale %d, want %d", c.m.Name(), c.amax, b.Scale, c.scale)
		}
	}
}

// mxOracle encodes one element as the specification says, through the
// element codec (itself checked against the rational oracle): v / X,
// rounded to nearest even, saturated.
func mxOracle(m *MXFormat, v [BlockSize]float64) MXBlock {
	amax := 0.0
	for _, x := range v {
		amax = math.Max(amax, math.Abs(x))
	}
	shared := -127
	if amax > 0 {
		shared = max(int(math.Floor(math.Log2(amax)))-m.emaxElem, -127)
		// math.Log2 is exact for powers of two but may round just below one;
		// correct floor with an exact comparison.
		e := shared + m.emaxElem
		if math.Ldexp(1, e+1) <= amax {
			shared++
		} else if math.Ldexp(1, e) > amax {
			shared--
		}
		shared = max(shared, -127)
	}
	var b MXBlock
	b.Scale = uint8(shared + 127)
	for i, x := range v {
		q := math.Ldexp(x, -shared)
		if m.elem != nil {
			c, _ := m.elem.Encode(q, Saturate)
			b.Elements[i] = uint8(c)
		} else {
			n := math.Max(-127, math.Min(127, math.RoundToEven(q*64)))
			b.Elements[i] = uint8(int8(n))
		}
	}
	return b
}

func TestMXRandomBlocks(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, m := range MXFormats() {
		for i := 0; i < 2000; i++ {
			var v [BlockSize]float64
			scale := math.Ldexp(1, r.IntN(80)-40)
			for j := range v {
				v[j] = r.NormFloat64() * scale
				if r.IntN(8) == 0 {
					v[j] *= 1e-3 // small elements that underflow
				}
			}
			b, st := m.EncodeBlock(v)
			if want := mxOracle(m, v); b != want {
				t.Fatalf("%s: block %v\n got %v\nwant %v", m.Name(), v, b, want)
			}
			if st.Invalid() {
				t.Fatalf("%s: finite block reported %v", m.Name(), st)
			}
			// Decoding multiplies back exactly.
			d := m.DecodeBlock(b)
			x := math.Ldexp(1, int(b.Scale)-127)
			for j := range d {
				var e float64
				if m.elem != nil {
					e = m.elem.Decode(uint64(b.Elements[j]))
				} else {
					e = float64(int8(b.Elements[j])) / 64
				}
				if d[j] != e*x {
					t.Fatalf("%s: decoded[%d] = %g, want %g", m.Name(), j, d[j], e*x)
				}
			}
		}
	}
}

func TestMXSpecialBlocks(t *testing.T) {
	var v [BlockSize]float64
	b, st := MXFP8E4M3.EncodeBlock(v)
	if b.Scale != 0 || b.Elements != ([BlockSize]uint8{}) || st != StatusExact {
		t.Errorf("zero block: %v %v", b, st)
	}
	v[0] = math.Copysign(0, -1)
	if b, _ := MXFP4E2M1.EncodeBlock(v); b.Elements[0] != 0x8 {
		t.Errorf("negative zero element = %#x, want 0x8", b.Elements[0])
	}
	v[5] = math.NaN()
	if b, st := MXFP6E2M3.EncodeBlock(v); b.Scale != 0xFF || st != StatusInvalid {
		t.Errorf("NaN block: scale %#x %v", b.Scale, st)
	}
	v[5] = math.Inf(-1)
	if b, st := MXFP8E5M2.EncodeBlock(v); b.Scale != 0xFF || !st.Overflow() {
		t.Errorf("Inf block: scale %#x %v", b.Scale, st)
	}
	v[5] = 0x1p200 // shared exponent 200-8 > 127
	if b, st := MXFP8E4M3.EncodeBlock(v); b.Scale != 0xFF || !st.Overflow() {
		t.Errorf("huge block: scale %#x %v", b.Scale, st)
	}
	for _, x := range MXFP4E2M1.DecodeBlock(MXBlock{Scale: 0xFF}) {
		if !math.IsNaN(x) {
			t.Fatal("NaN scale did not decode to NaN")
		}
	}
	// Exactly representable blocks round-trip exactly.
	var w [BlockSize]float64
	for i := range w {
		w[i] = E2M1.Decode(uint64(i%16)) * 0x1p-5
	}
	b, st = MXFP4E2M1.EncodeBlock(w)
	if st != StatusExact || MXFP4E2M1.DecodeBlock(b) != w {
		t.Errorf("exact FP4 block: %v %v", b, st)
	}
	// Values between element maximum and 2^(emax+1) saturate.
	var s [BlockSize]float64
	s[0], s[1] = 7.9, 6
	b, st = MXFP4E2M1.EncodeBlock(s)
	if b.Scale != 127 || b.Elements[0] != 0x7 || b.Elements[1] != 0x7 || !st.Overflow() {
		t.Errorf("saturating block: %v %v", b, st)
	}
	// MXINT8: 1.99 / 1 × 64 = 127.36 rounds to 127; -2 is decodable.
	s = [BlockSize]float64{1.99, -1.99, 1.0 / 128}
	b, _ = MXINT8.EncodeBlock(s)
	if b.Scale != 127 || b.Elements[0] != 127 || b.Elements[1] != 0x81 || b.Elements[2] != 0 {
		t.Errorf("mxint8: %v", b)
	}
	if d := MXINT8.DecodeBlock(MXBlock{Scale: 127, Elements: [BlockSize]uint8{0x80}}); d[0] != -2 {
		t.Errorf("mxint8 0x80 = %g, want -2", d[0])
	}
	var nilFormat *MXFormat
	if b, st := nilFormat.EncodeBlock(s); b.Scale != 0xFF || st != StatusInvalid {
		t.Error("nil MX format")
	}
	if MXFP8E4M3.Type().Format() != MXFP8E4M3 || MXINT8.Element() != nil || MXFP6E3M2.ElementBits() != 6 {
		t.Error("MX accessors")
	}
}

// TestMXUnderflowInFloat64 covers a nonzero element whose quotient by the
// block's scale is below float64's smallest subnormal: it encodes as zero
// with StatusUnderflow, never as an exact zero.
func TestMXUnderflowInFloat64(t *testing.T) {
	for _, m := range MXFormats() {
		var v [BlockSize]float64
		v[0] = 1e38    // sets a large shared scale (about 2^126)
		v[1] = 5e-324  // the smallest float64 subnormal: v/X is 0 in float64
		v[2] = -5e-324 // and its negative
		blk, st := m.EncodeBlock(v)
		if !st.Underflow() || !st.Rounded() {
			t.Errorf("%s: status %v, want underflow and rounded", m, st)
		}
		got := m.DecodeBlock(blk)
		if got[1] != 0 || got[2] != 0 {
			t.Errorf("%s: tiny elements decode to %v, %v; want zeros", m, got[1], got[2])
		}
		// Each tiny element alone underflows, whether its quotient is zero
		// in float64 or a float64 subnormal (1e-300 / 2^126).
		for _, tiny := range []float64{5e-324, -5e-324, 1e-300} {
			var w [BlockSize]float64
			w[0], w[1] = 1e38, tiny
			if _, st := m.EncodeBlock(w); !st.Underflow() {
				t.Errorf("%s: block {1e38, %g}: status %v, want underflow", m, tiny, st)
			}
		}
		// The same block without the tiny values underflows nothing.
		v[1], v[2] = 0, 0
		if _, st := m.EncodeBlock(v); st.Underflow() {
			t.Errorf("%s: status %v for a block with only exact zeros besides its maximum", m, st)
		}
	}
}
