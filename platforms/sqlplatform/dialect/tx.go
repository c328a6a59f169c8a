package dialect

import (
	"context"
	"database/sql"
	"errors"
)

// Tx is a transaction on a connection of its own. BulkLoad needs it: COPY
// on PostgreSQL goes through the pgx connection underneath database/sql,
// which a plain *sql.Tx does not reveal. Tx embeds the *sql.Tx, so it is a
// Querier and runs statements like one; Commit and Rollback also give the
// connection back to the pool.
type Tx struct {
	*sql.Tx
	conn *sql.Conn
}

// BeginTx starts a transaction on a connection of db reserved for it.
func BeginTx(ctx context.Context, db *sql.DB, opts *sql.TxOptions) (*Tx, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := conn.BeginTx(ctx, opts)
	if err != nil {
		conn.Close()
		return nil, err
	}
	return &Tx{Tx: tx, conn: conn}, nil
}

// Commit commits the transaction and releases its connection.
func (t *Tx) Commit() error {
	err := t.Tx.Commit()
	return errors.Join(err, t.release())
}

// Rollback rolls the transaction back and releases its connection. After
// Commit it only returns sql.ErrTxDone, so `defer tx.Rollback()` is safe.
func (t *Tx) Rollback() error {
	err := t.Tx.Rollback()
	return errors.Join(err, t.release())
}

// release gives the connection back to the pool, once.
func (t *Tx) release() error {
	if t.conn == nil {
		return nil
	}
	c := t.conn
	t.conn = nil
	return c.Close()
}

// raw runs f with the driver connection under the transaction; the
// transaction is open on it, so what f does is part of the transaction.
func (t *Tx) raw(f func(driverConn any) error) error {
	if t.conn == nil {
		return sql.ErrTxDone
	}
	return t.conn.Raw(f)
}
