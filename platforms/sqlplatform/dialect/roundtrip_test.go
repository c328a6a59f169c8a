package dialect_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"

	"github.com/datasurface/datasurface-go/internal/dbtest"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/value"
	"github.com/datasurface/datasurface-go/types"
)

// sliceRows is a RowSource over rows in memory.
type sliceRows struct {
	rows [][]any
	i    int
}

func (s *sliceRows) Next() bool {
	s.i++
	return s.i <= len(s.rows)
}
func (s *sliceRows) Values() []any { return s.rows[s.i-1] }
func (s *sliceRows) Err() error    { return nil }

// readHashes records, per dialect, the hash of every value read back, so
// that TestRoundTrip can compare the drivers with each other.
var readHashes sync.Map // "dialect|type|encoding of the value written" -> [32]byte

// TestRoundTrip writes edge values of every catalogue type through Encode,
// by BulkLoad (COPY on PostgreSQL) and by plain INSERT, into a column of
// ColumnType, reads them back through Decode and requires the canonical
// value, hence the hash, to be what was written. It also requires that
// TableColumns reports a type CanHold accepts, and that the three drivers
// read the same hashes.
func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	dbtest.Each(t, func(t *testing.T, d dialect.Dialect, db *sql.DB, dsn string) {
		for i, c := range cases() {
			t.Run(c.typ, func(t *testing.T) {
				typ := types.MustParse(c.typ)
				ct, err := d.ColumnType(typ)
				if c.refused[d.Name()] {
					if err == nil {
						t.Fatalf("ColumnType(%s) = %q, want an error", c.typ, ct)
					}
					return
				}
				if err != nil {
					t.Fatalf("ColumnType(%s): %v", c.typ, err)
				}
				var vals []any
				for _, v := range c.vals {
					if d.Name() == "mysql" && mysqlRefuses(v) {
						if _, err := d.Encode(typ, v); err == nil {
							t.Errorf("MySQL Encode(%v) succeeded, but MySQL cannot hold it", v)
						}
						continue
					}
					if err := value.Check(typ, v); err != nil {
						t.Fatalf("test value %s is not a value of %s: %v", value.Show(v), c.typ, err)
					}
					vals = append(vals, v)
				}
				vals = append(vals, nil)
				bulk, ins := fmt.Sprintf("rt%d_bulk", i), fmt.Sprintf("rt%d_insert", i)
				for _, table := range []string{bulk, ins} {
					create := fmt.Sprintf("CREATE TABLE %s (id %s, v %s)", d.QuoteIdent(table), d.BatchType(), ct)
					if _, err := db.ExecContext(ctx, create); err != nil {
						t.Fatalf("%s: %v", create, err)
					}
				}
				phys, err := d.TableColumns(ctx, db, bulk)
				if err != nil || len(phys) != 2 {
					t.Fatalf("TableColumns = %v, %v", phys, err)
				}
				if hold, widen := d.CanHold(phys[1].Type, typ); !hold || widen {
					t.Errorf("CanHold(%q, %s) = %v, %v; want true, false", phys[1].Type, c.typ, hold, widen)
				}
				if d.Name() != "mysql" && phys[1].Type != ct {
					t.Errorf("TableColumns reads the type back as %q, ColumnType declared %q", phys[1].Type, ct)
				}

				rows := make([][]any, len(vals))
				for j, v := range vals {
					enc, err := d.Encode(typ, v)
					if err != nil {
						t.Fatalf("Encode(%s): %v", value.Show(v), err)
					}
					rows[j] = []any{int64(j), enc}
				}
				tx, err := dialect.BeginTx(ctx, db, nil)
				if err != nil {
					t.Fatal(err)
				}
				n, err := d.BulkLoad(ctx, tx, bulk, []string{"id", "v"}, &sliceRows{rows: rows})
				if err != nil || n != int64(len(rows)) {
					tx.Rollback()
					t.Fatalf("BulkLoad = %d, %v; want %d rows", n, err, len(rows))
				}
				if err := tx.Commit(); err != nil {
					t.Fatal(err)
				}
				insert := fmt.Sprintf("INSERT INTO %s (id, v) VALUES (%s, %s)", d.QuoteIdent(ins), d.Placeholder(1), d.Placeholder(2))
				for _, r := range rows {
					if _, err := db.ExecContext(ctx, insert, r...); err != nil {
						t.Fatalf("INSERT %s: %v", value.Show(vals[r[0].(int64)]), err)
					}
				}

				for _, table := range []string{bulk, ins} {
					queries := []string{fmt.Sprintf("SELECT id, v FROM %s ORDER BY id", d.QuoteIdent(table))}
					if d.Name() == "mysql" {
						// With an argument the driver uses the binary
						// protocol, which hands numbers over as numbers.
						queries = append(queries, fmt.Sprintf("SELECT id, v FROM %s WHERE id >= ? ORDER BY id", d.QuoteIdent(table)))
					}
					for qi, q := range queries {
						var args []any
						if qi == 1 {
							args = []any{0}
						}
						got := readBack(t, db, d, typ, q, args)
						if len(got) != len(vals) {
							t.Fatalf("%s: read %d rows, wrote %d", table, len(got), len(vals))
						}
						for j, v := range vals {
							want, have := value.AppendValue(nil, v), value.AppendValue(nil, got[j])
							if !bytes.Equal(want, have) {
								t.Errorf("%s (%s): wrote %s, read back %s", table, q, value.Show(v), value.Show(got[j]))
								continue
							}
							if err := value.Check(typ, got[j]); err != nil {
								t.Errorf("%s: the value read back fails Check: %v", table, err)
							}
						}
						for j, v := range got {
							h := value.RowHash([]types.Type{typ}, []any{v})
							readHashes.Store(fmt.Sprintf("%s|%s|%x", d.Name(), c.typ, value.AppendValue(nil, vals[j])), h)
						}
					}
				}
			})
		}
	})
	// The same value read through the three drivers hashes the same.
	compared := 0
	readHashes.Range(func(k, v any) bool {
		key := k.(string)
		var name, rest string
		for i := range key {
			if key[i] == '|' {
				name, rest = key[:i], key[i:]
				break
			}
		}
		if name == "sqlite" {
			return true
		}
		if other, ok := readHashes.Load("sqlite" + rest); ok {
			compared++
			if other != v {
				t.Errorf("%s reads %s with another hash than sqlite", name, rest)
			}
		}
		return true
	})
	t.Logf("compared %d hashes across drivers", compared)
}

// readBack runs q and decodes column v of every row.
func readBack(t *testing.T, db *sql.DB, d dialect.Dialect, typ types.Type, q string, args []any) []any {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []any
	for rows.Next() {
		var id int64
		var raw any
		if err := rows.Scan(&id, &raw); err != nil {
			t.Fatal(err)
		}
		v, err := d.Decode(typ, raw)
		if err != nil {
			t.Errorf("row %d: Decode: %v", id, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
