package dialect_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/datasurface/datasurface-go/internal/dbtest"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/value"
	"github.com/datasurface/datasurface-go/types"
)

// sourceCase is a source column declared as its owner would declare it, a
// value written as SQL text, and the canonical value of the model type the
// platform reads it as (or the words of the refusal).
type sourceCase struct {
	column, literal, model string
	want                   any
	err                    string
}

// TestDecodeSourceColumns reads values from columns declared natively (not
// by ColumnType) through the plain query the platform runs, decodes and
// checks them as the platform does, and requires the canonical value, or a
// refusal that names the value and the type.
func TestDecodeSourceColumns(t *testing.T) {
	point := binary.LittleEndian.AppendUint32([]byte{1}, 1)
	point = binary.LittleEndian.AppendUint64(point, math.Float64bits(1))
	point = binary.LittleEndian.AppendUint64(point, math.Float64bits(2))
	byDialect := map[string][]sourceCase{
		"sqlite": {
			{"integer", "42", "bigint", int64(42), ""},
			{"integer", "300", "tinyint", nil, "value 300 is outside tinyint (-128 to 127)"},
			{"real", "12.5", "decimal(5,2)", dec("12.5"), ""},
			{"text", "'12.50'", "decimal(5,2)", dec("12.5"), ""},
			{"real", "0.1", "float64", 0.1, ""},
			{"integer", "3", "float32", 3.0, ""},
			{"text", "'2024-01-02'", "date", day(2024, 1, 2), ""},
			{"date", "'2024-01-02'", "date", day(2024, 1, 2), ""},
			{"datetime", "'2024-01-02 03:04:05.5'", "timestamp", ts("2024-01-02 03:04:05.5"), ""},
			{"text", "'2024-01-02T03:04:05+01:00'", "timestamp(tz=Europe/Paris)", ts("2024-01-02 02:04:05Z"), ""},
			{"integer", "1", "boolean", true, ""},
			{"text", "'false'", "boolean", false, ""},
			{"text", `'{ "b": 1, "a": [1.0] }'`, "variant", canonJSON(`{"a":[1],"b":1}`), ""},
			{"text", "'[1, 2.5, -3]'", "vector(3)", []float64{1, 2.5, -3}, ""},
			{"blob", "x'0102'", "binary", []byte{1, 2}, ""},
			{"text", "'abc'", "integer", nil, `value "abc" cannot be read as integer`},
			{"text", "'2024-02-30'", "date", nil, `value "2024-02-30" cannot be read as date`},
			{"text", "'[1,2]'", "vector(3)", nil, "vector value has 2 values, but vector(3) has exactly 3"},
			{"real", "0.5", "boolean", nil, "value 0.5 cannot be read as boolean"},
		},
		"postgres": {
			{"numeric", "12.50", "decimal(5,2)", dec("12.5"), ""},
			{"numeric", "'NaN'", "decimal(5,2)", nil, `value "NaN" cannot be read as decimal(5,2)`},
			{"integer", "-7", "bigint", int64(-7), ""},
			{"real", "0.1", "float32", float64(float32(0.1)), ""},
			{"double precision", "'-Infinity'", "float64", math.Inf(-1), ""},
			{"character(5)", "'ab'", "char(5)", "ab", ""},
			{"text", "'日本'", "nvarchar", "日本", ""},
			{"timestamp with time zone", "'2024-01-02 03:04:05.000006+02'", "timestamp(tz=Europe/Paris)", ts("2024-01-02 01:04:05.000006Z"), ""},
			{"timestamp with time zone", "'2024-01-02 03:04:05+02'", "timestamp", ts("2024-01-02 01:04:05"), ""},
			{"timestamp without time zone", "'2024-01-02 03:04:05'", "timestamp(tz=UTC)", ts("2024-01-02 03:04:05Z"), ""},
			{"date", "'infinity'", "date", nil, `value "infinity" cannot be read as date`},
			{"time", "'13:45:00.25'", "time", tod("13:45:00.25"), ""},
			{"interval", "'1 year 2 mons -3 days 04:05:06.5'", "interval", value.Interval{Months: 14, Days: -3, Micros: 14706500000}, ""},
			{"json", `'{ "b": 1, "a": [1.0] }'`, "variant", canonJSON(`{"a":[1],"b":1}`), ""},
			{"boolean", "true", "boolean", true, ""},
			{"bytea", `'\x0102'`, "binary", []byte{1, 2}, ""},
			{"real[]", "'{1,NaN,-0}'", "vector(3)", []float64{1, math.NaN(), math.Copysign(0, -1)}, ""},
			{"text", "'" + fmt.Sprintf("%X", point) + "'", "geography(point)", value.Geography(point), ""},
			{"smallint", "5", "varchar", "5", ""},
			{"bytea", `'\xff'`, "varchar", nil, `value "\xff" is not valid UTF-8`},
			{"real", "0.1", "fp8_e4m3", nil, "is not exactly a value of fp8_e4m3"},
			{"integer[]", "'{1,2,NULL}'", "array(bigint)", []any{int64(1), int64(2), nil}, ""},
			{"text[]", `ARRAY['a,b', '{c}', NULL]`, "array(varchar)", []any{"a,b", "{c}", nil}, ""},
			{"numeric[]", "'{1.50,-2}'", "array(decimal(5,2))", []any{dec("1.5"), dec("-2")}, ""},
			{"timestamp with time zone[]", "ARRAY['2024-01-02 03:04:05.5+02'::timestamptz]", "array(timestamp(tz=UTC))", []any{ts("2024-01-02 01:04:05.5Z")}, ""},
			{"date[]", "'{2024-01-02}'", "array(date)", []any{day(2024, 1, 2)}, ""},
			{"boolean[]", "'{t,f}'", "array(boolean)", []any{true, false}, ""},
		},
		"mysql": {
			{"int(11)", "-7", "integer", int64(-7), ""},
			{"bigint unsigned", "18446744073709551615", "ubigint", uint64(math.MaxUint64), ""},
			{"tinyint(1)", "1", "boolean", true, ""},
			{"decimal(10,3)", "12.500", "decimal(10,2)", dec("12.5"), ""},
			{"double", "0.1", "float64", 0.1, ""},
			{"float", "0.1", "float32", float64(float32(0.1)), ""},
			{"float", "16777217", "float32", float64(16777216), ""},
			{"datetime(6)", "'2024-01-02 03:04:05.000006'", "timestamp", ts("2024-01-02 03:04:05.000006"), ""},
			{"datetime", "'2024-01-02 03:04:05'", "timestamp(tz=UTC)", ts("2024-01-02 03:04:05Z"), ""},
			{"date", "'2024-01-02'", "date", day(2024, 1, 2), ""},
			{"time", "'13:45:00'", "time", tod("13:45:00"), ""},
			{"time", "'-01:00:00'", "time", nil, `value "-01:00:00" cannot be read as time`},
			{"varchar(10) character set utf8mb4", "'日本'", "varchar(10)", "日本", ""},
			{"char(5)", "'ab'", "char(5)", "ab", ""},
			{"json", `'{ "b": 1, "a": [1.0] }'`, "variant", canonJSON(`{"a":[1],"b":1}`), ""},
			{"blob", "x'0102'", "binary", []byte{1, 2}, ""},
			{"geometry", "ST_GeomFromText('POINT(1 2)', 4326)", "geography(point)", value.Geography(point), ""},
			{"geometry", "ST_GeomFromText('POINT(1 2)', 3857)", "geography(point)", nil, "spatial reference is 3857, but the column's is 4326"},
		},
	}
	ctx := context.Background()
	dbtest.Each(t, func(t *testing.T, d dialect.Dialect, db *sql.DB, dsn string) {
		for i, c := range byDialect[d.Name()] {
			name := fmt.Sprintf("%s_as_%s", c.column, c.model)
			t.Run(name, func(t *testing.T) {
				table := fmt.Sprintf("src%d", i)
				if _, err := db.ExecContext(ctx, fmt.Sprintf("CREATE TABLE %s (v %s)", table, c.column)); err != nil {
					t.Fatal(err)
				}
				if _, err := db.ExecContext(ctx, fmt.Sprintf("INSERT INTO %s (v) VALUES (%s)", table, c.literal)); err != nil {
					t.Fatal(err)
				}
				typ := types.MustParse(c.model)
				// Read as the platform reads a source column.
				phys, err := d.TableColumns(ctx, db, table)
				if err != nil || len(phys) != 1 {
					t.Fatalf("the table's columns: %v %v", phys, err)
				}
				var raw any
				if err := db.QueryRowContext(ctx, "SELECT "+d.SelectColumn(phys[0], typ)+" FROM "+table).Scan(&raw); err != nil {
					t.Fatal(err)
				}
				got, err := d.Decode(typ, raw)
				if err == nil {
					// What the platform does next: a decoded value
					// that is not a value of the model type is refused.
					err = value.Check(typ, got)
				}
				if c.err != "" {
					if err == nil || !strings.Contains(err.Error(), c.err) {
						t.Fatalf("Decode(%s, %#v) = %s, %v; want an error with %q", c.model, raw, value.Show(got), err, c.err)
					}
					return
				}
				if err != nil {
					t.Fatalf("Decode(%s, %#v): %v", c.model, raw, err)
				}
				if !bytes.Equal(value.AppendValue(nil, got), value.AppendValue(nil, c.want)) {
					t.Errorf("Decode(%s, %#v) = %s, want %s", c.model, raw, value.Show(got), value.Show(c.want))
				}
			})
		}
	})
}
