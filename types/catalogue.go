package types

import (
	"sort"
	"strconv"
)

// NameInfo describes one type name the parser accepts.
type NameInfo struct {
	// Name is the spelling (matched case-insensitively), e.g. "int32".
	Name string
	// Canonical is the canonical name Name stands for, e.g. "integer"; equal
	// to Name for canonical names. The canonical name of a parameterised
	// alias is the base name ("bytes" -> "binary").
	Canonical string
	// Family is the family of the types the name denotes.
	Family Family
	// Syntax shows the accepted forms, e.g. "varchar | varchar(n)".
	Syntax string
	// Doc is one sentence about the type.
	Doc string
}

// Alias reports whether Name is an alias rather than the canonical name.
func (n NameInfo) Alias() bool { return n.Name != n.Canonical }

// entry is a catalogue row: the public description and the parse routine
// that reads the rest of the type after its name.
type entry struct {
	info  NameInfo
	parse func(p *parser, at, depth int) (Type, error)
}

// catalogue lists every name; the parser and Names are built from it, and a
// test checks that docs/TYPES.md mentions every name.
var catalogue []entry

// byName indexes catalogue by lower-case name.
var byName map[string]*entry

func init() {
	add := func(name, canonical string, fam Family, syntax, doc string, parse func(*parser, int, int) (Type, error)) {
		catalogue = append(catalogue, entry{NameInfo{name, canonical, fam, syntax, doc}, parse})
	}
	str := func(fixed, unicode bool) func(*parser, int, int) (Type, error) {
		return func(p *parser, at, _ int) (Type, error) { return p.parseString(at, fixed, unicode) }
	}
	fixedType := func(t Type) func(*parser, int, int) (Type, error) {
		return func(p *parser, at, _ int) (Type, error) { return p.noParams(at, t) }
	}

	const vdoc = "Variable-length text, unbounded or at most n characters (n may be written max for unbounded); optional collate \"name\"."
	add("varchar", "varchar", FamilyString, "varchar | varchar(n) [collate \"name\"]", vdoc, str(false, false))
	add("string", "varchar", FamilyString, "string | string(n)", "Alias of varchar.", str(false, false))
	add("text", "varchar", FamilyString, "text | text(n)", "Alias of varchar.", str(false, false))
	add("char", "char", FamilyString, "char(n) [collate \"name\"]", "Fixed-length text of exactly n characters, padded.", str(true, false))
	add("nvarchar", "nvarchar", FamilyString, "nvarchar | nvarchar(n) [collate \"name\"]", "Variable-length unicode text.", str(false, true))
	add("nchar", "nchar", FamilyString, "nchar(n) [collate \"name\"]", "Fixed-length unicode text of exactly n characters.", str(true, true))

	ints := []struct {
		canon   string
		aliases []string
		t       IntegerType
	}{
		{"tinyint", []string{"int8"}, Int8},
		{"smallint", []string{"int16"}, Int16},
		{"integer", []string{"int32", "int"}, Int32},
		{"bigint", []string{"int64"}, Int64},
		{"utinyint", []string{"uint8"}, Uint8},
		{"usmallint", []string{"uint16"}, Uint16},
		{"uinteger", []string{"uint32"}, Uint32},
		{"ubigint", []string{"uint64"}, Uint64},
	}
	for _, it := range ints {
		sign := "Signed"
		if it.t.unsigned {
			sign = "Unsigned"
		}
		add(it.canon, it.canon, FamilyInteger, it.canon, sign+" "+strconv.Itoa(it.t.Bits())+"-bit integer.", fixedType(it.t))
		for _, a := range it.aliases {
			add(a, it.canon, FamilyInteger, a, "Alias of "+it.canon+".", fixedType(it.t))
		}
	}

	add("decimal", "decimal", FamilyDecimal, "decimal(p,s) | decimal(p)", "Exact decimal with p digits (1 to 76), s after the point (0 to p); decimal(p) is decimal(p,0).",
		func(p *parser, at, _ int) (Type, error) { return p.parseDecimal(at) })
	add("numeric", "decimal", FamilyDecimal, "numeric(p,s) | numeric(p)", "Alias of decimal.",
		func(p *parser, at, _ int) (Type, error) { return p.parseDecimal(at) })

	floatAliases := map[floatID][]string{
		idBinary16:  {"half", "binary16"},
		idBinary32:  {"real", "binary32"},
		idBinary64:  {"double", "float", "binary64"},
		idBinary128: {"binary128"},
		idBinary256: {"binary256"},
		idE4M3:      {"float8_e4m3fn"},
		idE5M2:      {"float8_e5m2"},
		idE4M3FNUZ:  {"float8_e4m3fnuz"},
		idE5M2FNUZ:  {"float8_e5m2fnuz"},
		idE8M0:      {"float8_e8m0fnu"},
	}
	for _, f := range FloatFormats() {
		doc := f.title + floatSummary(f)
		add(f.name, f.name, FamilyFloat, f.name, doc, fixedType(f.Type()))
		for _, a := range floatAliases[f.id] {
			add(a, f.name, FamilyFloat, a, "Alias of "+f.name+".", fixedType(f.Type()))
		}
	}
	for _, m := range MXFormats() {
		add(m.name, m.name, FamilyMX, m.name, m.title+": blocks of 32 elements sharing one E8M0 scale.", fixedType(m.Type()))
	}

	add("boolean", "boolean", FamilyBoolean, "boolean", "True or false.", fixedType(Boolean))
	add("bool", "boolean", FamilyBoolean, "bool", "Alias of boolean.", fixedType(Boolean))
	add("date", "date", FamilyDate, "date", "A calendar date.", fixedType(Date))
	add("time", "time", FamilyTime, "time", "A time of day without a date or zone.", fixedType(Time))
	add("timestamp", "timestamp", FamilyTimestamp, "timestamp | timestamp(tz=ZONE)",
		"A date and time, without a zone or in ZONE: UTC, an offset such as +05:30, or an IANA name such as Europe/Paris.",
		func(p *parser, at, _ int) (Type, error) { return p.parseTimestamp(at) })
	add("datetime", "timestamp", FamilyTimestamp, "datetime", "Alias of timestamp (no zone).", fixedType(Timestamp))
	add("timestamptz", "timestamp", FamilyTimestamp, "timestamptz", "Alias of timestamp(tz=UTC).", fixedType(TimestampType{zone: "UTC"}))
	add("interval", "interval", FamilyInterval, "interval", "A duration.", fixedType(Interval))
	bin := func(p *parser, at, _ int) (Type, error) { return p.parseBinary(at) }
	add("binary", "binary", FamilyBinary, "binary | binary(n)", "Bytes, unbounded or at most n.", bin)
	for _, a := range []string{"bytes", "varbinary", "blob", "bytea"} {
		add(a, "binary", FamilyBinary, a+" | "+a+"(n)", "Alias of binary.", bin)
	}
	add("variant", "variant", FamilyVariant, "variant", "A semi-structured (JSON) value.", fixedType(Variant))
	add("json", "variant", FamilyVariant, "json", "Alias of variant.", fixedType(Variant))
	add("jsonb", "variant", FamilyVariant, "jsonb", "Alias of variant.", fixedType(Variant))
	add("array", "array", FamilyArray, "array(T) | array(T, n)", "A list of T, unbounded or at most n elements.",
		func(p *parser, at, depth int) (Type, error) { return p.parseArray(at, depth) })
	add("map", "map", FamilyMap, "map(K, V)", "A map from K to V.",
		func(p *parser, at, depth int) (Type, error) { return p.parseMap(at, depth) })
	add("struct", "struct", FamilyStruct, "struct(name T [not null], ...)", "A record of named fields.",
		func(p *parser, at, depth int) (Type, error) { return p.parseStruct(at, depth) })
	add("vector", "vector", FamilyVector, "vector(n) | vector(n, F)", "Exactly n float32 values (or n values of float type F), as for embeddings.",
		func(p *parser, at, depth int) (Type, error) { return p.parseVector(at, depth) })
	add("geography", "geography", FamilyGeography, "geography | geography(srid=N) | geography(srid=N, kind) | geography(kind)",
		"A shape on the earth; SRID 4326 (WGS 84) unless given; kind one of point, linestring, polygon, multipoint, multilinestring, multipolygon, geometrycollection.",
		func(p *parser, at, _ int) (Type, error) { return p.parseGeography(at) })

	byName = make(map[string]*entry, len(catalogue))
	for i := range catalogue {
		byName[catalogue[i].info.Name] = &catalogue[i]
	}
}

// floatSummary is the part of a float format's doc after its title.
func floatSummary(f *FloatFormat) string {
	s := ": 1 sign, " + strconv.Itoa(f.expBits) + " exponent and " + strconv.Itoa(f.manBits) + " mantissa bits, bias " + strconv.Itoa(f.bias)
	if !f.signed {
		s = ": unsigned, 8 exponent bits, value 2^(e-127)"
	}
	s += ", largest finite " + maxText(f)
	switch {
	case f.inf:
		s += ", infinity and NaN"
	case f.nan != nanNone:
		s += ", NaN but no infinity"
	default:
		s += ", no infinity or NaN (saturates)"
	}
	return s + "."
}

// Names lists every type name the parser accepts, canonical names and
// aliases, sorted by name.
func Names() []NameInfo {
	out := make([]NameInfo, len(catalogue))
	for i, e := range catalogue {
		out[i] = e.info
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
