package types

import "strings"

// Type is an immutable column data type.
//
// Every concrete type in this package is a small comparable value, so two
// types can be compared with == and used as map keys; a == b holds exactly
// when a.String() == b.String(). Each concrete type also has an
// Equal(Type) bool method, which go-cmp uses, so cmp.Diff works on values
// holding types without options. Only this package implements Type.
type Type interface {
	// String returns the canonical syntax of the type, which Parse accepts
	// and maps back to an equal type.
	String() string
	// Family returns the type's family.
	Family() Family

	isType()
}

// Equal reports whether a and b are the same type, that is, whether their
// canonical strings are equal. Two nil types are equal; a nil type equals no
// other type.
func Equal(a, b Type) bool {
	// Every concrete type is comparable and interned where it holds slices,
	// so interface equality is content equality.
	return a == b
}

// Compare orders types by their canonical strings (nil first) and returns -1,
// 0 or +1. It is a total order consistent with Equal, suitable for sorting.
func Compare(a, b Type) int {
	switch {
	case a == b:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return strings.Compare(a.String(), b.String())
}

// The marker methods that close the Type interface to this package.
func (StringType) isType()    {}
func (IntegerType) isType()   {}
func (DecimalType) isType()   {}
func (FloatType) isType()     {}
func (MXType) isType()        {}
func (BooleanType) isType()   {}
func (DateType) isType()      {}
func (TimeType) isType()      {}
func (TimestampType) isType() {}
func (IntervalType) isType()  {}
func (BinaryType) isType()    {}
func (VariantType) isType()   {}
func (ArrayType) isType()     {}
func (MapType) isType()       {}
func (StructType) isType()    {}
func (VectorType) isType()    {}
func (GeographyType) isType() {}

// Equal methods let go-cmp compare types without cmp.AllowUnexported: go-cmp
// calls an Equal method when the type has one. They agree with Equal.

// Equal reports whether o is the same type as t.
func (t StringType) Equal(o Type) bool { return Equal(t, o) }

// Equal reports whether o is the same type as t.
func (t IntegerType) Equal(o Type) bool { return Equal(t, o) }

// Equal reports whether o is the same type as t.
func (t DecimalType) Equal(o Type) bool { return Equal(t, o) }

// Equal reports whether o is the same type as t.
func (t FloatType) Equal(o Type) bool { return Equal(t, o) }

// Equal reports whether o is the same type as t.
func (t MXType) Equal(o Type) bool { return Equal(t, o) }

// Equal reports whether o is the same type as t.
func (t BooleanType) Equal(o Type) bool { return Equal(t, o) }

// Equal reports whether o is the same type as t.
func (t DateType) Equal(o Type) bool { return Equal(t, o) }

// Equal reports whether o is the same type as t.
func (t TimeType) Equal(o Type) bool { return Equal(t, o) }

// Equal reports whether o is the same type as t.
func (t TimestampType) Equal(o Type) bool { return Equal(t, o) }

// Equal reports whether o is the same type as t.
func (t IntervalType) Equal(o Type) bool { return Equal(t, o) }

// Equal reports whether o is the same type as t.
func (t BinaryType) Equal(o Type) bool { return Equal(t, o) }

// Equal reports whether o is the same type as t.
func (t VariantType) Equal(o Type) bool { return Equal(t, o) }

// Equal reports whether o is the same type as t.
func (t ArrayType) Equal(o Type) bool { return Equal(t, o) }

// Equal reports whether o is the same type as t.
func (t MapType) Equal(o Type) bool { return Equal(t, o) }

// Equal reports whether o is the same type as t.
func (t StructType) Equal(o Type) bool { return Equal(t, o) }

// Equal reports whether o is the same type as t.
func (t VectorType) Equal(o Type) bool { return Equal(t, o) }

// Equal reports whether o is the same type as t.
func (t GeographyType) Equal(o Type) bool { return Equal(t, o) }
