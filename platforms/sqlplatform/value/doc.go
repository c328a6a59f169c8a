// Package value defines the canonical Go value of every catalogue type (the
// form in which the sql platform holds, compares and hashes a column value,
// whatever database it came from), checks that a canonical value fits its
// type, and computes the key and row hashes of docs/SQL_TYPES.md.
//
// # Canonical values
//
// A dialect's Decode turns what its driver scans into the canonical value,
// and its Encode turns the canonical value into what its driver writes, so
// the same value read through two drivers is the same canonical value and
// hashes the same. nil is SQL NULL for every type. Per family:
//
//   - string (varchar, char, nvarchar, nchar): string, valid UTF-8 without
//     NUL; char(n) and nchar(n) without trailing spaces (the padding is not
//     part of the value, as in SQL comparison). Length counts characters.
//   - integer: int64, except ubigint: uint64.
//   - decimal(p,s): Decimal, an exact decimal number in normal form.
//   - float (float16 ... float256, bfloat16, the FP8/FP6/FP4 formats, e8m0):
//     float64 holding a value of the format exactly. Negative zero is kept;
//     every NaN is the same value (the payload is not kept). float128 and
//     float256 values are those a float64 holds (the types package's codecs
//     go through float64).
//   - mx block (mxfp8_e4m3 ... mxint8): types.MXBlock, the shared E8M0
//     scale code and 32 element codes.
//   - boolean: bool.
//   - date: Date, a proleptic Gregorian calendar day of years 1 to 9999.
//   - time: TimeOfDay, whole microseconds since midnight, below 24 hours.
//   - timestamp: time.Time in UTC with whole microseconds, years 1 to 9999.
//     Without a time zone it is the wall-clock reading written as if in UTC;
//     with a zone it is the instant (the zone says how to show it). A value
//     that carries a zone, read into a zone-less column, is read in UTC.
//   - interval: Interval, months, days and microseconds, each signed.
//   - binary: []byte (never nil for a non-NULL value).
//   - variant: JSON, JSON text in canonical form (CanonicalJSON).
//   - array: []any of canonical element values (nil elements are NULL).
//   - map: []MapEntry sorted by the hash encoding of their keys, keys
//     unique and not NULL.
//   - struct: []any, one canonical value per field in declaration order.
//   - vector(n, F): []float64 of exactly n values of format F.
//   - geography: Geography, ISO WKB in little-endian byte order.
//
// Check reports whether a canonical value fits a type; its error names the
// value and the limit it breaks.
//
// # Hashes
//
// KeyHash and RowHash are SHA-256 over an unambiguous encoding of a list of
// canonical values (Hasher): each value starts with a one-byte tag of its
// canonical kind (NULL has its own tag, so NULL differs from the empty
// string), variable-length payloads are length-prefixed (so column
// boundaries cannot shift), and the encoding depends on the value only, not
// on the declared type, so widening a column (smallint to bigint,
// varchar(40) to varchar(200), decimal(10,2) to decimal(12,2), float32 to
// float64) keeps every hash. docs/SQL_TYPES.md specifies the encoding byte
// by byte; the hashes of golden_test.go are pinned and must never change.
package value
