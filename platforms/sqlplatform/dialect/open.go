package dialect

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	// The three database/sql drivers the dialects open connections with.
	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

// ErrLocked is returned by Lock, at once, when another holder has the lock.
var ErrLocked = errors.New("locked by another process")

// Engines lists the engine names ForEngine and Open accept, sorted.
func Engines() []string { return []string{"mysql", "postgres", "sqlite"} }

// ForEngine returns the dialect of an engine named as a model container
// spells it: "sqlite", "postgres" or "mysql" (MariaDB is "mysql" too).
func ForEngine(name string) (Dialect, error) {
	switch name {
	case "sqlite":
		return SQLite{}, nil
	case "postgres":
		return Postgres{}, nil
	case "mysql":
		return MySQL{}, nil
	}
	return nil, fmt.Errorf("unknown database engine %q: use one of %s", name, strings.Join(Engines(), ", "))
}

// openTimeout bounds the first round trip Open makes to check the address.
const openTimeout = 15 * time.Second

// Open connects to a database of the engine and checks the connection with
// a ping. dsn is the driver's own address:
//   - sqlite: a file path (or a "file:" URI); Open adds a busy timeout so
//     that concurrent writers wait for each other instead of failing, and
//     write-ahead logging so readers do not block the writer;
//   - postgres: a "postgres://" URL or key=value string, as pgx reads it;
//   - mysql: the go-sql-driver form "user:password@tcp(host:port)/db".
//
// Errors never repeat the dsn, which may hold a password.
func Open(engine, dsn string) (*sql.DB, Dialect, error) {
	d, err := ForEngine(engine)
	if err != nil {
		return nil, nil, err
	}
	addr := dsn
	if engine == "sqlite" {
		if addr, err = sqliteDSN(dsn); err != nil {
			return nil, nil, err
		}
	}
	db, err := sql.Open(d.DriverName(), addr)
	if err != nil {
		return nil, nil, fmt.Errorf("opening the %s database: %w", engine, scrub(err, dsn))
	}
	ctx, cancel := context.WithTimeout(context.Background(), openTimeout)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("connecting to the %s database: %w", engine, scrub(err, dsn))
	}
	return db, d, nil
}

// sqliteBusyMillis is how long an SQLite connection waits for another
// connection's write lock before failing with "database is locked".
const sqliteBusyMillis = 30000

// sqliteDSN turns a path or file: URI into the modernc driver's address,
// adding the pragmas every connection needs. A path holding '?' or '#'
// would be misread as a URI query, so it is refused with what to do.
func sqliteDSN(dsn string) (string, error) {
	if dsn == "" {
		return "", errors.New("the sqlite database path is empty: give a file path")
	}
	uri := dsn
	if !strings.HasPrefix(dsn, "file:") {
		if strings.ContainsAny(dsn, "?#") {
			return "", fmt.Errorf("the sqlite database path %q holds '?' or '#': rename the file, or give a file: URI with the characters escaped", dsn)
		}
		uri = "file:" + dsn
	}
	sep := "?"
	if strings.Contains(uri, "?") {
		sep = "&"
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", sqliteBusyMillis))
	q.Add("_pragma", "journal_mode(wal)")
	return uri + sep + q.Encode(), nil
}

// scrub replaces the dsn in a driver's error text, so a password inside it
// never reaches a log.
func scrub(err error, dsn string) error {
	if dsn == "" || !strings.Contains(err.Error(), dsn) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), dsn, "<address>"))
}
