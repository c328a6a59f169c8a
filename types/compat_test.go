package types

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Short names for the rule IDs in the table.
const (
	fam  = RuleFamilyChanged
	nar  = RuleNarrowed
	sgn  = RuleSignednessChanged
	flt  = RuleFloatNotRepresentable
	mxc  = RuleMXFormatChanged
	uni  = RuleUnicodeChanged
	fix  = RuleFixedLengthChanged
	col  = RuleCollationChanged
	tz   = RuleTimezoneChanged
	srid = RuleSRIDChanged
	geo  = RuleGeometryChanged
	dims = RuleVectorDimensionsChanged
	rem  = RuleStructFieldRemoved
	ren  = RuleStructFieldRenamed
	add  = RuleStructFieldAddedNotNull
	tgt  = RuleStructFieldNullabilityTight
)

// compatPairs: for each pair, the rules CheckReplace(a, b) reports and the
// rules CheckReplace(b, a) reports (nil: compatible). Every row is checked
// in both directions.
var compatPairs = []struct {
	a, b   string
	ab, ba []string
}{
	// strings
	{"varchar(40)", "varchar(200)", nil, []string{nar}},
	{"varchar(20)", "varchar", nil, []string{nar}},
	{"char(10)", "varchar(10)", nil, []string{fix}},
	{"char(10)", "varchar(5)", []string{nar}, []string{fix}},
	{"char(5)", "char(10)", nil, []string{nar}},
	{"varchar(10)", "nvarchar(10)", nil, []string{uni}},
	{"nvarchar(20)", "varchar(10)", []string{uni, nar}, nil},
	{"nchar(3)", "nvarchar(3)", nil, []string{fix}},
	{"nchar(4)", "char(4)", []string{uni}, nil},
	{`varchar(10) collate "C"`, "varchar(10)", []string{col}, []string{col}},
	{`varchar collate "en_US"`, `varchar collate "de_DE"`, []string{col}, []string{col}},
	{`varchar(10) collate "C"`, `varchar(20) collate "C"`, nil, []string{nar}},
	{`nvarchar(10) collate "C"`, `char(5)`, []string{uni, fix, nar, col}, []string{col}},
	{"varchar", "text", nil, nil},
	// integers
	{"smallint", "bigint", nil, []string{nar}},
	{"tinyint", "smallint", nil, []string{nar}},
	{"integer", "bigint", nil, []string{nar}},
	{"tinyint", "bigint", nil, []string{nar}},
	{"integer", "uinteger", []string{sgn}, []string{sgn}},
	{"utinyint", "smallint", nil, []string{sgn, nar}},
	{"usmallint", "integer", nil, []string{sgn, nar}},
	{"uinteger", "bigint", nil, []string{sgn, nar}},
	{"ubigint", "bigint", []string{sgn}, []string{sgn}},
	{"utinyint", "uinteger", nil, []string{nar}},
	{"tinyint", "ubigint", []string{sgn}, []string{sgn, nar}},
	{"integer", "varchar", []string{fam}, []string{fam}},
	{"int", "int32", nil, nil},
	// decimals
	{"decimal(10,2)", "decimal(12,2)", nil, []string{nar}},
	{"decimal(10,2)", "decimal(12,4)", nil, []string{nar}},
	{"decimal(10,2)", "decimal(10,4)", []string{nar}, []string{nar}},
	{"decimal(10,2)", "decimal(11,4)", []string{nar}, []string{nar}},
	{"decimal(10,0)", "decimal(38,0)", nil, []string{nar}},
	{"decimal(5,5)", "decimal(6,6)", nil, []string{nar}},
	{"decimal(12,2)", "float64", []string{fam}, []string{fam}},
	{"integer", "decimal(10,0)", []string{fam}, []string{fam}},
	// floats: the widening chain of docs/TYPES.md and its neighbours
	{"float32", "float64", nil, []string{flt}},
	{"float16", "float32", nil, []string{flt}},
	{"fp4_e2m1", "fp6_e2m3", nil, []string{flt}},
	{"fp6_e2m3", "fp8_e4m3", nil, []string{flt}},
	{"fp8_e4m3", "float16", nil, []string{flt}},
	{"fp4_e2m1", "float32", nil, []string{flt}},
	{"fp8_e4m3", "fp8_e5m2", []string{flt}, []string{flt}},
	{"bfloat16", "float32", nil, []string{flt}},
	{"float16", "bfloat16", []string{flt}, []string{flt}},
	{"fp8_e5m2", "float16", nil, []string{flt}},
	{"fp8_e4m3fnuz", "fp8_e4m3", []string{flt}, []string{flt}},
	{"fp8_e4m3fnuz", "float16", nil, []string{flt}},
	{"fp8_e5m2fnuz", "fp8_e5m2", []string{flt}, []string{flt}},
	{"fp6_e3m2", "fp8_e4m3", nil, []string{flt}},
	{"fp6_e2m3", "fp6_e3m2", []string{flt}, []string{flt}},
	{"e8m0", "float32", nil, []string{flt}},
	{"e8m0", "bfloat16", nil, []string{flt}},
	{"e8m0", "float16", []string{flt}, []string{flt}},
	{"float64", "float128", nil, []string{flt}},
	{"float128", "float256", nil, []string{flt}},
	{"fp4_e2m1", "e8m0", []string{flt}, []string{flt}},
	{"fp4_e2m1", "fp8_e4m3fnuz", nil, []string{flt}},
	{"fp8_e4m3", "float64", nil, []string{flt}},
	{"float32", "double", nil, []string{flt}},
	// MX blocks
	{"mxfp8_e4m3", "mxfp8_e5m2", []string{mxc}, []string{mxc}},
	{"mxfp4_e2m1", "mxfp6_e2m3", []string{mxc}, []string{mxc}},
	{"mxint8", "mxfp8_e4m3", []string{mxc}, []string{mxc}},
	{"mxfp8_e4m3", "fp8_e4m3", []string{fam}, []string{fam}},
	{"mxfp6_e3m2", "mxfp6_e3m2", nil, nil},
	// boolean, date, time, interval, variant
	{"boolean", "bool", nil, nil},
	{"boolean", "tinyint", []string{fam}, []string{fam}},
	{"date", "timestamp", nil, []string{fam}},
	{"date", "timestamp(tz=UTC)", []string{tz}, []string{fam}},
	{"time", "timestamp", []string{fam}, []string{fam}},
	{"interval", "time", []string{fam}, []string{fam}},
	{"variant", "varchar", []string{fam}, []string{fam}},
	{"json", "variant", nil, nil},
	{"date", "date", nil, nil},
	// timestamps
	{"timestamp", "timestamp(tz=UTC)", []string{tz}, []string{tz}},
	{"timestamp(tz=UTC)", "timestamp(tz=Europe/Paris)", []string{tz}, []string{tz}},
	{"timestamp(tz=+05:30)", "timestamp(tz=Asia/Kolkata)", []string{tz}, []string{tz}},
	{"timestamptz", "timestamp(tz=+00:00)", nil, nil},
	// binary
	{"binary(16)", "binary(32)", nil, []string{nar}},
	{"binary(16)", "binary", nil, []string{nar}},
	{"binary", "varchar", []string{fam}, []string{fam}},
	// arrays
	{"array(integer)", "array(bigint)", nil, []string{nar}},
	{"array(integer, 10)", "array(integer, 20)", nil, []string{nar}},
	{"array(integer, 10)", "array(integer)", nil, []string{nar}},
	{"array(varchar(10), 5)", "array(varchar(5), 10)", []string{nar}, []string{nar}},
	{"array(integer)", "array(varchar)", []string{fam}, []string{fam}},
	{"array(integer)", "integer", []string{fam}, []string{fam}},
	{"array(array(smallint))", "array(array(integer))", nil, []string{nar}},
	// maps
	{"map(varchar(10), integer)", "map(varchar(20), bigint)", nil, []string{nar, nar}},
	{"map(integer, float32)", "map(integer, float16)", []string{flt}, nil},
	{"map(integer, integer)", "map(varchar, integer)", []string{fam}, []string{fam}},
	{"map(varchar, integer)", "struct(a integer)", []string{fam}, []string{fam}},
	// structs
	{"struct(a integer)", "struct(a integer, b varchar)", nil, []string{rem}},
	{"struct(a integer)", "struct(a integer, b varchar not null)", []string{add}, []string{rem}},
	{"struct(a integer, b date)", "struct(b date, a integer)", nil, nil},
	{"struct(a integer)", "struct(a integer not null)", []string{tgt}, nil},
	{"struct(a integer)", "struct(A integer)", []string{ren}, []string{ren}},
	{"struct(a varchar(10))", "struct(a varchar(5))", []string{nar}, nil},
	{"struct(a struct(x integer, y integer))", "struct(a struct(x bigint))", []string{rem}, []string{nar}},
	{"struct(a integer)", "struct(b integer)", []string{rem}, []string{rem}},
	{"struct(a array(struct(z date)))", "struct(a array(struct(z timestamp)))", nil, []string{fam}},
	{"struct(a integer, b integer not null)", "struct(b bigint not null, c date)", []string{rem}, []string{nar, rem}},
	// vectors
	{"vector(768)", "vector(768, float64)", nil, []string{flt}},
	{"vector(768)", "vector(512)", []string{nar}, []string{dims}},
	{"vector(3, float16)", "vector(3)", nil, []string{flt}},
	{"vector(3)", "array(float32, 3)", []string{fam}, []string{fam}},
	{"vector(4, fp8_e4m3)", "vector(2, fp8_e5m2)", []string{nar, flt}, []string{dims, flt}},
	// geography
	{"geography", "geography(srid=3857)", []string{srid}, []string{srid}},
	{"geography(srid=4326, point)", "geography", nil, []string{geo}},
	{"geography(point)", "geography(polygon)", []string{geo}, []string{geo}},
	{"geography(srid=3857, point)", "geography", []string{srid}, []string{srid, geo}},
	{"geography", "varchar", []string{fam}, []string{fam}},
}

func rulesOf(cs []Change) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Rule)
	}
	return out
}

func TestCheckReplaceTable(t *testing.T) {
	if len(compatPairs) < 100 {
		t.Fatalf("only %d pairs", len(compatPairs))
	}
	families := map[Family]bool{}
	seenRules := map[string]bool{}
	for _, p := range compatPairs {
		a, b := MustParse(p.a), MustParse(p.b)
		families[a.Family()], families[b.Family()] = true, true
		for _, dir := range []struct {
			o, n Type
			want []string
		}{{a, b, p.ab}, {b, a, p.ba}} {
			got := CheckReplace(dir.o, dir.n)
			if !slices.Equal(rulesOf(got), dir.want) {
				t.Errorf("CheckReplace(%s, %s) = %v, want %v", dir.o, dir.n, got, dir.want)
			}
			for _, c := range got {
				seenRules[c.Rule] = true
				if c.Message == "" || c.Old == c.New && c.Rule != ren {
					t.Errorf("CheckReplace(%s, %s): incomplete change %+v", dir.o, dir.n, c)
				}
			}
		}
	}
	for _, f := range Families() {
		if !families[f] {
			t.Errorf("family %s not covered", f)
		}
	}
	for _, r := range Rules() {
		if !seenRules[r.ID] && r.ID != RuleInvalid {
			t.Errorf("rule %s not covered", r.ID)
		}
	}
}

func TestCheckReplaceDetails(t *testing.T) {
	for _, c := range []struct {
		old, new string
		want     []Change
	}{
		{"varchar(40)", "varchar(20)", []Change{{nar, "", "varchar(40)", "varchar(20)", "varchar length reduced from 40 to 20"}}},
		{"varchar", "varchar(20)", []Change{{nar, "", "varchar", "varchar(20)", "varchar length bounded to 20 (was unbounded)"}}},
		{"ubigint", "bigint", []Change{{sgn, "", "ubigint", "bigint",
			"unsigned ubigint replaced by signed bigint: values above 9223372036854775807 would not fit"}}},
		{"decimal(10,2)", "decimal(10,1)", []Change{{nar, "", "decimal(10,2)", "decimal(10,1)", "decimal scale reduced from 2 to 1"}}},
		{"struct(a struct(b array(varchar(9))))", "struct(a struct(b array(varchar(3))))", []Change{{nar,
			"field a > field b > element", "varchar(9)", "varchar(3)", "varchar length reduced from 9 to 3"}}},
		{"map(integer, struct(x date))", "map(integer, struct(y date not null))", []Change{
			{rem, "value > field x", "date", "", "field x removed"},
			{add, "value > field y", "", "date not null", "not-null field y added: existing values have no value for it"}}},
		{"float32", "float16", []Change{{flt, "", "float32", "float16",
			"float16 cannot represent every float32 value: its largest finite value 65504 is below 3.4028234663852886e+38; it cannot hold 1.0000001192092896 exactly"}}},
		{"fp8_e5m2", "fp8_e4m3", []Change{{flt, "", "fp8_e5m2", "fp8_e4m3",
			"fp8_e4m3 cannot represent every fp8_e5m2 value: it has no infinity; its largest finite value 448 is below 57344; it cannot hold 7.62939453125e-05 exactly"}}},
		{"float256", "float128", []Change{{flt, "", "float256", "float128",
			"float128 cannot represent every float256 value: its largest finite value 2^16384 - 2^16271 (about 1.1897e4932) is below 2^262144 - 2^261907 (about 1.6113e78913); it cannot hold 1 + 2^-236 exactly"}}},
		{"timestamp(tz=UTC)", "timestamp", []Change{{tz, "", "timestamp(tz=UTC)", "timestamp", "time zone UTC removed"}}},
	} {
		got := CheckReplace(MustParse(c.old), MustParse(c.new))
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("CheckReplace(%s, %s) (-want +got):\n%s", c.old, c.new, diff)
		}
	}
}

func TestCheckReplaceInvalid(t *testing.T) {
	for _, c := range []struct{ o, n Type }{
		{nil, Int32}, {Int32, nil}, {DecimalType{}, MustParse("decimal(3,1)")}, {ArrayType{}, MustParse("array(int)")},
		{StructType{}, MustParse("struct(a int)")}, {VectorType{}, MustParse("vector(3)")}, {MapType{key: Int32}, MapType{}},
		{FloatType{id: 200}, Binary32.Type()}, {TimestampType{zone: "Nowhere/Land"}, Timestamp},
	} {
		got := CheckReplace(c.o, c.n)
		if len(got) == 0 || got[0].Rule != RuleInvalid {
			t.Errorf("CheckReplace(%v, %v) = %v, want %s", c.o, c.n, got, RuleInvalid)
		}
	}
	if got := CheckReplace(nil, nil); got != nil {
		t.Errorf("CheckReplace(nil, nil) = %v", got)
	}
}

// TestFloatCompatBruteForce decides "represents every value" for every pair
// of formats of 16 bits or fewer by trying every code, and checks the
// closed-form answer agrees.
func TestFloatCompatBruteForce(t *testing.T) {
	var small []*FloatFormat
	for _, f := range FloatFormats() {
		if f.Bits() <= 16 {
			small = append(small, f)
		}
	}
	for _, o := range small {
		for _, n := range small {
			holds := true
			for c := uint64(0); c < 1<<o.Bits() && holds; c++ {
				v := o.Decode(c)
				got, st := n.Encode(v)
				back := n.Decode(got)
				switch {
				case math.IsNaN(v):
					holds = n.HasNaN()
				default:
					// -0 counts as 0: the formats without it store it as +0.
					holds = st == StatusExact && back == v
				}
			}
			gaps := floatGaps(o, n)
			if holds != (len(gaps) == 0) {
				t.Errorf("%s -> %s: brute force says %v, closed form says %v", o, n, holds, gaps)
			}
		}
	}
}

// TestFloatCompatWide checks the closed form on the formats too wide to
// enumerate, against facts about them.
func TestFloatCompatWide(t *testing.T) {
	chain := []*FloatFormat{E2M1, E2M3, E4M3, Binary16, Binary32, Binary64, Binary128, Binary256}
	for i, o := range chain {
		for j, n := range chain {
			if ok := len(floatGaps(o, n)) == 0; ok != (i <= j) {
				t.Errorf("%s -> %s: compatible %v", o, n, ok)
			}
		}
	}
	for _, f := range FloatFormats() {
		if f != Binary64 && f != Binary128 && f != Binary256 && len(floatGaps(f, Binary64)) != 0 {
			t.Errorf("%s does not widen to float64: %v", f, floatGaps(f, Binary64))
		}
	}
}

// corpus is a set of types of every family for property tests.
func corpus() []Type {
	seen := map[Type]bool{}
	var out []Type
	for _, p := range compatPairs {
		for _, s := range []string{p.a, p.b} {
			if t := MustParse(s); !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	return out
}

// TestCompatProperties: every type replaces itself; two distinct types
// never replace each other both ways (no accidental symmetry); and
// compatibility is transitive within a family.
func TestCompatProperties(t *testing.T) {
	ts := corpus()
	ok := func(a, b Type) bool { return len(CheckReplace(a, b)) == 0 }
	for _, a := range ts {
		if !ok(a, a) {
			t.Errorf("%s does not replace itself", a)
		}
		for _, b := range ts {
			_, reorder := a.(StructType) // fields match by name: a reordering replaces both ways
			if a != b && ok(a, b) && ok(b, a) && !reorder {
				t.Errorf("%s and %s replace each other", a, b)
			}
			if !ok(a, b) || a.Family() != b.Family() {
				continue
			}
			for _, c := range ts {
				if b.Family() == c.Family() && ok(b, c) && !ok(a, c) {
					t.Errorf("%s -> %s -> %s compatible, but %s -> %s is not: %v", a, b, c, a, c, CheckReplace(a, c))
				}
			}
		}
	}
}

func TestRules(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules() {
		if seen[r.ID] || !strings.HasPrefix(r.ID, "TYPE_") || strings.ToUpper(r.ID) != r.ID || !strings.HasSuffix(r.Purpose, ".") {
			t.Errorf("bad rule %+v", r)
		}
		seen[r.ID] = true
	}
	c := Change{Rule: nar, Path: "element", Message: "m"}
	if c.String() != "TYPE_NARROWED at element: m" {
		t.Error(c.String())
	}
}
