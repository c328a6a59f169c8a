// Package dbtest gives each test its own empty database of each engine the
// sql platform supports: an SQLite file in the test's temporary directory
// always, a fresh PostgreSQL schema when DSL_TEST_POSTGRES is set and a
// fresh MariaDB/MySQL database when DSL_TEST_MYSQL is set. The schema or
// database has a random name and is dropped when the test ends, so tests
// never see each other's tables and may run in parallel.
//
// DSL_TEST_POSTGRES is a pgx URL of a database the test may create schemas
// in, such as postgres://postgres@127.0.0.1:5432/test?sslmode=disable;
// DSL_TEST_MYSQL a go-sql-driver address of a server the test may create
// databases on, such as root@tcp(127.0.0.1:3306)/test. When a variable is
// unset, the engine's tests are skipped saying so; when it is set but the
// server does not answer, they fail.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
)

// The environment variables naming the test servers.
const (
	EnvPostgres = "DSL_TEST_POSTGRES"
	EnvMySQL    = "DSL_TEST_MYSQL"
)

// cleanupTimeout bounds dropping a test's schema or database.
const cleanupTimeout = 30 * time.Second

// SQLite returns a new SQLite database in a file of t's temporary
// directory and its DSN (the file path, as dialect.Open("sqlite", dsn)
// takes it). The database is closed when the test ends.
func SQLite(t testing.TB) (*sql.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	db, _, err := dialect.Open("sqlite", path)
	if err != nil {
		t.Fatalf("dbtest: opening SQLite database %s: %v", path, err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

// Postgres returns a connection pool whose search_path is a new, empty
// schema, and the DSN that opens more such connections (the
// DSL_TEST_POSTGRES URL with search_path set). It skips the test when
// DSL_TEST_POSTGRES is unset. The schema and everything in it are dropped
// when the test ends.
func Postgres(t testing.TB) (*sql.DB, string) {
	t.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		t.Skip(EnvPostgres + " not set: set it to a PostgreSQL URL, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable, to run the PostgreSQL tests")
	}
	admin, _, err := dialect.Open("postgres", base)
	if err != nil {
		t.Fatalf("dbtest: %s is set but: %v", EnvPostgres, err)
	}
	schema := "dsl_test_" + randomName()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		t.Fatalf("dbtest: creating PostgreSQL schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("dbtest: dropping PostgreSQL schema %s: %v", schema, err)
		}
	})
	dsn, err := withSearchPath(base, schema)
	if err != nil {
		t.Fatalf("dbtest: %s: %v", EnvPostgres, err)
	}
	db, _, err := dialect.Open("postgres", dsn)
	if err != nil {
		t.Fatalf("dbtest: opening PostgreSQL schema %s: %v", schema, err)
	}
	// Registered after the drop, so it runs before it: the pool's
	// connections must be gone for the drop not to wait on their locks.
	t.Cleanup(func() { db.Close() })
	return db, dsn
}

// withSearchPath returns the URL with its search_path parameter set, which
// pgx sends as a run-time parameter of every connection.
func withSearchPath(base, schema string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// MySQL returns a connection pool on a new, empty database and its DSN (the
// DSL_TEST_MYSQL address with the database name replaced). It skips the
// test when DSL_TEST_MYSQL is unset. The database is dropped when the test
// ends.
func MySQL(t testing.TB) (*sql.DB, string) {
	t.Helper()
	base := os.Getenv(EnvMySQL)
	if base == "" {
		t.Skip(EnvMySQL + " not set: set it to a MariaDB/MySQL address, e.g. root@tcp(127.0.0.1:3306)/test, to run the MySQL tests")
	}
	cfg, err := mysql.ParseDSN(base)
	if err != nil {
		t.Fatalf("dbtest: %s is not a go-sql-driver address: %v", EnvMySQL, err)
	}
	admin, _, err := dialect.Open("mysql", base)
	if err != nil {
		t.Fatalf("dbtest: %s is set but: %v", EnvMySQL, err)
	}
	name := "dsl_test_" + randomName()
	if _, err := admin.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"); err != nil {
		admin.Close()
		t.Fatalf("dbtest: creating MySQL database %s: %v", name, err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE "+name); err != nil {
			t.Errorf("dbtest: dropping MySQL database %s: %v", name, err)
		}
	})
	cfg.DBName = name
	dsn := cfg.FormatDSN()
	db, _, err := dialect.Open("mysql", dsn)
	if err != nil {
		t.Fatalf("dbtest: opening MySQL database %s: %v", name, err)
	}
	t.Cleanup(func() { db.Close() })
	return db, dsn
}

// Each runs f as a subtest named after each dialect ("sqlite", "postgres",
// "mysql") with a fresh database of it. The subtests of engines whose
// server is not configured are skipped, saying which variable to set.
func Each(t *testing.T, f func(t *testing.T, d dialect.Dialect, db *sql.DB, dsn string)) {
	t.Helper()
	for _, e := range []struct {
		name string
		open func(testing.TB) (*sql.DB, string)
	}{{"sqlite", SQLite}, {"postgres", Postgres}, {"mysql", MySQL}} {
		t.Run(e.name, func(t *testing.T) {
			d, err := dialect.ForEngine(e.name)
			if err != nil {
				t.Fatal(err)
			}
			db, dsn := e.open(t)
			f(t, d, db, dsn)
		})
	}
}

// randomName returns 16 random hexadecimal digits, a name part no other
// test run picks.
func randomName() string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported systems
	}
	return hex.EncodeToString(b[:])
}
