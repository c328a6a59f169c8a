package value

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/datasurface/datasurface-go/types"
)

// TestCheck pins which canonical values fit which types, and that each
// refusal names the value and the limit.
func TestCheck(t *testing.T) {
	negZero := math.Copysign(0, -1)
	tests := []struct {
		typ  string
		v    any
		want string // "" when the value fits; else words the error holds
	}{
		{"varchar(3)", "abc", ""},
		{"varchar(3)", "日本語", ""},
		{"varchar(3)", "abcd", `value "abcd" has 4 characters, more than varchar(3) holds`},
		{"varchar", "a\x00b", "NUL character"},
		{"varchar", "\xff", "not valid UTF-8"},
		{"char(3)", "ab ", "ends in a space"},
		{"char(3)", "ab", ""},
		{"varchar", int64(1), "is a Go int64, but the canonical value of varchar is a string"},
		{"tinyint", int64(127), ""},
		{"tinyint", int64(128), "value 128 is outside tinyint (-128 to 127)"},
		{"utinyint", int64(-1), "value -1 is outside utinyint (0 to 255)"},
		{"uinteger", int64(math.MaxUint32), ""},
		{"ubigint", uint64(math.MaxUint64), ""},
		{"ubigint", int64(1), "canonical value of ubigint is a uint64"},
		{"bigint", uint64(1), "canonical value of bigint is a int64"},
		{"decimal(5,2)", MustDecimal("999.99"), ""},
		{"decimal(5,2)", MustDecimal("-0.5"), ""},
		{"decimal(5,2)", MustDecimal("1000"), "value 1000 has 4 digits before the point, more than the 3 of decimal(5,2)"},
		{"decimal(5,2)", MustDecimal("1.005"), "value 1.005 has 3 digits after the point, more than decimal(5,2) keeps"},
		{"float16", 65504.0, ""},
		{"float16", 65505.0, "value 65505 is not exactly a value of float16"},
		{"float16", 0.1, "not exactly a value of float16"},
		{"float32", 0.1, "not exactly a value of float32"},
		{"float32", float64(float32(0.1)), ""},
		{"float64", 0.1, ""},
		{"float128", math.MaxFloat64, ""},
		{"fp8_e4m3", 448.0, ""},
		{"fp8_e4m3", 480.0, "not exactly a value of fp8_e4m3"},
		{"fp8_e4m3", math.Inf(1), "has no infinity"},
		{"fp8_e4m3", math.NaN(), ""},
		{"fp8_e4m3", negZero, ""},
		{"fp8_e4m3fnuz", negZero, "value -0 is not a value of fp8_e4m3fnuz, which has no negative zero"},
		{"fp4_e2m1", math.NaN(), "value NaN is not a value of fp4_e2m1, which has no NaN"},
		{"fp4_e2m1", 6.0, ""},
		{"fp4_e2m1", 5.0, "not exactly a value of fp4_e2m1"},
		{"e8m0", 0.0, "not exactly a value of e8m0"},
		{"e8m0", math.Ldexp(1, -127), ""},
		{"e8m0", -2.0, "not exactly a value of e8m0"},
		{"mxfp4_e2m1", types.MXBlock{Elements: [32]uint8{0x0F}}, ""},
		{"mxfp4_e2m1", types.MXBlock{Elements: [32]uint8{0x10}}, "element 1 code 0x10, wider than the 4 bits"},
		{"mxint8", types.MXBlock{Elements: [32]uint8{0xFF}}, ""},
		{"date", Date{2024, 2, 29}, ""},
		{"date", Date{2023, 2, 29}, "value 2023-02-29 is not a day"},
		{"date", Date{0, 1, 1}, "not a day of years 1 to 9999"},
		{"time", TimeOfDay(24 * time.Hour), "is not a time of day"},
		{"time", TimeOfDay(time.Nanosecond), "below the microsecond"},
		{"timestamp", time.Date(2024, 1, 1, 0, 0, 0, 1000, time.UTC), ""},
		{"timestamp", time.Date(2024, 1, 1, 0, 0, 0, 1, time.UTC), "below the microsecond"},
		{"timestamp", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), "outside years 1 to 9999"},
		{"timestamp(tz=Europe/Paris)", time.Date(2024, 1, 1, 0, 0, 0, 0, time.FixedZone("x", 3600)), "is not in UTC"},
		{"binary(2)", []byte{1, 2, 3}, "value of 3 bytes is longer than binary(2)"},
		{"binary", []byte{}, ""},
		{"variant", JSON(`{"a":1}`), ""},
		{"variant", JSON(`{ "a": 1 }`), "not in canonical form"},
		{"variant", JSON(`{`), "is not JSON"},
		{"array(integer, 2)", []any{int64(1), nil}, ""},
		{"array(integer, 2)", []any{int64(1), nil, nil}, "array value has 3 elements, more than array(integer, 2) holds"},
		{"array(tinyint)", []any{int64(1000)}, "array element 1: value 1000 is outside tinyint"},
		{"map(varchar, integer)", []MapEntry{{"a", int64(1)}, {"b", nil}}, ""},
		{"map(varchar, integer)", []MapEntry{{"b", int64(1)}, {"a", nil}}, "not sorted by key"},
		{"map(varchar, integer)", []MapEntry{{"a", int64(1)}, {"a", nil}}, `repeats the key "a"`},
		{"map(varchar, integer)", []MapEntry{{nil, int64(1)}}, "NULL key"},
		{"struct(a integer not null, b varchar(1))", []any{int64(1), nil}, ""},
		{"struct(a integer not null, b varchar(1))", []any{nil, "x"}, "struct field a is NULL, but the type says not null"},
		{"struct(a integer not null, b varchar(1))", []any{int64(1), "xy"}, "struct field b: value \"xy\" has 2 characters"},
		{"struct(a integer not null, b varchar(1))", []any{int64(1)}, "struct value has 1 fields"},
		{"vector(2)", []float64{1, 2}, ""},
		{"vector(2)", []float64{1}, "vector value has 1 values, but vector(2) has exactly 2"},
		{"vector(2, fp8_e4m3)", []float64{1, 1000}, "vector element 2: value 1000 is not exactly a value of fp8_e4m3"},
		{"geography(point)", Geography{1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, ""},
		{"geography(linestring)", Geography{1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, "geography value is a point, but geography(srid=4326, linestring) holds only linestrings"},
		{"geography", Geography{0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, "not in canonical form"},
		{"geography", Geography{1, 1}, "ends early"},
		{"boolean", nil, ""},
		{"boolean", "true", "canonical value of boolean is a bool"},
	}
	for _, tt := range tests {
		err := Check(types.MustParse(tt.typ), tt.v)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("Check(%s, %s) = %v, want nil", tt.typ, Show(tt.v), err)
		case tt.want != "" && err == nil:
			t.Errorf("Check(%s, %s) = nil, want an error with %q", tt.typ, Show(tt.v), tt.want)
		case tt.want != "" && !strings.Contains(err.Error(), tt.want):
			t.Errorf("Check(%s, %s) = %q, want it to hold %q", tt.typ, Show(tt.v), err, tt.want)
		}
	}
}

// TestShow checks that values printed in errors are cut and escaped.
func TestShow(t *testing.T) {
	long := strings.Repeat("é", 100)
	if s := Show(long); !strings.HasSuffix(s, `..."`) && !strings.HasSuffix(s, `"...`) {
		t.Errorf("Show of a long string = %q, want it cut", s)
	}
	if s := Show("a\u202eb"); strings.ContainsRune(s, '\u202e') {
		t.Errorf("Show kept a bidirectional override: %q", s)
	}
	if s := Show(nil); s != "NULL" {
		t.Errorf("Show(nil) = %q", s)
	}
}
