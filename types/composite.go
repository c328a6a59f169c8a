package types

import (
	"strconv"
	"strings"
)

// ArrayType is an ordered list of elements of one type: array(T) (any
// length) or array(T, n) (at most n elements). The zero value has no element
// type and is not valid; use NewArray.
type ArrayType struct {
	elem   Type
	maxLen int // 0 = unbounded
}

// NewArray returns array(elem) for maxLen 0, else array(elem, maxLen), or a
// *ParamError when elem is invalid or maxLen is out of range.
func NewArray(elem Type, maxLen int) (ArrayType, error) {
	if err := validate(elem, 1); err != nil {
		return ArrayType{}, paramErr("array", "element", typeText(elem), err.Error())
	}
	if maxLen < 0 || maxLen > MaxLength {
		return ArrayType{}, paramErr("array", "max length", strconv.Itoa(maxLen),
			"must be between 1 and "+strconv.Itoa(MaxLength))
	}
	return ArrayType{elem: elem, maxLen: maxLen}, nil
}

// Family returns FamilyArray.
func (ArrayType) Family() Family { return FamilyArray }

// Elem returns the element type.
func (t ArrayType) Elem() Type { return t.elem }

// MaxLen returns the maximum number of elements, or 0 when unbounded.
func (t ArrayType) MaxLen() int { return t.maxLen }

// MapType maps keys of one type to values of another: map(K, V). The zero
// value is not valid; use NewMap.
type MapType struct {
	key, value Type
}

// NewMap returns map(key, value), or a *ParamError when either is invalid.
func NewMap(key, value Type) (MapType, error) {
	if err := validate(key, 1); err != nil {
		return MapType{}, paramErr("map", "key", typeText(key), err.Error())
	}
	if err := validate(value, 1); err != nil {
		return MapType{}, paramErr("map", "value", typeText(value), err.Error())
	}
	return MapType{key: key, value: value}, nil
}

// Family returns FamilyMap.
func (MapType) Family() Family { return FamilyMap }

// Key returns the key type.
func (t MapType) Key() Type { return t.key }

// Value returns the value type.
func (t MapType) Value() Type { return t.value }

// MaxVectorDims is the largest number of dimensions a vector may declare.
const MaxVectorDims = 65536

// VectorType is a fixed-dimension vector of floats, as used for embeddings:
// vector(n) holds exactly n float32 values; vector(n, F) holds n values of
// the float type F (for example vector(768, float16)). vector(n, float32)
// prints as vector(n). The zero value is not valid; use NewVector.
type VectorType struct {
	dims int32
	elem floatID
}

// NewVector returns a vector of dims elements of type elem, or a *ParamError
// when dims is not between 1 and MaxVectorDims.
func NewVector(dims int, elem FloatType) (VectorType, error) {
	if dims < 1 || dims > MaxVectorDims {
		return VectorType{}, paramErr("vector", "dimensions", strconv.Itoa(dims),
			"must be between 1 and "+strconv.Itoa(MaxVectorDims))
	}
	if formatByID(elem.id) == nil {
		return VectorType{}, paramErr("vector", "element", "", "is not a float format")
	}
	return VectorType{dims: int32(dims), elem: elem.id}, nil
}

// Family returns FamilyVector.
func (VectorType) Family() Family { return FamilyVector }

// Dims returns the number of dimensions.
func (t VectorType) Dims() int { return int(t.dims) }

// Elem returns the element type (float32 unless declared otherwise).
func (t VectorType) Elem() FloatType { return FloatType{id: t.elem} }

// Field is one named field of a struct type. NotNull marks a field that must
// hold a value whenever the struct itself is not null.
type Field struct {
	Name    string
	Type    Type
	NotNull bool
}

// maxNameLen bounds struct field names, like SQL identifiers.
const maxNameLen = 128

// StructType is a record of named fields: struct(a integer, b varchar(5) not
// null). Field names are identifiers (a letter or '_', then letters, digits
// and '_'), compared case-sensitively but unique regardless of case; the
// field order is part of the type. The zero value is not valid; use NewStruct.
type StructType struct {
	body *structBody
}

// NewStruct returns the struct type with the given fields in order, or a
// *ParamError naming the first invalid or duplicate field.
func NewStruct(fields ...Field) (StructType, error) {
	if len(fields) == 0 {
		return StructType{}, paramErr("struct", "fields", "", "a struct needs at least one field")
	}
	seen := make(map[string]bool, len(fields))
	for _, f := range fields {
		if reason := checkIdent(f.Name); reason != "" {
			return StructType{}, paramErr("struct", "field name", strconv.Quote(f.Name), reason)
		}
		lower := strings.ToLower(f.Name)
		if seen[lower] {
			return StructType{}, paramErr("struct", "field name", f.Name,
				"duplicates another field (names are unique regardless of case)")
		}
		seen[lower] = true
		if err := validate(f.Type, 1); err != nil {
			return StructType{}, paramErr("struct", "field "+f.Name, typeText(f.Type), err.Error())
		}
	}
	own := append([]Field(nil), fields...) // callers may reuse their slice
	return StructType{body: internStruct(structText(own), own)}, nil
}

// checkIdent returns why s is not a valid field name, or "".
func checkIdent(s string) string {
	if s == "" {
		return "must not be empty"
	}
	if len(s) > maxNameLen {
		return "must be at most " + strconv.Itoa(maxNameLen) + " characters"
	}
	for i := 0; i < len(s); i++ {
		if !isIdentByte(s[i], i == 0) {
			return "must start with a letter or '_' and hold only letters, digits and '_'"
		}
	}
	return ""
}

func isIdentByte(c byte, first bool) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || !first && c >= '0' && c <= '9'
}

// Family returns FamilyStruct.
func (StructType) Family() Family { return FamilyStruct }

// NumFields returns the number of fields.
func (t StructType) NumFields() int {
	if t.body == nil {
		return 0
	}
	return len(t.body.fields)
}

// Field returns the i'th field; it returns the zero Field when i is out of range.
func (t StructType) Field(i int) Field {
	if t.body == nil || i < 0 || i >= len(t.body.fields) {
		return Field{}
	}
	return t.body.fields[i]
}

// Fields returns a copy of the fields in order.
func (t StructType) Fields() []Field {
	if t.body == nil {
		return nil
	}
	return append([]Field(nil), t.body.fields...)
}

// FieldByName returns the field with exactly this name.
func (t StructType) FieldByName(name string) (Field, bool) {
	if t.body != nil && t.body.index != nil {
		if i, ok := t.body.index[name]; ok {
			return t.body.fields[i], true
		}
		return Field{}, false
	}
	if t.body != nil {
		for _, f := range t.body.fields {
			if f.Name == name {
				return f, true
			}
		}
	}
	return Field{}, false
}

// typeText prints a possibly nil type for messages.
func typeText(t Type) string {
	if t == nil {
		return "<nil>"
	}
	return t.String()
}
