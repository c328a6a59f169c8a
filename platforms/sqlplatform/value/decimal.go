package value

import (
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// Decimal is an exact decimal number in normal form: an optional "-", the
// integer digits without leading zeros ("0" when there are none), and,
// when the number has a fraction, "." and the fraction digits without
// trailing zeros. Zero is "0" (never "-0"). Two Decimals are equal (==)
// exactly when their numbers are equal, so 1.50 and 1.5 are one value: a
// decimal's scale is a property of its column, not of its values. The zero
// Decimal is the number 0.
type Decimal struct {
	s string // normal form; "" is 0
}

// maxDecimalExponent bounds the exponent ParseDecimal accepts, so that a
// short text like "1e999999999" cannot expand to a huge number. No column
// holds more than 76 digits; JSON numbers in variants use the same bound.
const maxDecimalExponent = 400

// ParseDecimal reads a decimal number: an optional sign, digits with an
// optional fraction ("12", "-0.50", ".5", "5."), and an optional exponent
// ("1.5e3"). It returns the number in normal form or an error saying why
// the text is not a decimal number. NaN and infinities are not decimals.
func ParseDecimal(text string) (Decimal, error) {
	s := text
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant = s[:i]
		e, err := strconv.Atoi(s[i+1:])
		if err != nil || s[i+1:] == "" || e > maxDecimalExponent || e < -maxDecimalExponent {
			return Decimal{}, fmt.Errorf("%q is not a decimal number: the exponent must be an integer between %d and %d", text, -maxDecimalExponent, maxDecimalExponent)
		}
		exp = e
	}
	intPart, frac := mant, ""
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		intPart, frac = mant[:i], mant[i+1:]
	}
	if intPart == "" && frac == "" || !allDigits(intPart) || !allDigits(frac) {
		return Decimal{}, fmt.Errorf("%q is not a decimal number: write digits with an optional sign, point and exponent, like -12.50 or 1.5e3", text)
	}
	return normalDecimal(neg, intPart+frac, exp-len(frac)), nil
}

// allDigits reports whether s holds only ASCII digits (true for "").
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// normalDecimal builds the normal form of ±digits × 10^exp.
func normalDecimal(neg bool, digits string, exp int) Decimal {
	digits = strings.TrimLeft(digits, "0")
	for len(digits) > 0 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
		exp++
	}
	if digits == "" {
		return Decimal{}
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	switch {
	case exp >= 0:
		b.WriteString(digits)
		b.WriteString(strings.Repeat("0", exp))
	case -exp >= len(digits):
		b.WriteString("0.")
		b.WriteString(strings.Repeat("0", -exp-len(digits)))
		b.WriteString(digits)
	default:
		cut := len(digits) + exp
		b.WriteString(digits[:cut])
		b.WriteByte('.')
		b.WriteString(digits[cut:])
	}
	return Decimal{s: b.String()}
}

// MustDecimal is ParseDecimal for constants known to be valid; it panics
// on an invalid text.
func MustDecimal(text string) Decimal {
	d, err := ParseDecimal(text)
	if err != nil {
		panic(err)
	}
	return d
}

// String returns the normal form.
func (d Decimal) String() string {
	if d.s == "" {
		return "0"
	}
	return d.s
}

// Digits returns the number of digits before the point (0 for numbers
// below 1 in magnitude) and after it: 123.45 has 3 and 2, 0.05 has 0 and 2.
func (d Decimal) Digits() (integer, fraction int) {
	s := strings.TrimPrefix(d.s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	if intPart == "0" || intPart == "" {
		intPart = ""
	}
	return len(intPart), len(frac)
}

// Unscaled returns the number times 10^scale as an integer, and an error
// when the number has more than scale fraction digits.
func (d Decimal) Unscaled(scale int) (*big.Int, error) {
	_, frac := d.Digits()
	if frac > scale {
		return nil, fmt.Errorf("%s has %d digits after the point, more than %d", d, frac, scale)
	}
	s := strings.Replace(d.String(), ".", "", 1) + strings.Repeat("0", scale-frac)
	i, ok := new(big.Int).SetString(s, 10)
	if !ok {
		return nil, errors.New("decimal " + d.String() + " is malformed")
	}
	return i, nil
}
