// Package dialect holds everything that differs between the databases the
// sql platform talks to: identifier quoting and length limits, the mapping of
// every catalogue type to a column type and back, placeholders, bulk load,
// upsert, transactions and locks. Code above this package is dialect-free: it
// builds statements only through these methods.
//
// Three dialects exist: SQLite (merge store and source), PostgreSQL (merge
// store and source) and MySQL/MariaDB (source only): the types SQLite,
// Postgres and MySQL. ForEngine returns one by engine name, Open connects
// and returns the dialect with the pool, BeginTx starts the transaction
// BulkLoad needs, and Lock returns ErrLocked when the lock is taken.
// docs/SQL_TYPES.md gives the column type of every catalogue type in each
// dialect, what each refuses, and the encoding of the row hashes.
package dialect

import (
	"context"
	"database/sql"

	"github.com/datasurface/datasurface-go/types"
)

// Dialect is one database's way of doing what the platform needs.
type Dialect interface {
	// Name is "sqlite", "postgres" or "mysql", as a model container's engine
	// spells it.
	Name() string
	// DriverName is the database/sql driver the dialect opens connections with.
	DriverName() string

	// QuoteIdent quotes one identifier (never a dotted path). Names longer
	// than MaxIdentLen are an error at lint time; QuoteIdent does not cut.
	QuoteIdent(name string) string
	// MaxIdentLen is the longest identifier the database keeps unchanged
	// (PostgreSQL 63, MySQL 64; SQLite has no limit, 128 is used to match
	// the model's own name limit).
	MaxIdentLen() int
	// Placeholder returns the n-th (1-based) bind parameter: "$1" or "?".
	Placeholder(n int) string

	// ColumnType is the column type that holds values of t exactly, as DDL
	// text ("numeric(12,2)", "double precision"). An error says which part
	// of t the database cannot hold.
	ColumnType(t types.Type) (string, error)
	// HashType is the column type of a key or row hash (32 bytes).
	HashType() string
	// BatchType is the column type of batch numbers (64-bit integer).
	BatchType() string
	// CreateScratchTable is what starts the statement that creates a
	// table whose rows may be lost when the database server crashes, in
	// exchange for faster writes ("CREATE UNLOGGED TABLE" on PostgreSQL,
	// "CREATE TABLE" elsewhere). The platform's staging tables are such:
	// a batch that finds its staging table emptied stages again.
	CreateScratchTable() string
	// HashJoins reports whether the database joins two large tables by
	// hashing or sorting them, so that a FULL JOIN of two large tables
	// reads each once (PostgreSQL). Otherwise (SQLite) joins go row by
	// row through indexes, and a full join must be written as two
	// one-sided joins, each through the other table's index.
	HashJoins() bool
	// PreferIndexJoins returns the statements that make the rest of the
	// transaction join through indexes rather than by hashing whole
	// tables (on), or undo that (off); none where joins always go through
	// indexes. A merge of a few changes into a large table uses it: the
	// planner, costing random reads as if from disk, would rather read
	// the whole table than look up each change's key.
	PreferIndexJoins(on bool) []string
	// UpdatedTableOptions returns what follows the column list of a table
	// whose rows are updated in place (a live merge table): room left in
	// each page for the new versions of updated rows where the database
	// can use it, "" where nothing applies.
	UpdatedTableOptions() string
	// UpsertChanged applies u to its table in q in one statement, each
	// row's key looked up once, and returns the numbers of rows inserted
	// and updated. ok is false, and nothing was run, where the database has
	// no such statement; the caller then inserts and updates in two.
	UpsertChanged(ctx context.Context, q Querier, u Upsert) (inserted, updated int64, ok bool, err error)
	// SelectColumn returns the expression a source query reads column c
	// with, for a model column of type t: its quoted name, or a conversion
	// where the driver would otherwise lose or garble the value (select.go).
	SelectColumn(c PhysicalColumn, t types.Type) string

	// Encode turns a canonical value of catalogue type t (see package
	// value for the canonical Go representation of each type) into a
	// bind argument the driver writes into a column of ColumnType(t).
	Encode(t types.Type, v any) (any, error)
	// Decode turns what the driver scanned from a column declared as t into
	// the canonical value; src is nil for SQL NULL and decodes to nil. The
	// same value read through two drivers decodes to the same canonical
	// value, so it hashes the same. An error names the value and why the
	// type cannot hold it.
	Decode(t types.Type, src any) (any, error)

	// TableColumns returns the physical columns of a table in ordinal order,
	// or (nil, nil) when the table does not exist.
	TableColumns(ctx context.Context, q Querier, table string) ([]PhysicalColumn, error)
	// CanHold reports whether a physical column declared as physical can
	// hold every value of t without loss, and whether an ALTER can widen it
	// in place (widen is meaningful only when hold is false).
	CanHold(physical string, t types.Type) (hold bool, widen bool)
	// AlterColumnType returns the statement that widens a column in place.
	AlterColumnType(table, column string, t types.Type) (string, error)

	// BulkLoad writes rows into table's columns inside tx as fast as the
	// database allows (COPY on PostgreSQL, multi-row INSERT elsewhere), and
	// returns the number of rows written. rows yields encoded arguments.
	//
	// Interface change (dialect helper): tx is a *Tx from BeginTx, a
	// transaction on a connection of its own, instead of a *sql.Tx. COPY
	// runs on the pgx connection under database/sql, which only a
	// *sql.Conn reveals; a Tx embeds the *sql.Tx (use tx.Tx where a
	// *sql.Tx is wanted; Tx is also a Querier) and keeps the connection.
	// Callers start the staging transaction with
	// dialect.BeginTx(ctx, db, nil) instead of db.BeginTx.
	BulkLoad(ctx context.Context, tx *Tx, table string, columns []string, rows RowSource) (int64, error)

	// Lock takes an exclusive lock named name that is held until the
	// returned release is called or the process dies, whatever the number
	// of processes sharing the database. It returns ErrLocked at once when
	// another holder has it.
	Lock(ctx context.Context, db *sql.DB, name string) (release func() error, err error)
}

// Querier is what both *sql.DB and *sql.Tx offer.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// PhysicalColumn is a column as the database's catalogue describes it.
type PhysicalColumn struct {
	Name     string
	Type     string // the declared type, lower case, as the catalogue prints it
	Nullable bool
}

// RowSource yields rows one at a time; Next returns false at the end or on
// error (then Err is set). Values are valid until the next call to Next.
type RowSource interface {
	Next() bool
	Values() []any
	Err() error
}
