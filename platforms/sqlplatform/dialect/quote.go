package dialect

import (
	"strconv"
	"strings"
)

// SQLite is the dialect of SQLite databases (driver modernc.org/sqlite),
// usable as merge store and as source.
type SQLite struct{}

// Postgres is the dialect of PostgreSQL databases (driver pgx), usable as
// merge store and as source.
type Postgres struct{}

// MySQL is the dialect of MySQL and MariaDB databases (driver
// go-sql-driver/mysql), usable as a source only.
type MySQL struct{}

// Name implements Dialect.
func (SQLite) Name() string { return "sqlite" }

// Name implements Dialect.
func (Postgres) Name() string { return "postgres" }

// Name implements Dialect.
func (MySQL) Name() string { return "mysql" }

// DriverName implements Dialect.
func (SQLite) DriverName() string { return "sqlite" }

// DriverName implements Dialect.
func (Postgres) DriverName() string { return "pgx" }

// DriverName implements Dialect.
func (MySQL) DriverName() string { return "mysql" }

// QuoteIdent implements Dialect: the name in double quotes, inner double
// quotes doubled.
func (SQLite) QuoteIdent(name string) string { return quoteWith(name, '"') }

// QuoteIdent implements Dialect: the name in double quotes, inner double
// quotes doubled. The name keeps its case.
func (Postgres) QuoteIdent(name string) string { return quoteWith(name, '"') }

// QuoteIdent implements Dialect: the name in backticks, inner backticks
// doubled (double quotes mean strings unless ANSI_QUOTES is set, so they
// are not used).
func (MySQL) QuoteIdent(name string) string { return quoteWith(name, '`') }

// quoteWith encloses name in q, doubling every q inside it. A NUL byte,
// which no database accepts in a name, is dropped so that the statement
// stays well formed; names are checked at lint time.
func quoteWith(name string, q byte) string {
	var b strings.Builder
	b.Grow(len(name) + 2)
	b.WriteByte(q)
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch c {
		case 0:
			continue
		case q:
			b.WriteByte(q)
		}
		b.WriteByte(c)
	}
	b.WriteByte(q)
	return b.String()
}

// MaxIdentLen implements Dialect: SQLite has no limit; 128 matches the
// model's own name limit.
func (SQLite) MaxIdentLen() int { return 128 }

// MaxIdentLen implements Dialect: PostgreSQL keeps 63 bytes (NAMEDATALEN-1)
// and silently cuts longer names.
func (Postgres) MaxIdentLen() int { return 63 }

// MaxIdentLen implements Dialect: MySQL names are at most 64 characters.
func (MySQL) MaxIdentLen() int { return 64 }

// Placeholder implements Dialect: "?" (the n-th "?" binds the n-th
// argument).
func (SQLite) Placeholder(int) string { return "?" }

// Placeholder implements Dialect: "$n".
func (Postgres) Placeholder(n int) string { return "$" + strconv.Itoa(n) }

// Placeholder implements Dialect: "?".
func (MySQL) Placeholder(int) string { return "?" }

// HashType implements Dialect: a blob holds the 32 bytes.
func (SQLite) HashType() string { return "blob" }

// HashType implements Dialect.
func (Postgres) HashType() string { return "bytea" }

// HashType implements Dialect.
func (MySQL) HashType() string { return "binary(32)" }

// BatchType implements Dialect: SQLite integers are 64-bit.
func (SQLite) BatchType() string { return "integer" }

// BatchType implements Dialect.
func (Postgres) BatchType() string { return "bigint" }

// BatchType implements Dialect.
func (MySQL) BatchType() string { return "bigint" }

// CreateScratchTable implements Dialect.
func (SQLite) CreateScratchTable() string { return "CREATE TABLE" }

// CreateScratchTable implements Dialect: an unlogged table writes no WAL,
// and PostgreSQL empties it after a crash of the server.
func (Postgres) CreateScratchTable() string { return "CREATE UNLOGGED TABLE" }

// CreateScratchTable implements Dialect.
func (MySQL) CreateScratchTable() string { return "CREATE TABLE" }

// HashJoins implements Dialect: SQLite joins through indexes, row by row.
func (SQLite) HashJoins() bool { return false }

// PreferIndexJoins implements Dialect: SQLite joins through indexes.
func (SQLite) PreferIndexJoins(bool) []string { return nil }

// HashJoins implements Dialect.
func (Postgres) HashJoins() bool { return true }

// PreferIndexJoins implements Dialect: hash and merge joins off for the
// rest of the transaction (SET LOCAL), or back to the session's settings.
func (Postgres) PreferIndexJoins(on bool) []string {
	if on {
		return []string{"SET LOCAL enable_hashjoin = off", "SET LOCAL enable_mergejoin = off"}
	}
	return []string{"SET LOCAL enable_hashjoin TO DEFAULT", "SET LOCAL enable_mergejoin TO DEFAULT"}
}

// HashJoins implements Dialect: MariaDB and MySQL 8.0.18 and later hash
// inner joins only.
func (MySQL) HashJoins() bool { return false }

// PreferIndexJoins implements Dialect: MySQL is never a merge store.
func (MySQL) PreferIndexJoins(bool) []string { return nil }

var (
	_ Dialect = SQLite{}
	_ Dialect = Postgres{}
	_ Dialect = MySQL{}
)
