package types

import "strconv"

// Family groups the types that can replace one another by widening. A change
// of family (say integer to varchar) is always incompatible, with one
// exception: a date may become a timestamp without a time zone.
type Family int

// The families. FamilyUnknown is the zero value and is never the family of a
// valid type.
const (
	FamilyUnknown Family = iota
	FamilyString
	FamilyInteger
	FamilyDecimal
	FamilyFloat
	FamilyMX
	FamilyBoolean
	FamilyDate
	FamilyTime
	FamilyTimestamp
	FamilyInterval
	FamilyBinary
	FamilyVariant
	FamilyArray
	FamilyMap
	FamilyStruct
	FamilyVector
	FamilyGeography
	familyCount // not a family: the number of families
)

var familyNames = [familyCount]string{
	FamilyUnknown:   "unknown",
	FamilyString:    "string",
	FamilyInteger:   "integer",
	FamilyDecimal:   "decimal",
	FamilyFloat:     "float",
	FamilyMX:        "mx block",
	FamilyBoolean:   "boolean",
	FamilyDate:      "date",
	FamilyTime:      "time",
	FamilyTimestamp: "timestamp",
	FamilyInterval:  "interval",
	FamilyBinary:    "binary",
	FamilyVariant:   "variant",
	FamilyArray:     "array",
	FamilyMap:       "map",
	FamilyStruct:    "struct",
	FamilyVector:    "vector",
	FamilyGeography: "geography",
}

// String returns the family's lower-case name, such as "string" or "mx block".
// Values outside the defined set render as "family(N)".
func (f Family) String() string {
	if f >= 0 && f < familyCount {
		return familyNames[f]
	}
	return "family(" + strconv.Itoa(int(f)) + ")"
}

// Families lists every defined family except FamilyUnknown, in declaration order.
func Families() []Family {
	out := make([]Family, 0, familyCount-1)
	for f := FamilyString; f < familyCount; f++ {
		out = append(out, f)
	}
	return out
}
