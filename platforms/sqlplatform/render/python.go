package render

import (
	"fmt"
	"strings"
)

// pyStr returns s as a Python string literal in double quotes that reads
// back as s whatever it holds: backslashes, quotes and every character
// outside printable ASCII are escaped, so that no name from the model can
// end the literal, start a comment or break a line.
func pyStr(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '\\' || r == '"':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// pyStrList returns a Python list of string literals on one line.
func pyStrList(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = pyStr(s)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// pyStrDict returns a Python dict of string literals on one line, in the
// order of keys.
func pyStrDict(keys []string, values map[string]string) string {
	items := make([]string, 0, len(keys))
	for _, k := range keys {
		items = append(items, pyStr(k)+": "+pyStr(values[k]))
	}
	return "{" + strings.Join(items, ", ") + "}"
}

// pyBool returns a Python boolean.
func pyBool(v bool) string {
	if v {
		return "True"
	}
	return "False"
}
