package dbtest

import (
	"database/sql"
	"testing"

	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
)

// TestIsolated proves that each call gives an empty database of its own:
// a table made in one is not visible in the other, and the DSN returned
// opens the same database as the pool.
func TestIsolated(t *testing.T) {
	for _, e := range []struct {
		name string
		open func(testing.TB) (*sql.DB, string)
	}{{"sqlite", SQLite}, {"postgres", Postgres}, {"mysql", MySQL}} {
		t.Run(e.name, func(t *testing.T) {
			a, dsnA := e.open(t)
			b, _ := e.open(t)
			if _, err := a.Exec("CREATE TABLE only_here (x integer)"); err != nil {
				t.Fatal(err)
			}
			if _, err := a.Exec("INSERT INTO only_here VALUES (7)"); err != nil {
				t.Fatal(err)
			}
			if _, err := b.Exec("SELECT x FROM only_here"); err == nil {
				t.Fatal("a table made in one test database is visible in another")
			}
			again, _, err := dialect.Open(e.name, dsnA)
			if err != nil {
				t.Fatal(err)
			}
			defer again.Close()
			var x int
			if err := again.QueryRow("SELECT x FROM only_here").Scan(&x); err != nil || x != 7 {
				t.Fatalf("the DSN does not open the same database: x=%d, %v", x, err)
			}
		})
	}
}

// TestEachNamesSubtests checks that Each runs one subtest per engine with
// the dialect of that engine.
func TestEachNamesSubtests(t *testing.T) {
	var seen []string
	Each(t, func(t *testing.T, d dialect.Dialect, db *sql.DB, dsn string) {
		seen = append(seen, d.Name())
		if err := db.Ping(); err != nil {
			t.Fatal(err)
		}
	})
	if len(seen) == 0 || seen[0] != "sqlite" {
		t.Fatalf("Each ran %v; sqlite must always run first", seen)
	}
}
