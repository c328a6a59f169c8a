package dialect

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
)

// Locks are named; each dialect holds a lock with something the database
// or the operating system releases when the holding process dies, so a
// killed run never leaves a stream locked.

// lockKey hashes a scope (the schema or database the lock belongs to) and
// a lock name into 32 bytes: names of any length and characters map to a
// fixed-size key, and two schemas of one server do not share locks.
func lockKey(scope, name string) [32]byte {
	return sha256.Sum256([]byte("dsl-lock\x00" + scope + "\x00" + name))
}

// Lock implements Dialect with a session advisory lock
// (pg_try_advisory_lock) on a connection reserved until release. The key
// is a hash of the current schema and the name. PostgreSQL drops session
// locks when the connection ends, so a dead process holds nothing.
func (Postgres) Lock(ctx context.Context, db *sql.DB, name string) (func() error, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("taking lock %q: %w", name, err)
	}
	var schema string
	if err := conn.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		conn.Close()
		return nil, fmt.Errorf("taking lock %q: %w", name, err)
	}
	k := lockKey(schema, name)
	key := int64(binary.BigEndian.Uint64(k[:8]))
	var got bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", key).Scan(&got); err != nil {
		conn.Close()
		return nil, fmt.Errorf("taking lock %q: %w", name, err)
	}
	if !got {
		conn.Close()
		return nil, fmt.Errorf("lock %q: %w", name, ErrLocked)
	}
	return releaseOnce(func() error {
		var released bool
		err := conn.QueryRowContext(context.Background(), "SELECT pg_advisory_unlock($1)", key).Scan(&released)
		if err == nil && !released {
			err = fmt.Errorf("lock %q was not held at release", name)
		}
		return finishLockConn(conn, err)
	}), nil
}

// Lock implements Dialect with GET_LOCK on a connection reserved until
// release. MySQL lock names are server-wide and at most 64 characters, so
// the name used is a hash of the current database and the name. The server
// releases the lock when the connection ends.
func (MySQL) Lock(ctx context.Context, db *sql.DB, name string) (func() error, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("taking lock %q: %w", name, err)
	}
	var database sql.NullString
	if err := conn.QueryRowContext(ctx, "SELECT DATABASE()").Scan(&database); err != nil {
		conn.Close()
		return nil, fmt.Errorf("taking lock %q: %w", name, err)
	}
	k := lockKey(database.String, name)
	key := "dsl_" + hex.EncodeToString(k[:30])
	var got sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT GET_LOCK(?, 0)", key).Scan(&got); err != nil {
		conn.Close()
		return nil, fmt.Errorf("taking lock %q: %w", name, err)
	}
	if !got.Valid || got.Int64 != 1 {
		conn.Close()
		return nil, fmt.Errorf("lock %q: %w", name, ErrLocked)
	}
	return releaseOnce(func() error {
		var released sql.NullInt64
		err := conn.QueryRowContext(context.Background(), "SELECT RELEASE_LOCK(?)", key).Scan(&released)
		if err == nil && released.Int64 != 1 {
			err = fmt.Errorf("lock %q was not held at release", name)
		}
		return finishLockConn(conn, err)
	}), nil
}

// finishLockConn ends a lock's connection. When the unlock failed, the
// connection is discarded instead of going back to the pool, since closing
// it is what makes the server release the lock.
func finishLockConn(conn *sql.Conn, unlockErr error) error {
	if unlockErr != nil {
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	return errors.Join(unlockErr, conn.Close())
}

// releaseOnce makes a release function safe to call more than once: the
// calls after the first return nil.
func releaseOnce(f func() error) func() error {
	var once sync.Once
	var err error
	return func() error {
		once.Do(func() { err = f() })
		return err
	}
}
