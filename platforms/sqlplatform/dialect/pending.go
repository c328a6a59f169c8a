package dialect

// TEMPORARY: replaced by the real implementations within the hour; exists
// only so that the engine compiles against the full interface.

import (
	"context"
	"database/sql"
	"errors"

	"github.com/datasurface/datasurface-go/types"
)

var errPending = errors.New("dialect: not implemented yet")

func (SQLite) ColumnType(types.Type) (string, error)   { return "", errPending }
func (Postgres) ColumnType(types.Type) (string, error) { return "", errPending }
func (MySQL) ColumnType(types.Type) (string, error)    { return "", errPending }
func (SQLite) Encode(types.Type, any) (any, error)     { return nil, errPending }
func (Postgres) Encode(types.Type, any) (any, error)   { return nil, errPending }
func (MySQL) Encode(types.Type, any) (any, error)      { return nil, errPending }
func (SQLite) Decode(types.Type, any) (any, error)     { return nil, errPending }
func (Postgres) Decode(types.Type, any) (any, error)   { return nil, errPending }
func (MySQL) Decode(types.Type, any) (any, error)      { return nil, errPending }
func (SQLite) TableColumns(context.Context, Querier, string) ([]PhysicalColumn, error) {
	return nil, errPending
}
func (Postgres) TableColumns(context.Context, Querier, string) ([]PhysicalColumn, error) {
	return nil, errPending
}
func (MySQL) TableColumns(context.Context, Querier, string) ([]PhysicalColumn, error) {
	return nil, errPending
}
func (SQLite) CanHold(string, types.Type) (bool, bool)                      { return false, false }
func (Postgres) CanHold(string, types.Type) (bool, bool)                    { return false, false }
func (MySQL) CanHold(string, types.Type) (bool, bool)                       { return false, false }
func (SQLite) AlterColumnType(string, string, types.Type) (string, error)   { return "", errPending }
func (Postgres) AlterColumnType(string, string, types.Type) (string, error) { return "", errPending }
func (MySQL) AlterColumnType(string, string, types.Type) (string, error)    { return "", errPending }
func (SQLite) BulkLoad(context.Context, *sql.Tx, string, []string, RowSource) (int64, error) {
	return 0, errPending
}
func (Postgres) BulkLoad(context.Context, *sql.Tx, string, []string, RowSource) (int64, error) {
	return 0, errPending
}
func (MySQL) BulkLoad(context.Context, *sql.Tx, string, []string, RowSource) (int64, error) {
	return 0, errPending
}
func (SQLite) Lock(context.Context, *sql.DB, string) (func() error, error)   { return nil, errPending }
func (Postgres) Lock(context.Context, *sql.DB, string) (func() error, error) { return nil, errPending }
func (MySQL) Lock(context.Context, *sql.DB, string) (func() error, error)    { return nil, errPending }

var (
	_ Dialect = SQLite{}
	_ Dialect = Postgres{}
	_ Dialect = MySQL{}
)
