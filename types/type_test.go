package types

import (
	"errors"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestEqualityAgreesWithString checks ==, Equal and Compare against the
// canonical strings for every pair of a corpus covering every family.
func TestEqualityAgreesWithString(t *testing.T) {
	ts := corpus()
	for _, f := range FloatFormats() {
		ts = append(ts, f.Type())
	}
	for _, m := range MXFormats() {
		ts = append(ts, m.Type())
	}
	for _, a := range ts {
		for _, b := range ts {
			same := a.String() == b.String()
			if (a == b) != same || Equal(a, b) != same || (Compare(a, b) == 0) != same {
				t.Errorf("%s vs %s: == %v, Equal %v, Compare %d", a, b, a == b, Equal(a, b), Compare(a, b))
			}
			if Compare(a, b) != strings.Compare(a.String(), b.String()) || Compare(a, b) != -Compare(b, a) {
				t.Errorf("Compare(%s, %s) = %d", a, b, Compare(a, b))
			}
		}
	}
	sorted := slices.Clone(ts)
	slices.SortFunc(sorted, Compare)
	if !slices.IsSortedFunc(sorted, func(a, b Type) int { return strings.Compare(a.String(), b.String()) }) {
		t.Error("Compare does not sort by canonical string")
	}
	if Compare(nil, Int8) != -1 || Compare(Int8, nil) != 1 || Compare(nil, nil) != 0 || !Equal(nil, nil) || Equal(nil, Int8) {
		t.Error("nil ordering")
	}
}

func TestMapKeysAndCmp(t *testing.T) {
	m := map[Type]int{}
	for _, s := range []string{"int", "INTEGER", "int32", " integer ", "struct(a int)", "STRUCT(a int32)", "array(text)", "array(varchar)"} {
		m[MustParse(s)]++
	}
	if len(m) != 3 || m[Int32] != 4 {
		t.Errorf("map keys: %v", m)
	}
	type column struct {
		Name string
		Type Type
	}
	a := column{"c", MustParse("struct(a int, b array(map(text, decimal(5,2))))")}
	b := column{"c", MustParse("STRUCT(a INT32, b ARRAY(MAP(string, NUMERIC(5, 2))))")}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("cmp.Diff of equal types:\n%s", diff)
	}
	if cmp.Equal(a, column{"c", MustParse("struct(a int)")}) || cmp.Equal(column{"c", Int8}, column{"c", Int16}) {
		t.Error("cmp.Equal of different types")
	}
}

// TestStructInterning checks struct types built separately, concurrently
// and across garbage collections share one body.
func TestStructInterning(t *testing.T) {
	mk := func() StructType {
		s, err := NewStruct(Field{Name: "x", Type: Int64, NotNull: true}, Field{Name: "y", Type: Date})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	a := mk()
	runtime.GC()
	runtime.GC()
	if b := mk(); a != b || MustParse("struct(x bigint not null, y date)") != a {
		t.Error("struct types with the same fields differ")
	}
	var wg sync.WaitGroup
	got := make([]Type, 64)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], _ = Parse("struct(q" + strings.Repeat("z", i%4) + " int, r varchar(3))")
		}()
	}
	wg.Wait()
	for i := range got {
		if got[i] != got[i%4] {
			t.Fatalf("concurrent parses differ: %v %v", got[i], got[i%4])
		}
	}
	// Collected bodies leave the intern table.
	for i := 0; i < 1000; i++ {
		_, _ = NewStruct(Field{Name: "tmp" + strings.Repeat("a", i%50), Type: Int8})
	}
	runtime.GC()
	runtime.GC()
}

func TestConstructors(t *testing.T) {
	mustErr := func(err error, param string) {
		t.Helper()
		var pe *ParamError
		if !errors.As(err, &pe) || pe.Param != param || pe.Offset != -1 {
			t.Errorf("got %v, want a ParamError for %s", err, param)
		}
	}
	s, err := NewString(StringOptions{Length: 5, Fixed: true, Unicode: true, Collation: "C"})
	if err != nil || s.String() != `nchar(5) collate "C"` || !s.Fixed() || !s.Unicode() || s.Length() != 5 || !s.Bounded() || s.Collation() != "C" {
		t.Errorf("NewString: %v %v", s, err)
	}
	_, err = NewString(StringOptions{Fixed: true})
	mustErr(err, "length")
	_, err = NewString(StringOptions{Length: -1})
	mustErr(err, "length")
	_, err = NewString(StringOptions{Collation: `a"b`})
	mustErr(err, "collation")
	_, err = NewString(StringOptions{Collation: strings.Repeat("c", 129)})
	mustErr(err, "collation")
	i, err := NewInteger(16, true)
	if err != nil || i != Uint16 || i.Bits() != 16 || !i.Unsigned() {
		t.Errorf("NewInteger: %v %v", i, err)
	}
	_, err = NewInteger(12, false)
	mustErr(err, "bits")
	d, err := NewDecimal(12, 2)
	if err != nil || d.Precision() != 12 || d.Scale() != 2 || d.IntegerDigits() != 10 {
		t.Errorf("NewDecimal: %v %v", d, err)
	}
	_, err = NewDecimal(5, -1)
	mustErr(err, "scale")
	ts, err := NewTimestamp("Europe/Paris")
	if err != nil || ts.Zone() != "Europe/Paris" || ts.Location() == nil || ts.Location().String() != "Europe/Paris" {
		t.Errorf("NewTimestamp: %v %v", ts, err)
	}
	if off, _ := NewTimestamp("-03:30"); off.Location() == nil || off.String() != "timestamp(tz=-03:30)" {
		t.Errorf("offset zone: %v", off)
	}
	if Timestamp.Location() != nil {
		t.Error("zone-less timestamp has a location")
	}
	_, err = NewTimestamp("Nowhere/Land")
	mustErr(err, "tz")
	b, err := NewBinary(4)
	if err != nil || b.Length() != 4 || b.String() != "binary(4)" {
		t.Errorf("NewBinary: %v %v", b, err)
	}
	_, err = NewBinary(-4)
	mustErr(err, "length")
	arr, err := NewArray(d, 3)
	if err != nil || arr.Elem() != d || arr.MaxLen() != 3 || arr.String() != "array(decimal(12,2), 3)" {
		t.Errorf("NewArray: %v %v", arr, err)
	}
	_, err = NewArray(nil, 0)
	mustErr(err, "element")
	_, err = NewArray(DecimalType{}, 0)
	mustErr(err, "element")
	_, err = NewArray(Int8, -1)
	mustErr(err, "max length")
	mp, err := NewMap(s, arr)
	if err != nil || mp.Key() != s || mp.Value() != arr {
		t.Errorf("NewMap: %v %v", mp, err)
	}
	_, err = NewMap(Int8, nil)
	mustErr(err, "value")
	_, err = NewMap(VectorType{}, Int8)
	mustErr(err, "key")
	st, err := NewStruct(Field{Name: "a", Type: mp}, Field{Name: "b", Type: Int8, NotNull: true})
	if err != nil || st.NumFields() != 2 || st.Field(1).Name != "b" || !st.Field(1).NotNull || st.Field(5).Name != "" {
		t.Errorf("NewStruct: %v %v", st, err)
	}
	if f, ok := st.FieldByName("a"); !ok || f.Type != mp {
		t.Error("FieldByName")
	}
	fs := st.Fields()
	fs[0].Name = "changed"
	if st.Field(0).Name != "a" {
		t.Error("Fields exposed the internal slice")
	}
	_, err = NewStruct()
	mustErr(err, "fields")
	_, err = NewStruct(Field{Name: "1x", Type: Int8})
	mustErr(err, "field name")
	_, err = NewStruct(Field{Name: "x", Type: Int8}, Field{Name: "X", Type: Int8})
	mustErr(err, "field name")
	_, err = NewStruct(Field{Name: "x"})
	mustErr(err, "field x")
	v, err := NewVector(8, Binary16.Type())
	if err != nil || v.Dims() != 8 || v.Elem() != Binary16.Type() || v.String() != "vector(8, float16)" {
		t.Errorf("NewVector: %v %v", v, err)
	}
	_, err = NewVector(0, Binary32.Type())
	mustErr(err, "dimensions")
	_, err = NewVector(3, (*FloatFormat)(nil).Type())
	mustErr(err, "element")
	g, err := NewGeography(3857, Point)
	if err != nil || g.SRID() != 3857 || g.Kind() != Point || g.String() != "geography(srid=3857, point)" {
		t.Errorf("NewGeography: %v %v", g, err)
	}
	_, err = NewGeography(-1, AnyGeometry)
	mustErr(err, "srid")
	_, err = NewGeography(1, GeometryKind(99))
	mustErr(err, "kind")
	if GeometryKind(99).String() != "geometry(99)" || AnyGeometry.String() != "any" {
		t.Error("GeometryKind.String")
	}
	// Depth is bounded for constructed types too.
	var deep Type = Int8
	for i := 0; i < MaxDepth; i++ {
		deep, _ = NewArray(deep, 0)
	}
	if _, err := NewArray(deep, 0); err == nil {
		t.Error("NewArray accepted a type deeper than MaxDepth")
	}
}

// TestZeroValues checks the zero values print distinctly, validate as
// documented and never panic.
func TestZeroValues(t *testing.T) {
	valid := map[Type]string{
		StringType{}: "varchar", IntegerType{}: "integer", FloatType{}: "float64", MXType{}: "mxfp8_e4m3",
		BooleanType{}: "boolean", DateType{}: "date", TimeType{}: "time", TimestampType{}: "timestamp",
		IntervalType{}: "interval", BinaryType{}: "binary", VariantType{}: "variant", GeographyType{}: "geography(srid=0)",
	}
	for ty, want := range valid {
		if ty.String() != want || Validate(ty) != nil || MustParse(want) != ty {
			t.Errorf("zero %T = %q (%v)", ty, ty, Validate(ty))
		}
	}
	for _, ty := range []Type{DecimalType{}, ArrayType{}, MapType{}, StructType{}, VectorType{}, nil,
		FloatType{id: idInvalid}, MXType{id: idMXInvalid}, IntegerType{size: 9}, GeographyType{srid: -5}} {
		if Validate(ty) == nil {
			t.Errorf("zero %T validates", ty)
		}
		if ty != nil {
			_ = ty.String()
			_ = ty.Family()
		}
	}
	if (StructType{}).NumFields() != 0 || (StructType{}).Fields() != nil {
		t.Error("zero struct fields")
	}
	if _, ok := (StructType{}).FieldByName("a"); ok {
		t.Error("zero struct has a field")
	}
}

func TestFamilies(t *testing.T) {
	if len(Families()) != int(familyCount)-1 || FamilyString.String() != "string" || Family(99).String() != "family(99)" {
		t.Error("families")
	}
	for _, f := range Families() {
		if strings.HasPrefix(f.String(), "family(") {
			t.Errorf("family %d has no name", f)
		}
	}
}

func TestErrorsRender(t *testing.T) {
	se := &SyntaxError{Offset: 3}
	if se.Error() != "type syntax error at offset 3" {
		t.Error(se.Error())
	}
	pe := paramErr("decimal", "scale", "", "is wrong")
	if pe.Error() != "decimal: scale: is wrong" {
		t.Error(pe.Error())
	}
}

func TestFormatLookups(t *testing.T) {
	for _, f := range FloatFormats() {
		if g, ok := FloatFormatByName(f.Name()); !ok || g != f || f.String() != f.Name() || f.Title() == "" {
			t.Errorf("lookup %s", f.Name())
		}
		if f.SmallestNormal() < 0 || f.SmallestPositive() > f.SmallestNormal() || f.MinExponent() > f.MaxExponent() || f.Wide() != (f.Bits() > 64) {
			t.Errorf("%s accessors", f.Name())
		}
	}
	if _, ok := FloatFormatByName("double"); ok {
		t.Error("aliases are not format names")
	}
	if !E5M2.Signed() || E8M0.Signed() {
		t.Error("Signed")
	}
	for _, m := range MXFormats() {
		if m.String() != m.Name() || m.Title() == "" || MustParse(m.Name()) != m.Type() {
			t.Errorf("mx %s", m.Name())
		}
	}
}

func TestWideStruct(t *testing.T) {
	var fs []string
	for i := 0; i < 40; i++ {
		fs = append(fs, "f"+strings.Repeat("x", i)+" integer")
	}
	a := MustParse("struct(" + strings.Join(fs, ", ") + ")").(StructType)
	if f, ok := a.FieldByName("fxxx"); !ok || f.Type != Int32 {
		t.Error("FieldByName on a wide struct")
	}
	if _, ok := a.FieldByName("nope"); ok {
		t.Error("FieldByName found a missing field")
	}
	b := MustParse("struct(" + strings.Join(fs[1:], ", ") + ", extra bigint not null)")
	got := rulesOf(CheckReplace(a, b))
	if !slices.Equal(got, []string{RuleStructFieldRemoved, RuleStructFieldAddedNotNull}) {
		t.Errorf("wide struct changes: %v", got)
	}
}

// TestZeroFormats checks the zero values of the format descriptors (which
// callers should never build, but could) do not panic.
func TestZeroFormats(t *testing.T) {
	var f FloatFormat
	for _, x := range []float64{0, 1, -1, math.Inf(1), math.NaN(), 1e300, 1e-300} {
		f.Encode(x)
		f.Encode(x, Saturate)
		f.EncodeWords(x)
	}
	f.Decode(0xFF)
	f.DecodeWords(Words{1, 2, 3, 4})
	var m MXFormat
	b, _ := m.EncodeBlock([BlockSize]float64{1, -2, 3})
	m.DecodeBlock(b)
	if (IntegerType{size: 9}).String() == "integer" {
		t.Error("an invalid integer prints like a valid one")
	}
}
