package dialect_test

import (
	"encoding/binary"
	"math"
	"strings"
	"time"

	"github.com/datasurface/datasurface-go/platforms/sqlplatform/value"
	"github.com/datasurface/datasurface-go/types"
)

// typeCase is one catalogue type and edge values of it, in canonical form.
// refused names the dialects whose ColumnType refuses the type; skip
// lists, per dialect, the values its Encode refuses (tested apart).
type typeCase struct {
	typ     string
	vals    []any
	refused map[string]bool
}

// everyCode returns every value of a float format of 8 bits or fewer, by
// decoding every code (NaN codes give NaN, so NaN appears once).
func everyCode(f *types.FloatFormat) []any {
	var out []any
	seenNaN := false
	for c := uint64(0); c < 1<<f.Bits(); c++ {
		x := f.Decode(c)
		if math.IsNaN(x) {
			if seenNaN {
				continue
			}
			seenNaN = true
			x = math.NaN()
		}
		out = append(out, x)
	}
	return out
}

func dec(s string) value.Decimal { return value.MustDecimal(s) }

func day(y int, m time.Month, d int) value.Date { return value.Date{Year: y, Month: m, Day: d} }

func ts(s string) time.Time {
	t, _, err := value.ParseTimestamp(s)
	if err != nil {
		panic(err)
	}
	return t
}

func tod(s string) value.TimeOfDay {
	t, err := value.ParseTimeOfDay(s)
	if err != nil {
		panic(err)
	}
	return t
}

func canonJSON(s string) value.JSON {
	j, err := value.CanonicalJSON([]byte(s))
	if err != nil {
		panic(err)
	}
	return j
}

// wkbPoint builds an ISO WKB point in the given byte order.
func wkbPoint(order binary.AppendByteOrder, x, y float64) []byte {
	b := []byte{1}
	if order == binary.AppendByteOrder(binary.BigEndian) {
		b[0] = 0
	}
	b = order.AppendUint32(b, 1)
	b = order.AppendUint64(b, math.Float64bits(x))
	return order.AppendUint64(b, math.Float64bits(y))
}

func geo(b []byte) value.Geography {
	g, _, err := value.ParseWKB(b)
	if err != nil {
		panic(err)
	}
	return g
}

// lineString is an ISO WKB linestring through the points.
func lineString(pts ...float64) []byte {
	b := binary.LittleEndian.AppendUint32([]byte{1}, 2)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(pts)/2))
	for _, p := range pts {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(p))
	}
	return b
}

// polygon is an ISO WKB polygon with one ring.
func polygon(pts ...float64) []byte {
	b := binary.LittleEndian.AppendUint32([]byte{1}, 3)
	b = binary.LittleEndian.AppendUint32(b, 1)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(pts)/2))
	for _, p := range pts {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(p))
	}
	return b
}

func mxBlocks(m *types.MXFormat) []any {
	var a, b [types.BlockSize]float64
	for i := range a {
		a[i] = float64(i-16) * 0.37
		b[i] = math.Ldexp(1, i-20)
	}
	ba, _ := m.EncodeBlock(a)
	bb, _ := m.EncodeBlock(b)
	var zero types.MXBlock
	return []any{ba, bb, zero}
}

func negZero() float64 { return math.Copysign(0, -1) }

// cases lists every catalogue family with its edge values.
func cases() []typeCase {
	noMySQL := map[string]bool{"mysql": true}
	long := strings.Repeat("x", 4000) + "é"
	var random []byte
	for i := 0; i < 1000; i++ {
		random = append(random, byte(i*7+i/3))
	}
	cs := []typeCase{
		{typ: "varchar", vals: []any{"", "a", "unicode ✓ 日本語 🎉", `quote ' " \ ;`, "line\nbreak\ttab\r", " padded ", "0123", "1e5", "NULL", long}},
		{typ: "varchar(5)", vals: []any{"abcde", "日本語🎉!", ""}},
		{typ: "nvarchar(200)", vals: []any{strings.Repeat("é", 200)}},
		{typ: "char(3)", vals: []any{"ab", "", "abc", " a"}},
		{typ: "nchar(2)", vals: []any{"日本"}},
		{typ: "tinyint", vals: []any{int64(-128), int64(127), int64(0)}},
		{typ: "smallint", vals: []any{int64(-32768), int64(32767)}},
		{typ: "integer", vals: []any{int64(math.MinInt32), int64(math.MaxInt32)}},
		{typ: "bigint", vals: []any{int64(math.MinInt64), int64(math.MaxInt64), int64(-1)}},
		{typ: "utinyint", vals: []any{int64(0), int64(255)}},
		{typ: "usmallint", vals: []any{int64(65535)}},
		{typ: "uinteger", vals: []any{int64(math.MaxUint32)}},
		{typ: "ubigint", vals: []any{uint64(0), uint64(math.MaxUint64), uint64(math.MaxInt64) + 1}},
		{typ: "decimal(38,10)", vals: []any{dec("0"), dec("-1.5"), dec("9999999999999999999999999999.9999999999"), dec("-9999999999999999999999999999.9999999999"), dec("0.0000000001")}},
		{typ: "decimal(10)", vals: []any{dec("-9999999999"), dec("42")}},
		{typ: "decimal(65,30)", vals: []any{dec("99999999999999999999999999999999999.999999999999999999999999999999")}},
		{typ: "decimal(76,38)", vals: []any{dec("-99999999999999999999999999999999999999.99999999999999999999999999999999999999")}, refused: noMySQL},
		{typ: "float64", vals: []any{0.0, negZero(), 1.0, -1.0, math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64, 0.1, 1e300, 2.5e-308, float64(1 << 60)}},
		{typ: "float32", vals: []any{float64(math.MaxFloat32), float64(math.SmallestNonzeroFloat32), float64(float32(0.1)), negZero(), float64(float32(1) / 3)}},
		{typ: "float16", vals: []any{65504.0, math.Ldexp(1, -24), negZero(), types.Binary16.Decode(0x2E66)}},
		{typ: "bfloat16", vals: []any{types.BFloat16.MaxFinite(), types.BFloat16.SmallestPositive(), -1.0078125}},
		{typ: "float128", vals: []any{math.MaxFloat64, 0.1}},
		{typ: "float256", vals: []any{-math.SmallestNonzeroFloat64}},
		{typ: "fp8_e4m3", vals: everyCode(types.E4M3)},
		{typ: "fp8_e5m2", vals: everyCode(types.E5M2)},
		{typ: "fp8_e4m3fnuz", vals: everyCode(types.E4M3FNUZ)},
		{typ: "fp8_e5m2fnuz", vals: everyCode(types.E5M2FNUZ)},
		{typ: "fp6_e2m3", vals: everyCode(types.E2M3)},
		{typ: "fp6_e3m2", vals: everyCode(types.E3M2)},
		{typ: "fp4_e2m1", vals: everyCode(types.E2M1)},
		{typ: "e8m0", vals: everyCode(types.E8M0)},
		{typ: "boolean", vals: []any{true, false}},
		{typ: "date", vals: []any{day(1, 1, 1), day(9999, 12, 31), day(2024, 2, 29), day(1970, 1, 1)}},
		{typ: "time", vals: []any{tod("00:00:00"), tod("23:59:59.999999"), tod("12:34:56.5")}},
		{typ: "timestamp", vals: []any{ts("0001-01-01 00:00:00"), ts("9999-12-31 23:59:59.999999"), ts("2024-06-01 12:00:00.123456"), ts("1970-01-01 00:00:00")}},
		{typ: "timestamp(tz=Europe/Paris)", vals: []any{ts("2024-03-31 01:30:00Z"), ts("1900-01-01 00:00:00.000001Z"), ts("9999-12-31 23:59:59.999999Z")}},
		{typ: "timestamp(tz=UTC)", vals: []any{ts("2038-01-19 03:14:08Z")}},
		{typ: "interval", vals: []any{value.Interval{}, value.Interval{Months: 14, Days: -3, Micros: 3723500000}, value.Interval{Micros: -1}, value.Interval{Months: -1}, value.Interval{Days: 1, Micros: 86400e6 * 400}}, refused: noMySQL},
		{typ: "binary", vals: []any{[]byte{}, []byte{0}, []byte{0xff, 0, 1}, random}},
		{typ: "binary(4)", vals: []any{[]byte{1, 2, 3, 4}}},
		{typ: "variant", vals: []any{canonJSON("null"), canonJSON(`{"b":{"c":null},"a":[1,2.50,"x"]}`), canonJSON(`"str ✓"`), canonJSON("12345678901234567890123"), canonJSON("1.5"), canonJSON("true"), canonJSON("[]"), canonJSON("{}"), canonJSON(`"\u0001\t"`)}},
		{typ: "array(integer)", vals: []any{[]any{}, []any{int64(1), nil, int64(-5)}}},
		{typ: "array(varchar, 3)", vals: []any{[]any{"", nil, "x"}}},
		{typ: "array(array(decimal(5,2)))", vals: []any{[]any{[]any{dec("1.5"), dec("-999.99")}, nil, []any{}}}},
		{typ: "array(float64)", vals: []any{[]any{math.NaN(), negZero(), math.Inf(1), math.Inf(-1), 0.1, math.MaxFloat64}}},
		{typ: "array(variant)", vals: []any{[]any{canonJSON("null"), nil, canonJSON(`{"a":1}`)}}},
		{typ: "array(timestamp(tz=UTC))", vals: []any{[]any{ts("2024-01-01 00:00:00.5Z")}}},
		{typ: "array(binary)", vals: []any{[]any{[]byte{}, []byte{1, 2}}}},
		{typ: "map(varchar, float64)", vals: []any{mustSort(value.MapEntry{Key: "b", Value: math.NaN()}, value.MapEntry{Key: "a", Value: negZero()}, value.MapEntry{Key: "", Value: nil}), []value.MapEntry{}}},
		{typ: "map(integer, varchar)", vals: []any{mustSort(value.MapEntry{Key: int64(2), Value: "two"}, value.MapEntry{Key: int64(-1), Value: ""})}},
		{typ: "struct(a integer, b varchar(5) not null, c array(float32))", vals: []any{[]any{int64(1), "x", []any{float64(float32(0.1)), nil}}, []any{nil, "", nil}}},
		{typ: "struct(d date, t time, i interval, m map(varchar, boolean))", vals: []any{[]any{day(2024, 1, 2), tod("01:02:03.000004"), value.Interval{Months: 1, Days: 2, Micros: 3}, mustSort(value.MapEntry{Key: "k", Value: true})}}},
		{typ: "vector(3)", vals: []any{[]float64{1, negZero(), 0.5}, []float64{math.NaN(), math.Inf(1), float64(math.MaxFloat32)}}},
		{typ: "vector(4, float16)", vals: []any{[]float64{65504, -1, math.Ldexp(1, -24), 0}}},
		{typ: "vector(2, fp8_e4m3)", vals: []any{[]float64{448, -0.001953125}}},
		{typ: "vector(2, float64)", vals: []any{[]float64{0.1, -math.MaxFloat64}}},
		{typ: "vector(2, fp4_e2m1)", vals: []any{[]float64{6, -0.5}}},
		{typ: "geography(point)", vals: []any{geo(wkbPoint(binary.LittleEndian, 1.5, -2)), geo(wkbPoint(binary.BigEndian, 180, 90))}},
		{typ: "geography", vals: []any{geo(lineString(0, 0, 1, 1, 2, 0)), geo(polygon(0, 0, 1, 0, 1, 1, 0, 0))}},
		{typ: "geography(srid=3857, linestring)", vals: []any{geo(lineString(-1, -1, 1e6, 1e6))}},
	}
	for _, m := range types.MXFormats() {
		cs = append(cs, typeCase{typ: m.Name(), vals: mxBlocks(m)})
	}
	return cs
}

func mustSort(e ...value.MapEntry) []value.MapEntry {
	out, err := value.SortMap(e)
	if err != nil {
		panic(err)
	}
	return out
}

// mysqlRefuses reports whether MySQL's Encode refuses a float value: MySQL
// has no NaN and no infinity, and stores -0 as 0.
func mysqlRefuses(v any) bool {
	switch x := v.(type) {
	case float64:
		return math.IsNaN(x) || math.IsInf(x, 0) || x == 0 && math.Signbit(x)
	case []float64:
		return false // packed bytes hold any value
	case []any:
		return false // the JSON form holds any value
	}
	return false
}
