package ecosystem

import "testing"

func TestClassificationKey(t *testing.T) {
	for in, want := range map[string]string{
		"mnpi":       "mnpi",
		"MNPI":       "mnpi",
		"mnpi ":      " mnpi"[1:],
		" Mnpi\t":    "mnpi",
		"mn\u0440i":  "mnpi", // Cyrillic er
		"\u041cNPI":  "mnpi", // Cyrillic capital em
		"ＭＮＰＩ":       "mnpi", // fullwidth
		"pc 1":       "pc_1",
		"pc  \t 1":   "pc_1",
		"public":     "public",
		"confidenti": "confidenti",
	} {
		if got := ClassificationKey(in); got != want {
			t.Errorf("ClassificationKey(%q) = %q, want %q", in, got, want)
		}
	}
	for label, canonical := range map[string]bool{"mnpi": true, "pc1": true, "MNPI": false, "mnpi ": false, "mn\u0440i": false, "pc_1": true} {
		if got := CanonicalClassification(label); got != canonical {
			t.Errorf("CanonicalClassification(%q) = %v, want %v", label, got, canonical)
		}
	}
}
