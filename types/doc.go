// Package types is the data type catalogue of DataSurface: every type a
// dataset column may have, its one canonical text form, exact value codecs
// for the binary floating-point formats (down to the 4-bit ML formats and
// the MX block formats), and the rules for when one type may replace another.
//
// # Types
//
// A Type is an immutable, comparable value: == and Equal agree with equality
// of the canonical strings, types work as map keys, and go-cmp compares them
// through their Equal methods. The concrete types are StringType,
// IntegerType, DecimalType, FloatType, MXType, BooleanType, DateType,
// TimeType, TimestampType, IntervalType, BinaryType, VariantType, ArrayType,
// MapType, StructType, VectorType and GeographyType; each belongs to one
// Family. Types are made by Parse, by the New* constructors (which return a
// *ParamError naming a bad parameter) or taken from the package variables
// (Int32, Boolean, Date, Binary32.Type(), ...).
//
// # Syntax
//
// Parse reads the canonical syntax and common aliases, case-insensitively:
//
//	varchar(20)  nvarchar  char(3) collate "C"  integer  ubigint
//	decimal(12,2)  float32  bfloat16  fp8_e4m3  mxfp4_e2m1  boolean  date
//	time  timestamp  timestamp(tz=Europe/Paris)  timestamp(tz=+05:30)
//	interval  binary(16)  variant  array(integer, 10)  map(varchar, float64)
//	struct(a integer, b varchar(5) not null)  vector(768)
//	geography(srid=4326, point)
//
// String prints the canonical form, and Parse(t.String()) == t for every
// valid t. Errors are a *SyntaxError (offset, what was expected) or a
// *ParamError (type, parameter, value, reason); Parse never panics. Names
// lists every accepted name with its syntax; docs/TYPES.md is the guide for
// model authors.
//
// # Float codecs
//
// Each FloatFormat encodes a float64 to its bits and decodes bits to float64.
// Encoding rounds once, directly from float64, to nearest with ties to even,
// and applies the format's own infinity, NaN, negative-zero and saturation
// rules; the Status says whether the result is exact, rounded, overflowed,
// underflowed or invalid. Decoding is exact for every format up to 64 bits.
// float128 and float256 use EncodeWords and DecodeWords. Each MXFormat
// encodes a block of BlockSize (32) values to one shared E8M0 scale and 32
// elements following the OCP MX v1.0 scale choice, and decodes it back.
//
// # Compatibility
//
// CheckReplace(old, new) returns nil when new may replace old as a column's
// type, and otherwise one Change per reason with a stable rule ID (Rules
// lists them). New may replace old when every value of old is a value of
// new and every struct field of old still exists: widening is compatible,
// narrowing, family changes, lossy signedness changes, collation, time zone,
// spatial reference and geometry changes are not. A float format replaces
// another only when it represents every value of it, computed from the two
// formats' parameters. The check is directional and never symmetric by
// accident.
package types
