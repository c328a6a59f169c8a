package safetext

import "testing"

func TestLine(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain text", "plain text"},
		{"café ünïcode", "café ünïcode"},
		{"a\n::error::x", `a\n::error::x`},
		{"tab\there", `tab\there`},
		{"esc\x1b[31mred", `esc\x1b[31mred`},
		{"cr\rover", `cr\rover`},
		{"del\x7f", `del\x7f`},
		{"c1\u0085", `c1\x85`},
		{"bidi\u202eevil", `bidi\u202eevil`},
		{"zero\u200bwidth", `zero\u200bwidth`},
		{"bad\xffutf8", `bad\xffutf8`},
		{"line\u2028sep", `line\u2028sep`},
	} {
		if got := Line(tc.in); got != tc.want {
			t.Errorf("Line(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"two\nlines", "two\nlines"},
		{"two\r\nlines\x1b", "two\\r\nlines\\x1b"},
		{"tab\t", `tab\t`},
	} {
		if got := Text(tc.in); got != tc.want {
			t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
