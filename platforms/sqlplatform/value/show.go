package value

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"github.com/datasurface/datasurface-go/internal/safetext"
	"github.com/datasurface/datasurface-go/types"
)

// showMax is the number of characters of a value Show prints before
// cutting it with "...".
const showMax = 60

// Show renders a canonical value for an error message or a status line:
// strings quoted, long values cut, control and bidirectional characters
// escaped (safetext.Line), NULL as NULL.
func Show(v any) string {
	var s string
	switch v := v.(type) {
	case nil:
		return "NULL"
	case string:
		s = strconv.Quote(cut(v))
	case JSON:
		s = cut(string(v))
	case []byte:
		s = "0x" + hex.EncodeToString(v[:min(len(v), showMax/2)])
		if len(v) > showMax/2 {
			s += "..."
		}
	case Geography:
		s = fmt.Sprintf("%s of %d WKB bytes", v.Kind(), len(v))
	case time.Time:
		s = v.Format(TimestampLayout)
	case float64:
		s = strconv.FormatFloat(v, 'g', -1, 64)
	case types.MXBlock:
		s = fmt.Sprintf("block with scale code 0x%02x", v.Scale)
	case []any, []float64, []MapEntry:
		s = cut(fmt.Sprint(v))
	default:
		s = cut(fmt.Sprint(v))
	}
	return safetext.Line(s)
}

// cut shortens s to showMax characters, marking the cut.
func cut(s string) string {
	n := 0
	for i := range s {
		if n == showMax {
			return s[:i] + "..."
		}
		n++
	}
	return s
}
