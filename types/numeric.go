package types

import "strconv"

// IntegerType is a two's complement (signed) or unsigned binary integer of
// 8, 16, 32 or 64 bits.
//
// Canonical syntax, signed: tinyint (8 bits), smallint (16), integer (32),
// bigint (64); unsigned: utinyint, usmallint, uinteger, ubigint. Aliases:
// int8, int16, int32, int64, uint8, uint16, uint32, uint64, int. Note that
// int8 means 8 bits here (as in Go and Arrow), not PostgreSQL's 8-byte int8.
// The zero value is integer (signed, 32 bits).
type IntegerType struct {
	size     intSize
	unsigned bool
}

// intSize encodes the width so that the zero value is the 32-bit integer.
type intSize uint8

const (
	size32 intSize = iota
	size8
	size16
	size64
)

var intBits = [...]int{size32: 32, size8: 8, size16: 16, size64: 64}

// The eight integer types.
var (
	Int8   = IntegerType{size: size8}
	Int16  = IntegerType{size: size16}
	Int32  = IntegerType{size: size32}
	Int64  = IntegerType{size: size64}
	Uint8  = IntegerType{size: size8, unsigned: true}
	Uint16 = IntegerType{size: size16, unsigned: true}
	Uint32 = IntegerType{size: size32, unsigned: true}
	Uint64 = IntegerType{size: size64, unsigned: true}
)

// NewInteger returns the integer type of the given width (8, 16, 32 or 64)
// and signedness, or a *ParamError for any other width.
func NewInteger(bits int, unsigned bool) (IntegerType, error) {
	var s intSize
	switch bits {
	case 8:
		s = size8
	case 16:
		s = size16
	case 32:
		s = size32
	case 64:
		s = size64
	default:
		return IntegerType{}, paramErr("integer", "bits", strconv.Itoa(bits), "must be 8, 16, 32 or 64")
	}
	return IntegerType{size: s, unsigned: unsigned}, nil
}

// Family returns FamilyInteger.
func (IntegerType) Family() Family { return FamilyInteger }

// Bits returns the width: 8, 16, 32 or 64.
func (t IntegerType) Bits() int {
	if int(t.size) < len(intBits) {
		return intBits[t.size]
	}
	return 32
}

// Unsigned reports whether the type holds only non-negative values.
func (t IntegerType) Unsigned() bool { return t.unsigned }

// MaxDecimalPrecision is the largest decimal precision (as in 256-bit decimals).
const MaxDecimalPrecision = 76

// DecimalType is an exact decimal number with Precision significant digits,
// Scale of them after the decimal point: decimal(p,s) with 1 <= p <= 76 and
// 0 <= s <= p. Aliases: numeric(p,s); decimal(p) means decimal(p,0). The zero
// value prints as decimal(0,0) and is not a valid type; use NewDecimal.
type DecimalType struct {
	precision, scale uint8
}

// NewDecimal returns decimal(precision, scale), or a *ParamError naming the
// invalid parameter.
func NewDecimal(precision, scale int) (DecimalType, error) {
	if precision < 1 || precision > MaxDecimalPrecision {
		return DecimalType{}, paramErr("decimal", "precision", strconv.Itoa(precision),
			"must be between 1 and "+strconv.Itoa(MaxDecimalPrecision))
	}
	if scale < 0 {
		return DecimalType{}, paramErr("decimal", "scale", strconv.Itoa(scale), "must not be negative")
	}
	if scale > precision {
		return DecimalType{}, paramErr("decimal", "scale", strconv.Itoa(scale),
			"must not exceed the precision "+strconv.Itoa(precision))
	}
	return DecimalType{precision: uint8(precision), scale: uint8(scale)}, nil
}

// Family returns FamilyDecimal.
func (DecimalType) Family() Family { return FamilyDecimal }

// Precision returns the number of significant decimal digits.
func (t DecimalType) Precision() int { return int(t.precision) }

// Scale returns the number of digits after the decimal point.
func (t DecimalType) Scale() int { return int(t.scale) }

// IntegerDigits returns the digits before the decimal point, Precision-Scale.
func (t DecimalType) IntegerDigits() int { return int(t.precision) - int(t.scale) }

// FloatType is a binary floating-point number in one of the formats of
// FloatFormats: float16, bfloat16, float32, float64, float128, float256 and the
// low-precision ML formats (fp8_e4m3, fp8_e5m2, their fnuz variants, fp6_e2m3,
// fp6_e3m2, fp4_e2m1, e8m0). Its canonical syntax is the format's name. The
// zero value is float64.
type FloatType struct {
	id floatID
}

// Family returns FamilyFloat.
func (FloatType) Family() Family { return FamilyFloat }

// Format returns the type's float format, with its codec.
func (t FloatType) Format() *FloatFormat { return formatByID(t.id) }

// MXType is an OCP microscaling block format: 32 elements sharing one E8M0
// scale. Its canonical syntax is the format's name (mxfp8_e4m3, mxfp8_e5m2,
// mxfp6_e2m3, mxfp6_e3m2, mxfp4_e2m1, mxint8). The zero value is mxfp8_e4m3.
type MXType struct {
	id mxID
}

// Family returns FamilyMX.
func (MXType) Family() Family { return FamilyMX }

// Format returns the type's block format, with its codec.
func (t MXType) Format() *MXFormat { return mxByID(t.id) }
