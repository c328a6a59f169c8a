package types

import (
	"math"
	"strconv"
)

// floatGaps returns why format n cannot represent every value of format o,
// one phrase per reason, or nil when it can. Nothing here is a table of
// which format widens to which: the answer is computed from each format's
// exponent range, mantissa width and special values, so that
// FP4 E2M1 -> FP6 E2M3 -> FP8 E4M3 -> binary16 -> float32 comes out as a chain
// and E4M3 and E5M2 come out as incomparable, as docs/TYPES.md says.
//
// The finite positive values of a format lie in binades [2^e, 2^(e+1)). In
// binade e a format with M mantissa bits holds multiples of its quantum
// 2^(max(e, emin) - M): below emin the subnormal spacing stays fixed. A value
// of o in binade e is a multiple of o's quantum there, and n holds every such
// value exactly when n's quantum at e is no coarser. Both quantum exponents
// are piecewise linear in e with breakpoints at the two formats' emin, so
// checking the ends of o's binade range and the breakpoints checks every
// binade. Values beyond n's largest finite value fail the range test.
func floatGaps(o, n *FloatFormat) []string {
	if o == n {
		return nil
	}
	var gaps []string
	if o.signed && !n.signed {
		gaps = append(gaps, "it has no negative values")
	}
	if o.hasZero && !n.hasZero {
		gaps = append(gaps, "it has no zero")
	}
	// Negative zero is not checked: it equals +0 as a number, and the
	// formats without it (FNUZ) store it as +0.
	if o.inf && !n.inf {
		gaps = append(gaps, "it has no infinity")
	}
	if o.nan != nanNone && n.nan == nanNone {
		gaps = append(gaps, "it has no NaN")
	}
	if compareMax(o, n) > 0 {
		gaps = append(gaps, "its largest finite value "+maxText(n)+" is below "+maxText(o))
	}
	if w, ok := unrepresentable(o, n); ok {
		gaps = append(gaps, "it cannot hold "+w+" exactly")
	}
	return gaps
}

// compareMax compares the largest finite values of a and b. The largest value
// is 2^emax × (2 - 2^(deficit-M)); with equal emax the one whose
// 2^(deficit-M) is smaller is larger.
func compareMax(a, b *FloatFormat) int {
	switch {
	case a.emax != b.emax:
		return cmpInt(a.emax, b.emax)
	}
	return cmpInt(b.maxDeficit-b.manBits, a.maxDeficit-a.manBits)
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// lowBinade is the exponent of a format's smallest positive value.
func (f *FloatFormat) lowBinade() int {
	if f.subnormals {
		return f.emin - f.manBits
	}
	return f.emin
}

// quantum is the exponent of the spacing of f's values in binade e.
func (f *FloatFormat) quantum(e int) int {
	return max(e, f.emin) - f.manBits
}

// unrepresentable finds a finite value of o (up to o's and n's common range
// of binades) that n cannot hold exactly, and returns it as text.
func unrepresentable(o, n *FloatFormat) (string, bool) {
	lo, hi := o.lowBinade(), o.emax
	hi = min(hi, n.emax) // binades above n's range are the range test's concern
	// Binade 0 first, for a familiar witness such as 1.0000001; then the
	// ends and the breakpoints, which together cover every binade.
	for _, e := range []int{0, hi, o.emin, n.emin, lo} {
		if e < lo || e > hi {
			continue
		}
		if !n.subnormals && e < n.emin {
			return pow2Text(e, 0, false), true // n has no values in this binade at all
		}
		qa, qb := o.quantum(e), n.quantum(e)
		if qa < qb {
			// 2^e + 2^qa is a value of o in binade e (or 2^e itself when the
			// binade holds one value) and is not a multiple of n's quantum.
			return pow2Text(e, qa, qa < e), true
		}
	}
	return "", false
}

// pow2Text prints 2^e (+ 2^q when plus) exactly: in shortest decimal form
// when it is a float64, else as powers of two with a decimal approximation
// (exact decimal expansions of float256 magnitudes take seconds to compute).
func pow2Text(e, q int, plus bool) string {
	if e >= -1074 && e <= 1023 && (!plus || q >= -1074 && e-q <= 52) {
		v := math.Ldexp(1, e)
		if plus {
			v += math.Ldexp(1, q) // exact: both are float64s within 53 bits of each other
		}
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	s := pow2Term(e)
	if plus {
		s += " + " + pow2Term(q)
	}
	if e > 1023 || e < -1074 {
		s += " (about " + approxPow2(float64(e)) + ")"
	}
	return s
}

// pow2Term writes 2^e, or 1 for e = 0.
func pow2Term(e int) string {
	if e == 0 {
		return "1"
	}
	return "2^" + strconv.Itoa(e)
}

// maxText prints a format's largest finite value, 2^emax × (2 - 2^(deficit-M)).
func maxText(f *FloatFormat) string {
	if !math.IsInf(f.maxFinite, 0) {
		return strconv.FormatFloat(f.maxFinite, 'g', -1, 64)
	}
	hi, lo := f.emax+1, f.emax+f.maxDeficit-f.manBits
	return "2^" + strconv.Itoa(hi) + " - 2^" + strconv.Itoa(lo) + " (about " + approxPow2(float64(hi)) + ")"
}

// approxPow2 renders 2^e in scientific notation to five digits, for
// magnitudes beyond float64.
func approxPow2(e float64) string {
	l := e * math.Log10(2)
	ex := math.Floor(l)
	return strconv.FormatFloat(math.Pow(10, l-ex), 'f', 4, 64) + "e" + strconv.FormatFloat(ex, 'f', 0, 64)
}
