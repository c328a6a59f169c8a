package dialect_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/datasurface/datasurface-go/internal/dbtest"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
)

// countRows yields n rows (i, "row i") and then, when fail is set, an
// error instead of the end.
type countRows struct {
	n, i int
	fail error
	vals []any
}

func (c *countRows) Next() bool {
	if c.i == c.n {
		return false
	}
	c.i++
	c.vals = []any{int64(c.i), fmt.Sprintf("row %d", c.i)}
	return true
}
func (c *countRows) Values() []any { return c.vals }
func (c *countRows) Err() error {
	if c.i == c.n {
		return c.fail
	}
	return nil
}

// TestBulkLoadChunks loads more rows than one statement takes, in full and
// partial chunks, and checks the count, the rows, and that the load is
// part of the transaction (rolled back, nothing stays).
func TestBulkLoadChunks(t *testing.T) {
	ctx := context.Background()
	dbtest.Each(t, func(t *testing.T, d dialect.Dialect, db *sql.DB, dsn string) {
		if _, err := db.ExecContext(ctx, "CREATE TABLE bulk (id "+d.BatchType()+", s varchar(20))"); err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{0, 1, 500, 1234} {
			tx, err := dialect.BeginTx(ctx, db, nil)
			if err != nil {
				t.Fatal(err)
			}
			got, err := d.BulkLoad(ctx, tx, "bulk", []string{"id", "s"}, &countRows{n: n})
			if err != nil || got != int64(n) {
				t.Fatalf("BulkLoad of %d rows = %d, %v", n, got, err)
			}
			var count, sum int64
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*), COALESCE(SUM(id), 0) FROM bulk").Scan(&count, &sum); err != nil {
				t.Fatal(err)
			}
			if count != int64(n) || sum != int64(n*(n+1)/2) {
				t.Fatalf("after loading %d rows the table has %d rows summing to %d", n, count, sum)
			}
			if err := tx.Rollback(); err != nil {
				t.Fatal(err)
			}
			if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM bulk").Scan(&count); err != nil || count != 0 {
				t.Fatalf("after rollback the table has %d rows, %v", count, err)
			}
		}
	})
}

// TestBulkLoadSourceError requires the row source's own error back, so the
// caller can say which row failed.
func TestBulkLoadSourceError(t *testing.T) {
	ctx := context.Background()
	dbtest.Each(t, func(t *testing.T, d dialect.Dialect, db *sql.DB, dsn string) {
		if _, err := db.ExecContext(ctx, "CREATE TABLE bulk (id "+d.BatchType()+", s varchar(20))"); err != nil {
			t.Fatal(err)
		}
		tx, err := dialect.BeginTx(ctx, db, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		boom := errors.New("row 3: column s: bad value")
		_, err = d.BulkLoad(ctx, tx, "bulk", []string{"id", "s"}, &countRows{n: 3, fail: boom})
		if !errors.Is(err, boom) && (err == nil || !strings.Contains(err.Error(), boom.Error())) {
			t.Fatalf("BulkLoad returned %v, want the row source's error", err)
		}
	})
}

// TestTxReleasesConnection checks that Commit and Rollback give the
// connection back: a pool of one connection serves a query afterwards.
func TestTxReleasesConnection(t *testing.T) {
	ctx := context.Background()
	dbtest.Each(t, func(t *testing.T, d dialect.Dialect, db *sql.DB, dsn string) {
		db.SetMaxOpenConns(1)
		for _, commit := range []bool{true, false} {
			tx, err := dialect.BeginTx(ctx, db, nil)
			if err != nil {
				t.Fatal(err)
			}
			if commit {
				err = tx.Commit()
			}
			if rerr := tx.Rollback(); !commit && rerr != nil {
				t.Fatal(rerr)
			}
			if err != nil {
				t.Fatal(err)
			}
			qctx, cancel := context.WithTimeout(ctx, 5e9)
			var one int
			err = db.QueryRowContext(qctx, "SELECT 1").Scan(&one)
			cancel()
			if err != nil {
				t.Fatalf("the pool's only connection was not given back: %v", err)
			}
		}
	})
}
