package types

import "strconv"

// BooleanType is true or false. Canonical syntax: boolean (alias: bool).
type BooleanType struct{}

// VariantType is a semi-structured value (JSON: objects, arrays, strings,
// numbers, booleans, null). Canonical syntax: variant (aliases: json, jsonb).
type VariantType struct{}

// The parameterless non-temporal scalar types.
var (
	Boolean = BooleanType{}
	Variant = VariantType{}
)

// Family returns FamilyBoolean.
func (BooleanType) Family() Family { return FamilyBoolean }

// Family returns FamilyVariant.
func (VariantType) Family() Family { return FamilyVariant }

// BinaryType is a byte string: binary (unbounded) or binary(n) (at most n
// bytes). Aliases: bytes, varbinary, blob, bytea, each with or without (n).
// The zero value is the unbounded binary.
type BinaryType struct {
	length int // 0 = unbounded
}

// Binary is the unbounded byte string.
var Binary = BinaryType{}

// NewBinary returns binary(length), or unbounded binary for length 0, or a
// *ParamError for a negative or too large length.
func NewBinary(length int) (BinaryType, error) {
	if length < 0 || length > MaxLength {
		return BinaryType{}, paramErr("binary", "length", strconv.Itoa(length),
			"must be between 1 and "+strconv.Itoa(MaxLength))
	}
	return BinaryType{length: length}, nil
}

// Family returns FamilyBinary.
func (BinaryType) Family() Family { return FamilyBinary }

// Length returns the maximum length in bytes, or 0 when unbounded.
func (t BinaryType) Length() int { return t.length }

// GeometryKind constrains the shape a geography value may have.
type GeometryKind uint8

// The geometry kinds of the OGC simple-features model. AnyGeometry (the zero
// value) leaves the shape unconstrained.
const (
	AnyGeometry GeometryKind = iota
	Point
	LineString
	Polygon
	MultiPoint
	MultiLineString
	MultiPolygon
	GeometryCollection
	geometryKindCount
)

var geometryNames = [geometryKindCount]string{
	AnyGeometry:        "",
	Point:              "point",
	LineString:         "linestring",
	Polygon:            "polygon",
	MultiPoint:         "multipoint",
	MultiLineString:    "multilinestring",
	MultiPolygon:       "multipolygon",
	GeometryCollection: "geometrycollection",
}

// String returns the kind's syntax ("point", ...), or "any" for AnyGeometry.
func (k GeometryKind) String() string {
	if k == AnyGeometry {
		return "any"
	}
	if k < geometryKindCount {
		return geometryNames[k]
	}
	return "geometry(" + strconv.Itoa(int(k)) + ")"
}

// geometryByName maps the syntax of a kind back to the kind.
func geometryByName(s string) (GeometryKind, bool) {
	for k := Point; k < geometryKindCount; k++ {
		if geometryNames[k] == s {
			return k, true
		}
	}
	return AnyGeometry, false
}

// DefaultSRID is the spatial reference of a plain geography: WGS 84.
const DefaultSRID = 4326

// maxSRID bounds spatial reference identifiers (EPSG and ESRI codes are
// below a million).
const maxSRID = 999999

// GeographyType is a shape on the earth in a spatial reference system,
// optionally constrained to one geometry kind.
//
// Canonical syntax: geography (WGS 84, SRID 4326, any shape),
// geography(srid=N) for another reference system, and
// geography(srid=N, kind) with kind one of point, linestring, polygon,
// multipoint, multilinestring, multipolygon, geometrycollection.
// geography(srid=4326) prints as geography, and geography(kind) means
// geography(srid=4326, kind). The zero value is SRID 0 (undefined), any shape.
type GeographyType struct {
	srid int32
	kind GeometryKind
}

// Geography is the WGS 84 geography with no shape constraint.
var Geography = GeographyType{srid: DefaultSRID}

// NewGeography returns the geography in the given spatial reference system
// (0 to 999999), constrained to kind, or a *ParamError.
func NewGeography(srid int, kind GeometryKind) (GeographyType, error) {
	if srid < 0 || srid > maxSRID {
		return GeographyType{}, paramErr("geography", "srid", strconv.Itoa(srid),
			"must be between 0 and "+strconv.Itoa(maxSRID))
	}
	if kind >= geometryKindCount {
		return GeographyType{}, paramErr("geography", "kind", strconv.Itoa(int(kind)), "is not a geometry kind")
	}
	return GeographyType{srid: int32(srid), kind: kind}, nil
}

// Family returns FamilyGeography.
func (GeographyType) Family() Family { return FamilyGeography }

// SRID returns the spatial reference identifier.
func (t GeographyType) SRID() int { return int(t.srid) }

// Kind returns the geometry constraint, AnyGeometry when unconstrained.
func (t GeographyType) Kind() GeometryKind { return t.kind }
