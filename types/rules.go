package types

// The rule IDs CheckReplace reports. They are stable: reports, waivers and
// SARIF output refer to them, so an ID is never renamed or reused.
const (
	RuleInvalid                     = "TYPE_INVALID"
	RuleFamilyChanged               = "TYPE_FAMILY_CHANGED"
	RuleNarrowed                    = "TYPE_NARROWED"
	RuleSignednessChanged           = "TYPE_SIGNEDNESS_CHANGED"
	RuleFloatNotRepresentable       = "TYPE_FLOAT_NOT_REPRESENTABLE"
	RuleMXFormatChanged             = "TYPE_MX_FORMAT_CHANGED"
	RuleUnicodeChanged              = "TYPE_UNICODE_CHANGED"
	RuleFixedLengthChanged          = "TYPE_FIXED_LENGTH_CHANGED"
	RuleCollationChanged            = "TYPE_COLLATION_CHANGED"
	RuleTimezoneChanged             = "TYPE_TIMEZONE_CHANGED"
	RuleSRIDChanged                 = "TYPE_SRID_CHANGED"
	RuleGeometryChanged             = "TYPE_GEOMETRY_CHANGED"
	RuleVectorDimensionsChanged     = "TYPE_VECTOR_DIMENSIONS_CHANGED"
	RuleStructFieldRemoved          = "TYPE_STRUCT_FIELD_REMOVED"
	RuleStructFieldRenamed          = "TYPE_STRUCT_FIELD_RENAMED"
	RuleStructFieldAddedNotNull     = "TYPE_STRUCT_FIELD_ADDED_NOT_NULL"
	RuleStructFieldNullabilityTight = "TYPE_STRUCT_FIELD_NULLABILITY_TIGHTENED"
)

// RuleInfo describes one rule CheckReplace can report.
type RuleInfo struct {
	ID      string
	Purpose string
}

var rules = []RuleInfo{
	{RuleInvalid, "A type is missing or not a valid type, so the replacement cannot be checked."},
	{RuleFamilyChanged, "The type changed to another family (say integer to varchar); only date to timestamp without a zone crosses families."},
	{RuleNarrowed, "A bound shrank: string or binary length, integer size, decimal scale or integer digits, array maximum length or vector dimensions, or an unbounded type became bounded."},
	{RuleSignednessChanged, "An integer changed signedness so that some old values no longer fit: signed to unsigned, or unsigned to a signed type that is not wider."},
	{RuleFloatNotRepresentable, "The new float format cannot represent every value of the old one (range, precision, subnormals, sign, zero, infinity or NaN)."},
	{RuleMXFormatChanged, "An MX block format changed; MX formats replace only themselves."},
	{RuleUnicodeChanged, "A unicode string (nvarchar, nchar) became a non-unicode one, which cannot hold every character."},
	{RuleFixedLengthChanged, "A variable-length string became fixed-length, so shorter values would be padded."},
	{RuleCollationChanged, "A string's collation changed (including to or from the default), which changes ordering and equality."},
	{RuleTimezoneChanged, "A timestamp's time zone changed, was added or was removed, which changes the instant values denote."},
	{RuleSRIDChanged, "A geography's spatial reference system changed."},
	{RuleGeometryChanged, "A geography's geometry kind became constrained or changed to another kind."},
	{RuleVectorDimensionsChanged, "A vector's dimension count grew; stored vectors have the old, exact dimension count."},
	{RuleStructFieldRemoved, "A struct field was removed (fields are matched by name)."},
	{RuleStructFieldRenamed, "A struct field's name changed only in letter case."},
	{RuleStructFieldAddedNotNull, "A not-null field was added to a struct; existing values have no value for it."},
	{RuleStructFieldNullabilityTight, "A struct field became not null; existing values may hold nulls."},
}

// Rules returns every rule ID CheckReplace can report, with a one-line
// purpose, in a fixed order.
func Rules() []RuleInfo { return append([]RuleInfo(nil), rules...) }
