package dialect

import (
	"strconv"
	"strings"
)

// pgType is a PostgreSQL column type broken into the parts CanHold
// compares: "numeric(12,2)" is base "numeric" with mods [12 2];
// "character varying(40) collate \"C\"" is base "character varying", mods
// [40] and collation "C"; "real[]" is base "real" with array set.
type pgType struct {
	base    string
	mods    []int
	array   bool
	collate string
}

// pgAliases maps the other spellings of a type to format_type's.
var pgAliases = map[string]string{
	"varchar":                 "character varying",
	"char":                    "character",
	"bpchar":                  "character",
	"int2":                    "smallint",
	"int":                     "integer",
	"int4":                    "integer",
	"int8":                    "bigint",
	"float4":                  "real",
	"float8":                  "double precision",
	"float":                   "double precision",
	"decimal":                 "numeric",
	"bool":                    "boolean",
	"timestamptz":             "timestamp with time zone",
	"timestamp":               "timestamp without time zone",
	"timetz":                  "time with time zone",
	"time":                    "time without time zone",
	"serial":                  "integer",
	"bigserial":               "bigint",
	"smallserial":             "smallint",
	"character varying":       "character varying",
	"timestamp with timezone": "timestamp with time zone",
}

// parsePGType reads a type as format_type prints it (or an alias).
func parsePGType(s string) pgType {
	var t pgType
	s = strings.TrimSpace(s)
	if i := strings.Index(strings.ToLower(s), " collate "); i >= 0 {
		t.collate = strings.Trim(strings.TrimSpace(s[i+len(" collate "):]), `"`)
		s = s[:i]
	}
	s = strings.ToLower(strings.TrimSpace(s))
	for strings.HasSuffix(s, "[]") {
		t.array = true
		s = strings.TrimSpace(strings.TrimSuffix(s, "[]"))
	}
	if i := strings.IndexByte(s, '('); i >= 0 {
		if j := strings.IndexByte(s[i:], ')'); j >= 0 {
			for _, m := range strings.Split(s[i+1:i+j], ",") {
				n, err := strconv.Atoi(strings.TrimSpace(m))
				if err != nil {
					n = -1
				}
				t.mods = append(t.mods, n)
			}
			s = strings.TrimSpace(s[:i] + s[i+j+1:])
		}
	}
	s = strings.Join(strings.Fields(s), " ")
	if a, ok := pgAliases[s]; ok {
		s = a
	}
	t.base = s
	return t
}

// mod returns the i-th modifier, or def when absent.
func (t pgType) mod(i, def int) int {
	if i < len(t.mods) && t.mods[i] >= 0 {
		return t.mods[i]
	}
	return def
}

// pgIntDigits is the number of decimal digits of the largest value of each
// integer type: numeric(p,0) holds the type when p reaches it.
var pgIntDigits = map[string]int{"smallint": 5, "integer": 10, "bigint": 19}

// pgContains reports whether a column of type a holds every value a column
// of type b holds, exactly.
func pgContains(a, b pgType) bool {
	if a.array != b.array {
		return false
	}
	if a.collate != b.collate {
		return false
	}
	strs := map[string]bool{"text": true, "character varying": true, "character": true}
	switch {
	case strs[a.base] && strs[b.base]:
		switch a.base {
		case "text":
			return true
		case "character varying":
			if len(a.mods) == 0 {
				return true
			}
			return b.base != "text" && len(b.mods) > 0 && b.mod(0, 1) <= a.mod(0, 0)
		default: // character: padding changes varchar values
			return b.base == "character" && b.mod(0, 1) <= a.mod(0, 1)
		}
	case pgIntDigits[a.base] > 0 && pgIntDigits[b.base] > 0:
		return pgIntDigits[a.base] >= pgIntDigits[b.base]
	case pgIntDigits[a.base] > 0 && b.base == "numeric":
		// numeric(p,0) with fewer digits than the integer's largest value.
		return len(b.mods) > 0 && b.mod(1, 0) == 0 && b.mod(0, 0) < pgIntDigits[a.base]
	case a.base == "numeric" && pgIntDigits[b.base] > 0:
		return len(a.mods) == 0 || a.mod(0, 0)-a.mod(1, 0) >= pgIntDigits[b.base]
	case a.base == "numeric" && b.base == "numeric":
		if len(a.mods) == 0 {
			return true
		}
		if len(b.mods) == 0 {
			return false
		}
		as, bs := a.mod(1, 0), b.mod(1, 0)
		return bs <= as && b.mod(0, 0)-bs <= a.mod(0, 0)-as
	case a.base == "double precision" && b.base == "real":
		return true
	case (a.base == "jsonb" || a.base == "json") && (b.base == "jsonb" || b.base == "json"):
		return true
	case a.base == b.base:
		switch a.base {
		case "time without time zone", "timestamp without time zone", "timestamp with time zone", "interval":
			// Fractional seconds: 6 digits when not given.
			return a.mod(0, 6) >= b.mod(0, 6)
		}
		return len(a.mods) == len(b.mods)
	}
	return false
}
