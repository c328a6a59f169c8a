package dialect_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"github.com/datasurface/datasurface-go/internal/dbtest"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/value"
	"github.com/datasurface/datasurface-go/types"
)

// Outcomes of CanHold for a column of one model type asked about another.
const (
	holds   = "holds"   // hold: nothing to do
	widens  = "widens"  // no hold, but AlterColumnType widens it
	refuses = "refuses" // neither: the platform must stop
)

// TestWiden creates a column of the old type holding a value, asks CanHold
// about the new type (each widening the types package allows), widens with
// AlterColumnType where it says so, and requires the value to read back
// under the new type with the same hash: widening a model column changes
// no row hash. SQLite enforces no lengths, so its columns hold most wider
// types as they are, but it cannot alter a column's type.
func TestWiden(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		from, to string
		v        any
		want     map[string]string // by dialect
	}{
		{"varchar(40)", "varchar(200)", "forty", map[string]string{"sqlite": holds, "postgres": widens, "mysql": widens}},
		{"varchar(40)", "varchar", "forty", map[string]string{"sqlite": holds, "postgres": widens, "mysql": widens}},
		{"char(3)", "char(5)", "ab", map[string]string{"sqlite": holds, "postgres": widens, "mysql": widens}},
		{"smallint", "bigint", int64(-32768), map[string]string{"sqlite": holds, "postgres": widens, "mysql": widens}},
		{"tinyint", "integer", int64(-128), map[string]string{"sqlite": holds, "postgres": widens, "mysql": widens}},
		{"utinyint", "smallint", int64(255), map[string]string{"sqlite": holds, "postgres": holds, "mysql": widens}},
		{"uinteger", "ubigint", int64(4294967295), map[string]string{"sqlite": refuses, "postgres": widens, "mysql": widens}},
		{"decimal(10,2)", "decimal(12,2)", value.MustDecimal("-12345678.99"), map[string]string{"sqlite": holds, "postgres": widens, "mysql": widens}},
		{"decimal(10,2)", "decimal(12,4)", value.MustDecimal("0.5"), map[string]string{"sqlite": holds, "postgres": widens, "mysql": widens}},
		{"float32", "float64", float64(float32(0.1)), map[string]string{"sqlite": holds, "postgres": widens, "mysql": holds}},
		{"fp8_e4m3", "float16", 448.0, map[string]string{"sqlite": holds, "postgres": holds, "mysql": holds}},
		{"vector(2)", "vector(2, float64)", []float64{0.5, -1}, map[string]string{"sqlite": refuses, "postgres": widens, "mysql": refuses}},
		{"binary(4)", "binary(8)", []byte{1, 2, 3, 4}, map[string]string{"sqlite": holds, "postgres": holds, "mysql": widens}},
		{"timestamp", "timestamp", ts("2024-01-01 00:00:00.5"), map[string]string{"sqlite": holds, "postgres": holds, "mysql": holds}},
	}
	dbtest.Each(t, func(t *testing.T, d dialect.Dialect, db *sql.DB, dsn string) {
		for i, tt := range tests {
			t.Run(tt.from+"_to_"+tt.to, func(t *testing.T) {
				from, to := types.MustParse(tt.from), types.MustParse(tt.to)
				if len(types.CheckReplace(from, to)) != 0 {
					t.Fatalf("the types package does not let %s replace %s", tt.to, tt.from)
				}
				table := fmt.Sprintf("widen%d", i)
				ct, err := d.ColumnType(from)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := db.ExecContext(ctx, fmt.Sprintf("CREATE TABLE %s (v %s)", d.QuoteIdent(table), ct)); err != nil {
					t.Fatal(err)
				}
				enc, err := d.Encode(from, tt.v)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := db.ExecContext(ctx, fmt.Sprintf("INSERT INTO %s (v) VALUES (%s)", d.QuoteIdent(table), d.Placeholder(1)), enc); err != nil {
					t.Fatal(err)
				}
				phys := physType(t, d, db, table)
				hold, widen := d.CanHold(phys, to)
				got := refuses
				switch {
				case hold && !widen:
					got = holds
				case !hold && widen:
					got = widens
				case hold && widen:
					t.Fatalf("CanHold(%q, %s) says both hold and widen", phys, tt.to)
				}
				if got != tt.want[d.Name()] {
					t.Fatalf("CanHold(%q, %s) %s, want it %s", phys, tt.to, got, tt.want[d.Name()])
				}
				switch got {
				case refuses:
					return
				case widens:
					stmt, err := d.AlterColumnType(table, "v", to)
					if err != nil {
						t.Fatal(err)
					}
					if _, err := db.ExecContext(ctx, stmt); err != nil {
						t.Fatalf("%s: %v", stmt, err)
					}
					phys = physType(t, d, db, table)
					if hold, widen := d.CanHold(phys, to); !hold || widen {
						t.Fatalf("after %s, CanHold(%q, %s) = %v, %v", stmt, phys, tt.to, hold, widen)
					}
				}
				var raw any
				if err := db.QueryRowContext(ctx, "SELECT v FROM "+d.QuoteIdent(table)).Scan(&raw); err != nil {
					t.Fatal(err)
				}
				v, err := d.Decode(to, raw)
				if err != nil {
					t.Fatal(err)
				}
				if err := value.Check(to, v); err != nil {
					t.Errorf("read back under %s: %v", tt.to, err)
				}
				if value.RowHash([]types.Type{to}, []any{v}) != value.RowHash([]types.Type{from}, []any{tt.v}) {
					t.Errorf("the value %s hashes differently after widening (read %s)", value.Show(tt.v), value.Show(v))
				}
			})
		}
	})
}

func physType(t *testing.T, d dialect.Dialect, db *sql.DB, table string) string {
	t.Helper()
	cols, err := d.TableColumns(context.Background(), db, table)
	if err != nil || len(cols) != 1 {
		t.Fatalf("TableColumns(%s) = %v, %v", table, cols, err)
	}
	return cols[0].Type
}

// TestCanHoldTable pins CanHold on physical types written by hand (as a
// source's or an altered store's catalogue prints them).
func TestCanHoldTable(t *testing.T) {
	tests := []struct {
		dialect, physical, typ, want string
	}{
		{"postgres", "character varying(200)", "varchar(40)", holds},
		{"postgres", "text", "varchar(40)", holds},
		{"postgres", "character varying(10)", "char(10)", holds},
		{"postgres", "character(5)", "char(3)", holds},
		{"postgres", "character(3)", "varchar(3)", widens},
		{"postgres", "numeric(19,0)", "bigint", holds},
		{"postgres", "numeric(9,1)", "integer", refuses},
		{"postgres", "character varying(40)", "integer", refuses},
		{"postgres", "character varying(40)", "varchar", widens},
		{"postgres", `character varying(10) collate "C"`, "varchar(10)", refuses},
		{"postgres", `character varying(10) collate "C"`, `varchar(20) collate "C"`, widens},
		{"postgres", "bigint", "smallint", holds},
		{"postgres", "bigint", "ubigint", widens},
		{"postgres", "numeric", "ubigint", holds},
		{"postgres", "numeric(20,0)", "bigint", holds},
		{"postgres", "numeric(18,0)", "bigint", widens},
		{"postgres", "numeric(12,4)", "decimal(10,2)", holds},
		{"postgres", "numeric(12,2)", "decimal(10,4)", refuses},
		{"postgres", "double precision", "float16", holds},
		{"postgres", "real", "float64", widens},
		{"postgres", "json", "variant", holds},
		{"postgres", "jsonb", "array(integer)", holds},
		{"postgres", "timestamp without time zone", "timestamp(tz=UTC)", refuses},
		{"postgres", "timestamp(3) without time zone", "timestamp", widens},
		{"postgres", "double precision[]", "vector(3)", holds},
		{"postgres", "real", "vector(1)", refuses},
		{"postgres", "bytea", "binary(4)", holds},
		{"mysql", "varchar(200)", "varchar(40)", holds},
		{"mysql", "int(10) unsigned", "integer", refuses},
		{"mysql", "bigint(20)", "uinteger", holds},
		{"mysql", "int(11)", "integer", holds},
		{"mysql", "decimal(12,2)", "decimal(10,4)", refuses},
		{"mysql", "datetime", "timestamp", widens},
		{"mysql", "longtext", "variant", holds},
		{"mysql", "varbinary(8)", "vector(2)", holds},
		{"mysql", "varbinary(16)", "vector(2)", refuses},
		{"sqlite", "real", "float64", refuses},
		{"sqlite", "", "float64", holds},
		{"sqlite", "integer", "varchar", refuses},
		{"sqlite", "text", "integer", holds},
		{"sqlite", "integer", "boolean", holds},
		{"sqlite", "numeric", "decimal(10,2)", refuses},
		{"sqlite", "real", "ubigint", refuses},
		{"sqlite", "text", "float32", refuses},
		{"sqlite", "float32 vector blob(3)", "vector(3)", holds},
		{"sqlite", "float16 vector blob(3)", "vector(3)", refuses},
		{"sqlite", "blob", "vector(3)", holds},
	}
	for _, tt := range tests {
		d, err := dialect.ForEngine(tt.dialect)
		if err != nil {
			t.Fatal(err)
		}
		hold, widen := d.CanHold(tt.physical, types.MustParse(tt.typ))
		got := refuses
		if hold {
			got = holds
		} else if widen {
			got = widens
		}
		if got != tt.want {
			t.Errorf("%s: CanHold(%q, %s) %s, want it %s", tt.dialect, tt.physical, tt.typ, got, tt.want)
		}
	}
}
