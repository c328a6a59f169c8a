package value

import (
	"bytes"
	"encoding/binary"
	"math"
	"strings"
	"testing"
	"time"
)

// TestParseDecimal pins the normal form and the refusals.
func TestParseDecimal(t *testing.T) {
	for in, want := range map[string]string{
		"0": "0", "-0": "0", "+0.000": "0", "007": "7", "1.50": "1.5", "-1.50": "-1.5",
		".5": "0.5", "5.": "5", "1e3": "1000", "1.5e-3": "0.0015", "-12.5E+1": "-125",
		"0.000001": "0.000001", "123456789012345678901234567890.123456789": "123456789012345678901234567890.123456789",
	} {
		d, err := ParseDecimal(in)
		if err != nil || d.String() != want {
			t.Errorf("ParseDecimal(%q) = %q, %v; want %q", in, d, err, want)
		}
	}
	for _, in := range []string{"", "-", ".", "1.2.3", "abc", "1e", "1e999", "NaN", "Infinity", "1,5", " 1"} {
		if d, err := ParseDecimal(in); err == nil {
			t.Errorf("ParseDecimal(%q) = %s, want an error", in, d)
		}
	}
	d := MustDecimal("-0.05")
	if i, f := d.Digits(); i != 0 || f != 2 {
		t.Errorf("Digits(-0.05) = %d, %d", i, f)
	}
	u, err := d.Unscaled(4)
	if err != nil || u.Int64() != -500 {
		t.Errorf("Unscaled(-0.05, 4) = %v, %v", u, err)
	}
	if _, err := d.Unscaled(1); err == nil {
		t.Error("Unscaled(-0.05, 1) succeeded")
	}
	if (Decimal{}).String() != "0" || (Decimal{}) != MustDecimal("0.0") {
		t.Error("the zero Decimal is not 0")
	}
}

// TestIntervalText checks that String and ParseInterval are inverses and
// that PostgreSQL's default output style reads the same.
func TestIntervalText(t *testing.T) {
	for _, iv := range []Interval{
		{}, {Months: 14}, {Months: -14}, {Days: -3}, {Micros: 1}, {Micros: -1},
		{Months: 14, Days: -3, Micros: 3723500000}, {Micros: math.MaxInt64}, {Micros: math.MinInt64},
		{Months: math.MinInt32, Days: math.MaxInt32},
	} {
		back, err := ParseInterval(iv.String())
		if err != nil || back != iv {
			t.Errorf("ParseInterval(%q) = %+v, %v; want %+v", iv.String(), back, err, iv)
		}
	}
	for in, want := range map[string]Interval{
		"00:00:00":                           {},
		"1 year 2 mons 3 days 04:05:06.5":    {Months: 14, Days: 3, Micros: 14706500000},
		"-1 years -2 mons +3 days -04:05:06": {Months: -14, Days: 3, Micros: -14706000000},
		"1 day":                              {Days: 1},
		"-00:00:00.000001":                   {Micros: -1},
		"P1Y2M3DT4H5M6.5S":                   {Months: 14, Days: 3, Micros: 14706500000},
		"P-1Y-2M3DT-4H-5M-6S":                {Months: -14, Days: 3, Micros: -14706000000},
		"P2W":                                {Days: 14},
		"PT0S":                               {},
		"2562047788:00:54.775807":            {Micros: math.MaxInt64},
	} {
		got, err := ParseInterval(in)
		if err != nil || got != want {
			t.Errorf("ParseInterval(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "P", "PT", "P1H", "PT1D", "1 fortnight", "1", "P1.5Y", "PT1.1234567S", "P99999999999Y", "PT9999999999999H", "2562047788:00:54.775808", "1-2 3 4:05:06"} {
		if got, err := ParseInterval(in); err == nil {
			t.Errorf("ParseInterval(%q) = %+v, want an error", in, got)
		}
	}
}

// TestTimestampText checks the text forms of dates, times and timestamps.
func TestTimestampText(t *testing.T) {
	for in, want := range map[string]time.Time{
		"2024-01-02 03:04:05":        time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		"2024-01-02T03:04:05.123456": time.Date(2024, 1, 2, 3, 4, 5, 123456000, time.UTC),
		"2024-01-02 03:04:05+02:00":  time.Date(2024, 1, 2, 1, 4, 5, 0, time.UTC),
		"2024-01-02 03:04:05.5-0130": time.Date(2024, 1, 2, 4, 34, 5, 500000000, time.UTC),
		"2024-01-02 03:04:05Z":       time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		"2024-01-02":                 time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC),
		"0001-01-01 00:00:00.000000": time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		got, _, err := ParseTimestamp(in)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseTimestamp(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"2024-13-01 00:00:00", "2024-01-02 25:00:00", "2024-01-02x03:04:05", "infinity", "2024-01-02 03:04:05+99:00", "0000-00-00 00:00:00"} {
		if got, _, err := ParseTimestamp(in); err == nil {
			t.Errorf("ParseTimestamp(%q) = %v, want an error", in, got)
		}
	}
	for _, s := range []string{"00:00:00", "23:59:59.999999", "12:00:00.5"} {
		d, err := ParseTimeOfDay(s)
		if err != nil || d.String() != s {
			t.Errorf("ParseTimeOfDay(%q) = %s, %v", s, d, err)
		}
	}
	if d, err := ParseDate("2024-02-29"); err != nil || d != (Date{2024, 2, 29}) || d.String() != "2024-02-29" {
		t.Errorf("ParseDate = %v, %v", d, err)
	}
}

// TestCanonicalJSON pins the canonical form and the refusals.
func TestCanonicalJSON(t *testing.T) {
	for in, want := range map[string]string{
		` { "b" : 1 , "a" : [ 1.50 , 1e2, -0, "x" ] } `: `{"a":[1.5,100,0,"x"],"b":1}`,
		`"\u00e9\/\n\u0001"`:                            "\"é/\\n\\u0001\"",
		`"<&>"`:                                         `"<&>"`,
		`{"é":1,"z":2,"A":3}`:                           `{"A":3,"z":2,"é":1}`,
		`null`:                                          `null`,
		`[true,false,null,{}]`:                          `[true,false,null,{}]`,
		`12345678901234567890123`:                       `12345678901234567890123`,
	} {
		got, err := CanonicalJSON([]byte(in))
		if err != nil || string(got) != want {
			t.Errorf("CanonicalJSON(%s) = %s, %v; want %s", in, got, err, want)
		}
		again, err := CanonicalJSON([]byte(got))
		if err != nil || again != got {
			t.Errorf("CanonicalJSON is not idempotent on %s: %s", got, again)
		}
	}
	for in, want := range map[string]string{
		`{"a":1,"a":2}`: `repeats the object key "a"`,
		`{`:             "ends before",
		`1 2`:           "not one JSON document",
		"\"\xff\"":      "not valid UTF-8",
		`1e500`:         "exponent",
		strings.Repeat("[", 600) + strings.Repeat("]", 600): "deeper than 512",
	} {
		_, err := CanonicalJSON([]byte(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CanonicalJSON(%.20s) = %v, want an error with %q", in, err, want)
		}
	}
}

// TestParseWKB checks the canonical form of shapes written in big-endian,
// EWKB and ISO Z forms, and the refusals.
func TestParseWKB(t *testing.T) {
	le := binary.LittleEndian
	pointLE := le.AppendUint64(le.AppendUint64(le.AppendUint32([]byte{1}, 1), math.Float64bits(1)), math.Float64bits(2))
	be := binary.BigEndian
	pointBE := be.AppendUint64(be.AppendUint64(be.AppendUint32([]byte{0}, 1), math.Float64bits(1)), math.Float64bits(2))
	g, srid, err := ParseWKB(pointBE)
	if err != nil || !bytes.Equal(g, pointLE) || srid != -1 {
		t.Errorf("big-endian point: %x, %d, %v; want %x", g, srid, err, pointLE)
	}
	ewkb := be.AppendUint32(be.AppendUint32([]byte{0}, 0x20000001), 4326)
	ewkb = be.AppendUint64(be.AppendUint64(ewkb, math.Float64bits(1)), math.Float64bits(2))
	g, srid, err = ParseWKB(ewkb)
	if err != nil || !bytes.Equal(g, pointLE) || srid != 4326 {
		t.Errorf("EWKB point: %x, %d, %v", g, srid, err)
	}
	ewkbZ := le.AppendUint32([]byte{1}, 0x80000001)
	for _, c := range []float64{1, 2, 3} {
		ewkbZ = le.AppendUint64(ewkbZ, math.Float64bits(c))
	}
	isoZ := le.AppendUint32([]byte{1}, 1001)
	isoZ = append(isoZ, ewkbZ[5:]...)
	if g, _, err := ParseWKB(ewkbZ); err != nil || !bytes.Equal(g, isoZ) {
		t.Errorf("EWKB Z point: %x, %v; want the ISO code 1001", g, err)
	}
	empty := le.AppendUint64(le.AppendUint64(le.AppendUint32([]byte{1}, 1), math.Float64bits(math.NaN())), math.Float64bits(math.NaN()))
	if _, _, err := ParseWKB(empty); err != nil {
		t.Errorf("POINT EMPTY refused: %v", err)
	}
	huge := le.AppendUint32(le.AppendUint32([]byte{1}, 2), 1<<30)
	for name, b := range map[string][]byte{
		"empty":         nil,
		"bad order":     {2, 1, 0, 0, 0},
		"unknown type":  le.AppendUint32([]byte{1}, 8),
		"short point":   pointLE[:20],
		"trailing":      append(append([]byte{}, pointLE...), 0),
		"huge count":    huge,
		"NaN in a line": le.AppendUint64(le.AppendUint64(le.AppendUint32(le.AppendUint32([]byte{1}, 2), 1), math.Float64bits(math.NaN())), 0),
		"infinite":      le.AppendUint64(le.AppendUint64(le.AppendUint32([]byte{1}, 1), math.Float64bits(math.Inf(1))), 0),
	} {
		if _, _, err := ParseWKB(b); err == nil {
			t.Errorf("%s: ParseWKB accepted %x", name, b)
		}
	}
}
