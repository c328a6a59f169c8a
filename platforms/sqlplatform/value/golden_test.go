package value

import (
	"encoding/hex"
	"math"
	"testing"
	"time"

	"github.com/datasurface/datasurface-go/types"
)

// TestGoldenHashes pins hashes that merge tables store: they must never
// change, or every row of every existing table would look updated. The
// expected values were computed by a separate implementation (a few lines
// of Python's hashlib and struct) of the specification in
// docs/SQL_TYPES.md, not by this package; a change here is a breaking
// change of every store.
func TestGoldenHashes(t *testing.T) {
	tests := []struct {
		name string
		vals []any
		want string
	}{
		{"empty row", []any{}, "af5570f5a1810b7af78caf4bc70a660f0df51e42baf91d4de5b2328de0e83dfc"},
		{"one NULL", []any{nil}, "e64cf59bfbcf3c5743ccd9eda3a811a7966689717a8499e5b1ef0cb1f33bf4b6"},
		{"empty string", []any{""}, "d54727efbf1beaa66f41fc5fc89f65b854ed94f7dfe3b09882b124aebd0f2e38"},
		{"key", []any{int64(42), "abc"}, "9658669f9ef4585c2c59d1eab366c7daa8b0505e91a8835c9e6bc007bb550ecd"},
		{"every scalar kind", []any{
			true, int64(-7), uint64(math.MaxUint64), MustDecimal("-12.50"), 0.1, "日本", []byte{0, 1},
			Date{2024, 2, 29}, TimeOfDay(13*time.Hour + 500*time.Microsecond),
			time.Date(2024, 1, 2, 3, 4, 5, 6000, time.UTC), Interval{1, -2, 3},
			JSON(`{"a":[1,null]}`), types.MXBlock{Scale: 127}, Geography{1, 1, 0, 0, 0},
		}, "1e0f1d1b87d3bba001c71dece13a6d40122958380cce17dbbd1e068f5d88a5cf"},
		{"composites", []any{[]any{nil, "x"}, []float64{math.NaN(), math.Copysign(0, -1)}, []MapEntry{{"k", int64(1)}}}, "63b5d220ff1357d04f59a00de46070802336ee7d02d1b049ea3a9e61dbcefbde"},
	}
	for _, tt := range tests {
		got := RowHash(make([]types.Type, len(tt.vals)), tt.vals)
		if hex.EncodeToString(got[:]) != tt.want {
			t.Errorf("%s: hash %x, pinned %s", tt.name, got, tt.want)
		}
	}
}
