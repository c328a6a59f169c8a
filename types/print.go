package types

import (
	"strconv"
	"strings"
)

// This file is the printer: the String method of every type, producing the
// canonical syntax. The canonical form is lower case, has no space inside a
// parameter list of numbers ("decimal(12,2)"), one space after a comma that
// separates types ("map(varchar, integer)", "array(integer, 10)"), and
// spells each parameter the one way the parser documents. Parse(t.String())
// returns t for every valid t, and two types are equal exactly when their
// strings are.

// String returns e.g. varchar, varchar(20), nchar(3) or varchar(20) collate "C".
func (t StringType) String() string {
	s := t.Name()
	if t.length > 0 {
		s += "(" + strconv.Itoa(t.length) + ")"
	}
	if t.collation != "" {
		s += ` collate "` + t.collation + `"`
	}
	return s
}

var intNames = [2][len(intBits)]string{
	{size8: "tinyint", size16: "smallint", size32: "integer", size64: "bigint"},
	{size8: "utinyint", size16: "usmallint", size32: "uinteger", size64: "ubigint"},
}

// String returns tinyint, smallint, integer, bigint or their u-prefixed
// unsigned forms.
func (t IntegerType) String() string {
	u := 0
	if t.unsigned {
		u = 1
	}
	if int(t.size) < len(intBits) {
		return intNames[u][t.size]
	}
	return "integer(" + strconv.Itoa(int(t.size)) + ")" // not valid; distinct from every valid type
}

// String returns decimal(p,s).
func (t DecimalType) String() string {
	return "decimal(" + strconv.Itoa(int(t.precision)) + "," + strconv.Itoa(int(t.scale)) + ")"
}

// String returns the float format's name, such as float32 or fp8_e4m3.
func (t FloatType) String() string {
	if f := formatByID(t.id); f != nil {
		return f.name
	}
	return "float(" + strconv.Itoa(int(t.id)) + ")"
}

// String returns the block format's name, such as mxfp4_e2m1.
func (t MXType) String() string {
	if f := mxByID(t.id); f != nil {
		return f.name
	}
	return "mx(" + strconv.Itoa(int(t.id)) + ")"
}

// String returns boolean.
func (BooleanType) String() string { return "boolean" }

// String returns date.
func (DateType) String() string { return "date" }

// String returns time.
func (TimeType) String() string { return "time" }

// String returns interval.
func (IntervalType) String() string { return "interval" }

// String returns variant.
func (VariantType) String() string { return "variant" }

// String returns timestamp or timestamp(tz=ZONE).
func (t TimestampType) String() string {
	if t.zone == "" {
		return "timestamp"
	}
	return "timestamp(tz=" + t.zone + ")"
}

// String returns binary or binary(n).
func (t BinaryType) String() string {
	if t.length == 0 {
		return "binary"
	}
	return "binary(" + strconv.Itoa(t.length) + ")"
}

// String returns array(T) or array(T, n).
func (t ArrayType) String() string {
	s := "array(" + typeText(t.elem)
	if t.maxLen > 0 {
		s += ", " + strconv.Itoa(t.maxLen)
	}
	return s + ")"
}

// String returns map(K, V).
func (t MapType) String() string {
	return "map(" + typeText(t.key) + ", " + typeText(t.value) + ")"
}

// String returns struct(name type [not null], ...).
func (t StructType) String() string {
	if t.body == nil {
		return "struct()"
	}
	return t.body.text
}

// structText prints a field list; NewStruct computes it once per interned body.
func structText(fields []Field) string {
	var b strings.Builder
	b.WriteString("struct(")
	for i, f := range fields {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(f.Name)
		b.WriteByte(' ')
		b.WriteString(typeText(f.Type))
		if f.NotNull {
			b.WriteString(" not null")
		}
	}
	b.WriteByte(')')
	return b.String()
}

// String returns vector(n) for float32 elements, else vector(n, F).
func (t VectorType) String() string {
	s := "vector(" + strconv.Itoa(int(t.dims))
	if t.elem != idBinary32 {
		s += ", " + FloatType{id: t.elem}.String()
	}
	return s + ")"
}

// String returns geography, geography(srid=N) or geography(srid=N, kind).
func (t GeographyType) String() string {
	switch {
	case t.kind != AnyGeometry:
		return "geography(srid=" + strconv.Itoa(int(t.srid)) + ", " + t.kind.String() + ")"
	case t.srid != DefaultSRID:
		return "geography(srid=" + strconv.Itoa(int(t.srid)) + ")"
	}
	return "geography"
}
