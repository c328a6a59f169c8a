package types

import (
	"math"
	"testing"
)

// The tests in this file pin the deliberate departures from IEEE 754 and the
// OCP specifications that docs/TYPES.md lists, so that none of them changes
// without the documentation changing with it.

// TestSignallingNaNIsKept checks that a signalling NaN keeps its signalling
// payload and raises no invalid flag, and that decoding and re-encoding
// gives the same code back.
func TestSignallingNaNIsKept(t *testing.T) {
	snan := math.Float64frombits(0x7FF4000000000000) // quiet bit (51) clear, payload bit 50
	code, st := Binary16.Encode(snan)
	if st != StatusExact {
		t.Errorf("binary16 signalling NaN: status %v, want exact (no invalid)", st)
	}
	if code != 0x7D00 {
		t.Errorf("binary16 signalling NaN = %#x, want 0x7d00 (quiet bit 0x200 clear)", code)
	}
	if again, _ := Binary16.Encode(Binary16.Decode(code)); again != code {
		t.Errorf("binary16 signalling NaN %#x re-encodes to %#x", code, again)
	}
	code32, st := Binary32.Encode(snan)
	if st != StatusExact || code32 != 0x7FA00000 {
		t.Errorf("binary32 signalling NaN = %#x, %v; want 0x7fa00000, exact", code32, st)
	}
}

// TestMXINT8IsSymmetric checks that MXINT8 clamps to ±127: -2 times the
// scale, which the element's two's complement could hold as 0x80, is
// encoded as -127 with overflow, while 0x80 still decodes to -2.
func TestMXINT8IsSymmetric(t *testing.T) {
	var v [BlockSize]float64
	v[0] = -1 // sets the scale to 2^0
	v[1] = -1.999
	blk, st := MXINT8.EncodeBlock(v)
	if blk.Scale != 127 {
		t.Fatalf("scale code %d, want 127", blk.Scale)
	}
	if int8(blk.Elements[1]) != -127 {
		t.Errorf("-1.999 encodes to %d, want -127 (never -128)", int8(blk.Elements[1]))
	}
	if !st.Overflow() {
		t.Errorf("status %v, want overflow for a value below -127/64", st)
	}
	for _, x := range []float64{-2, -1.99, 1.99, 2} {
		if c, _ := encodeInt8(x); c == 0x80 {
			t.Errorf("encodeInt8(%v) produced 0x80", x)
		}
	}
	blk.Elements[2] = 0x80
	if got := MXINT8.DecodeBlock(blk)[2]; got != -2 {
		t.Errorf("0x80 decodes to %v, want -2", got)
	}
}

// TestE8M0HasNoZero checks that E8M0 encodes zero as its smallest value with
// underflow and a negative value as NaN with invalid.
func TestE8M0HasNoZero(t *testing.T) {
	if c, st := E8M0.Encode(0); c != 0 || st != StatusUnderflow|StatusRounded || E8M0.Decode(c) != 0x1p-127 {
		t.Errorf("e8m0 zero = %#x, %v; want code 0 (2^-127), underflow and rounded", c, st)
	}
	if c, st := E8M0.Encode(-1); c != 0xFF || st != StatusInvalid {
		t.Errorf("e8m0 -1 = %#x, %v; want NaN 0xff, invalid", c, st)
	}
}

// TestNaNWithoutNaNCode checks that the FP6 and FP4 formats, which have no
// NaN, encode one as +0 with invalid.
func TestNaNWithoutNaNCode(t *testing.T) {
	for _, f := range []*FloatFormat{E2M3, E3M2, E2M1} {
		if c, st := f.Encode(math.NaN()); c != 0 || st != StatusInvalid {
			t.Errorf("%s NaN = %#x, %v; want +0, invalid", f, c, st)
		}
	}
}

// TestTininessBeforeRounding checks that a value below the smallest normal
// that rounds up to it still raises underflow: tininess is detected before
// rounding.
func TestTininessBeforeRounding(t *testing.T) {
	x := 0x1p-14 - 0x1p-26 // just below binary16's smallest normal 2^-14
	c, st := Binary16.Encode(x)
	if Binary16.Decode(c) != 0x1p-14 {
		t.Fatalf("%v encodes to %v, want the smallest normal", x, Binary16.Decode(c))
	}
	if st != StatusUnderflow|StatusRounded {
		t.Errorf("status %v, want underflow and rounded", st)
	}
	// An exact subnormal is tiny but loses nothing: no underflow.
	if _, st := Binary16.Encode(0x1p-24); st != StatusExact {
		t.Errorf("exact subnormal: status %v, want exact", st)
	}
}
