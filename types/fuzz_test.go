package types

import (
	"encoding/binary"
	"errors"
	"math"
	"sync"
	"testing"
)

// The seed corpora live in testdata/fuzz/<FuzzName>/; the f.Add calls below
// add a few more so the targets are useful without them.

// FuzzParse: Parse never panics; a failure is a SyntaxError or ParamError
// with an offset inside the text; a success prints to a canonical form that
// parses back to the same type, validates and replaces itself.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"varchar(20)", "struct(a int, b array(map(text, decimal(5,2))) not null)",
		"timestamp(tz=Europe/Paris)", "geography(srid=4326, point)", "vector(3, half)", `char(2) collate "C"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ty, err := Parse(s)
		if err != nil {
			var se *SyntaxError
			var pe *ParamError
			switch {
			case errors.As(err, &se):
				if se.Offset < 0 || se.Offset > len(s) {
					t.Fatalf("Parse(%q): offset %d out of range", s, se.Offset)
				}
			case errors.As(err, &pe):
				if pe.Offset < 0 || pe.Offset > len(s) {
					t.Fatalf("Parse(%q): offset %d out of range", s, pe.Offset)
				}
			default:
				t.Fatalf("Parse(%q): unexpected error type %T", s, err)
			}
			return
		}
		text := ty.String()
		again, err := Parse(text)
		if err != nil {
			t.Fatalf("Parse(%q) = %q, which does not parse: %v", s, text, err)
		}
		if again != ty || again.String() != text {
			t.Fatalf("Parse(%q) = %q, reparsed as %q", s, text, again)
		}
		if err := Validate(ty); err != nil {
			t.Fatalf("Parse(%q) = %q, invalid: %v", s, text, err)
		}
		if cs := CheckReplace(ty, ty); cs != nil {
			t.Fatalf("%q does not replace itself: %v", text, cs)
		}
	})
}

// FuzzCheckReplace: for any two parseable types CheckReplace never panics,
// reports only known rules, and two distinct types never replace each other
// both ways except by reordering struct fields.
func FuzzCheckReplace(f *testing.F) {
	f.Add("varchar(40)", "varchar(20)")
	f.Add("struct(a int, b date)", "struct(b date, a bigint, c text)")
	f.Add("fp8_e4m3", "float16")
	known := map[string]bool{}
	for _, r := range Rules() {
		known[r.ID] = true
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		ta, err1 := Parse(a)
		tb, err2 := Parse(b)
		if err1 != nil || err2 != nil {
			return
		}
		ab, ba := CheckReplace(ta, tb), CheckReplace(tb, ta)
		for _, c := range append(ab, ba...) {
			if !known[c.Rule] || c.Message == "" {
				t.Fatalf("%s / %s: bad change %+v", ta, tb, c)
			}
		}
		if _, isStruct := ta.(StructType); len(ab) == 0 && len(ba) == 0 && ta != tb && !isStruct {
			t.Fatalf("%s and %s replace each other", ta, tb)
		}
	})
}

var (
	oracleOnce sync.Once
	oraclePos  map[*FloatFormat][]point
)

// FuzzEncode: Encode of any float64 in any format agrees with the exact
// rational oracle (formats up to 16 bits) or the hardware (float32), keeps
// the code within the format's width, and re-encodes its own decoding
// unchanged; the wide formats round-trip every float64.
func FuzzEncode(f *testing.F) {
	f.Add(math.Float64bits(464), uint8(6), false) // fp8_e4m3 (index into FloatFormats())
	f.Add(math.Float64bits(1+0x1p-11+0x1p-40), uint8(0), false)
	f.Add(math.Float64bits(-0x1p-130), uint8(13), true)
	oracleOnce.Do(func() {
		oraclePos = map[*FloatFormat][]point{}
		for _, s := range specs {
			oraclePos[s.f] = s.positives()
		}
	})
	formats := FloatFormats()
	f.Fuzz(func(t *testing.T, bits uint64, which uint8, sat bool) {
		x := math.Float64frombits(bits)
		fm := formats[int(which)%len(formats)]
		var opts []EncodeOption
		if sat {
			opts = append(opts, Saturate)
		}
		if fm.Wide() {
			w, st := fm.EncodeWords(x, opts...)
			back, st2 := fm.DecodeWords(w)
			if !math.IsInf(x, 0) && (st != StatusExact || st2 != StatusExact ||
				math.Float64bits(back) != bits && !(math.IsNaN(x) && math.IsNaN(back))) {
				t.Fatalf("%s: %v -> %x -> %v (%v %v)", fm, x, w, back, st, st2)
			}
			return
		}
		code, st := fm.Encode(x, opts...)
		if fm.Bits() < 64 && code>>fm.Bits() != 0 {
			t.Fatalf("%s.Encode(%v) = %#x: wider than %d bits", fm, x, code, fm.Bits())
		}
		if again, _ := fm.Encode(fm.Decode(code), opts...); again != code && !math.IsNaN(fm.Decode(code)) {
			t.Fatalf("%s: code %#x re-encodes as %#x", fm, code, again)
		}
		for _, s := range specs {
			if s.f == fm && !math.IsNaN(x) && !math.IsInf(x, 0) {
				want, wst := s.encode(oraclePos[fm], x, sat)
				if code != want || st != wst {
					t.Fatalf("%s.Encode(%v, sat=%v) = %#x %v, oracle %#x %v", fm, x, sat, code, st, want, wst)
				}
			}
		}
		if fm == Binary32 && !math.IsNaN(x) && !sat && code != uint64(math.Float32bits(float32(x))) {
			t.Fatalf("float32.Encode(%v) = %#x, hardware %#x", x, code, math.Float32bits(float32(x)))
		}
	})
}

// FuzzMXBlock: encoding any 32 values in any MX format never panics and
// matches the specification's algorithm; decoding returns X × element.
func FuzzMXBlock(f *testing.F) {
	seed := make([]byte, 8*BlockSize)
	for i := 0; i < BlockSize; i++ {
		binary.LittleEndian.PutUint64(seed[8*i:], math.Float64bits(float64(i-16)*0.37))
	}
	f.Add(seed, uint8(0))
	f.Add(seed[:40], uint8(4))
	formats := MXFormats()
	f.Fuzz(func(t *testing.T, data []byte, which uint8) {
		m := formats[int(which)%len(formats)]
		var v [BlockSize]float64
		for i := 0; i < BlockSize && 8*i+8 <= len(data); i++ {
			v[i] = math.Float64frombits(binary.LittleEndian.Uint64(data[8*i:]))
		}
		b, st := m.EncodeBlock(v)
		d := m.DecodeBlock(b)
		if b.Scale == 0xFF {
			if !st.Invalid() && !st.Overflow() {
				t.Fatalf("%s: NaN scale with status %v", m, st)
			}
			return
		}
		if want := mxOracle(m, v); b != want {
			t.Fatalf("%s: %v\n got %v\nwant %v", m, v, b, want)
		}
		for i := range d {
			if math.IsNaN(d[i]) {
				t.Fatalf("%s: finite block decoded NaN at %d", m, i)
			}
		}
	})
}
