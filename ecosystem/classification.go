package ecosystem

import (
	"strings"
	"unicode"
)

// ClassificationKey is the form under which classifications are compared:
// trimmed, lower-case, with the non-ASCII letters that look like ASCII ones
// (Cyrillic "а", Greek "ο", fullwidth "Ｍ") mapped to them and inner runs of
// blanks made one '_'. A policy that denies "mnpi" must also deny "MNPI",
// "mnpi " and "mnрi" (with a Cyrillic "р"): a classification is a security
// label, and one that merely looks different must not slip past a policy.
func ClassificationKey(label string) string {
	label = strings.TrimSpace(label)
	var b strings.Builder
	b.Grow(len(label))
	blank := false
	for _, r := range label {
		if unicode.IsSpace(r) {
			blank = true
			continue
		}
		if blank {
			b.WriteByte('_')
			blank = false
		}
		if r >= 0xFF01 && r <= 0xFF5E { // fullwidth ASCII forms
			r -= 0xFEE0
		}
		if a, ok := lookAlikes[r]; ok {
			r = a
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// CanonicalClassification reports whether label is written in the canonical
// form: its own key, in ASCII.
func CanonicalClassification(label string) bool {
	for i := 0; i < len(label); i++ {
		if label[i] >= 0x80 {
			return false
		}
	}
	return ClassificationKey(label) == label
}

// lookAlikes maps letters of other scripts to the ASCII letters they are
// drawn like in common fonts (the Latin-lookalike subset of Unicode's
// confusables, for Cyrillic and Greek).
var lookAlikes = map[rune]rune{
	// Cyrillic
	'а': 'a', 'в': 'b', 'е': 'e', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'с': 'c', 'т': 't',
	'у': 'y', 'х': 'x', 'ѕ': 's', 'і': 'i', 'ј': 'j', 'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w', 'һ': 'h', 'ӏ': 'l',
	'А': 'a', 'В': 'b', 'Е': 'e', 'К': 'k', 'М': 'm', 'Н': 'h', 'О': 'o', 'Р': 'p', 'С': 'c', 'Т': 't',
	'У': 'y', 'Х': 'x', 'Ѕ': 's', 'І': 'i', 'Ј': 'j',
	// Greek
	'α': 'a', 'ο': 'o', 'ρ': 'p', 'ν': 'v', 'ι': 'i', 'κ': 'k', 'τ': 't', 'υ': 'u', 'χ': 'x',
	'Α': 'a', 'Β': 'b', 'Ε': 'e', 'Ζ': 'z', 'Η': 'h', 'Ι': 'i', 'Κ': 'k', 'Μ': 'm', 'Ν': 'n', 'Ο': 'o',
	'Ρ': 'p', 'Τ': 't', 'Υ': 'y', 'Χ': 'x',
}
