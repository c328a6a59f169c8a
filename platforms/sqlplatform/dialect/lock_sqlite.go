package dialect

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"sync"
)

// Lock implements Dialect with an operating-system lock on a file beside
// the database: DATABASE.lock-HASH, one file per lock name (HASH is a hash
// of the name), locked exclusively without waiting (flock on Unix,
// LockFileEx on Windows). The system releases it when the process dies.
// The lock files are left in place on release: removing one while another
// process waits on it would let two processes lock two different files of
// the same name. An in-memory database, which no other process can open,
// is locked within the process.
func (SQLite) Lock(ctx context.Context, db *sql.DB, name string) (func() error, error) {
	path, err := sqliteFile(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("taking lock %q: %w", name, err)
	}
	if path == "" {
		return memoryLock(db, name)
	}
	k := lockKey("", name)
	lockPath := path + ".lock-" + hex.EncodeToString(k[:8])
	f, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("taking lock %q: %w", name, err)
	}
	locked, err := tryLockFile(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("taking lock %q on %s: %w", name, lockPath, err)
	}
	if !locked {
		f.Close()
		return nil, fmt.Errorf("lock %q (%s): %w", name, lockPath, ErrLocked)
	}
	return releaseOnce(func() error {
		err := unlockFile(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	}), nil
}

// sqliteFile returns the file of the main database, "" when in memory.
func sqliteFile(ctx context.Context, db *sql.DB) (string, error) {
	rows, err := db.QueryContext(ctx, "PRAGMA database_list")
	if err != nil {
		return "", err
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var name, file sql.NullString
		if err := rows.Scan(&seq, &name, &file); err != nil {
			return "", err
		}
		if name.String == "main" {
			return file.String, rows.Err()
		}
	}
	return "", rows.Err()
}

// memoryLocks are the locks held on in-memory databases, by database and
// name.
var memoryLocks sync.Map // memoryLockKey -> struct{}

type memoryLockKey struct {
	db   *sql.DB
	name string
}

// memoryLock takes a lock that lives in this process only.
func memoryLock(db *sql.DB, name string) (func() error, error) {
	key := memoryLockKey{db, name}
	if _, held := memoryLocks.LoadOrStore(key, struct{}{}); held {
		return nil, fmt.Errorf("lock %q: %w", name, ErrLocked)
	}
	return releaseOnce(func() error {
		memoryLocks.Delete(key)
		return nil
	}), nil
}
