package dialect

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// BulkLoad implements Dialect with COPY ... FROM STDIN in the binary
// format, through the pgx connection under tx: the rows become part of the
// transaction.
func (Postgres) BulkLoad(ctx context.Context, tx *Tx, table string, columns []string, rows RowSource) (int64, error) {
	var n int64
	err := tx.raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("the PostgreSQL connection is a %T, not a pgx connection", dc)
		}
		var err error
		n, err = c.Conn().CopyFrom(ctx, pgx.Identifier{table}, columns, copySource{rows})
		return err
	})
	if err != nil {
		var se *sourceErr
		if errors.As(err, &se) {
			return n, se.err
		}
	}
	return n, err
}

// copySource adapts a RowSource to pgx.CopyFromSource.
type copySource struct{ rows RowSource }

func (s copySource) Next() bool { return s.rows.Next() }

func (s copySource) Values() ([]any, error) { return s.rows.Values(), nil }

func (s copySource) Err() error {
	if err := s.rows.Err(); err != nil {
		return &sourceErr{err}
	}
	return nil
}

// sourceErr marks the row source's own error, so that BulkLoad returns it
// as the source gave it.
type sourceErr struct{ err error }

func (e *sourceErr) Error() string { return e.err.Error() }
func (e *sourceErr) Unwrap() error { return e.err }
