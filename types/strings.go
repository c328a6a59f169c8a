package types

import "strconv"

// MaxLength is the largest length a string or binary type, or the largest
// maximum length an array type, may declare.
const MaxLength = 1<<31 - 1

// maxCollationLen bounds a collation name; real names (ICU locales,
// "Latin1_General_CI_AS", "en_US.utf8") are far shorter.
const maxCollationLen = 128

// StringType is a character string.
//
// Canonical syntax:
//
//	varchar            variable length, unbounded (aliases: string, text)
//	varchar(n)         variable length, at most n characters
//	char(n)            fixed length n, shorter values padded
//	nvarchar, nvarchar(n), nchar(n)   the same, holding unicode text
//
// Any of them may end in ` collate "name"`. Without the n prefix a string
// holds text in the store's default code page; with it, any unicode text. The
// zero value is an unbounded, non-unicode varchar without collation.
type StringType struct {
	length    int // 0 = unbounded; always > 0 when fixed
	fixed     bool
	unicode   bool
	collation string
}

// StringOptions are the parameters of a string type for NewString.
type StringOptions struct {
	// Length is the maximum length (varchar) or exact length (char) in
	// characters; 0 means unbounded and is only valid for varchar.
	Length int
	// Fixed selects char (padded to Length) instead of varchar.
	Fixed bool
	// Unicode selects nvarchar/nchar.
	Unicode bool
	// Collation names the collation; "" means the store's default.
	Collation string
}

// NewString returns the string type with the given options, or a *ParamError
// naming the invalid parameter.
func NewString(o StringOptions) (StringType, error) {
	name := stringName(o.Fixed, o.Unicode)
	if o.Length < 0 || o.Length > MaxLength {
		return StringType{}, paramErr(name, "length", strconv.Itoa(o.Length),
			"must be between 1 and "+strconv.Itoa(MaxLength))
	}
	if o.Length == 0 && o.Fixed {
		return StringType{}, paramErr(name, "length", "0", "a fixed-length string needs a length of at least 1")
	}
	if o.Collation != "" {
		if reason := checkCollation(o.Collation); reason != "" {
			return StringType{}, paramErr(name, "collation", strconv.Quote(o.Collation), reason)
		}
	}
	return StringType{length: o.Length, fixed: o.Fixed, unicode: o.Unicode, collation: o.Collation}, nil
}

// checkCollation returns why a collation name is invalid, or "". Names are
// 1 to 128 printable ASCII characters other than the double quote and the
// backslash, so they print inside double quotes without escapes.
func checkCollation(s string) string {
	if s == "" {
		return "must not be empty"
	}
	if len(s) > maxCollationLen {
		return "must be at most " + strconv.Itoa(maxCollationLen) + " characters"
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return "may only hold printable ASCII characters other than '\"' and '\\'"
		}
	}
	return ""
}

// stringName is the canonical type name for the four string kinds.
func stringName(fixed, unicode bool) string {
	switch {
	case fixed && unicode:
		return "nchar"
	case fixed:
		return "char"
	case unicode:
		return "nvarchar"
	}
	return "varchar"
}

// Family returns FamilyString.
func (StringType) Family() Family { return FamilyString }

// Length returns the declared length in characters, or 0 when unbounded.
func (t StringType) Length() int { return t.length }

// Bounded reports whether the type declares a length.
func (t StringType) Bounded() bool { return t.length > 0 }

// Fixed reports whether values are padded to exactly Length characters.
func (t StringType) Fixed() bool { return t.fixed }

// Unicode reports whether the type holds unicode text.
func (t StringType) Unicode() bool { return t.unicode }

// Collation returns the collation name, or "" for the store's default.
func (t StringType) Collation() string { return t.collation }

// Name returns the canonical type name without parameters: varchar, char,
// nvarchar or nchar.
func (t StringType) Name() string { return stringName(t.fixed, t.unicode) }
