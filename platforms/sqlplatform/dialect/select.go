package dialect

import (
	"fmt"
	"strings"

	"github.com/datasurface/datasurface-go/types"
)

// A source column is normally read as it is. Two kinds are read through a
// conversion, because the driver's own form of them is not one Decode can
// read exactly:
//
//   - PostgreSQL arrays read as a model array: through database/sql, pgx
//     hands them over in PostgreSQL's array text ("{1,2,NULL}", with its
//     own quoting rules); to_json turns them into the JSON array Decode
//     reads for array types. (A vector is decoded from the array text
//     itself, which keeps NaN and infinities that JSON cannot hold.)
//   - MySQL and MariaDB FLOAT: the text protocol prints a single-precision
//     float with 6 significant digits, which does not round-trip; cast to
//     DOUBLE, the float's exact value is printed in full, and Decode rounds
//     it back to the very same float32.

// SelectColumn implements Dialect: SQLite values come through as stored.
func (d SQLite) SelectColumn(c PhysicalColumn, _ types.Type) string { return d.QuoteIdent(c.Name) }

// SelectColumn implements Dialect: arrays read as model arrays are read as
// JSON.
func (d Postgres) SelectColumn(c PhysicalColumn, t types.Type) string {
	if _, isArray := t.(types.ArrayType); isArray && strings.HasSuffix(strings.TrimSpace(c.Type), "]") {
		return fmt.Sprintf("to_json(%s)", d.QuoteIdent(c.Name))
	}
	return d.QuoteIdent(c.Name)
}

// SelectColumn implements Dialect: FLOAT columns are read as DOUBLE.
func (d MySQL) SelectColumn(c PhysicalColumn, _ types.Type) string {
	t := strings.ToLower(strings.TrimSpace(c.Type))
	if t == "float" || strings.HasPrefix(t, "float ") || strings.HasPrefix(t, "float(") {
		return fmt.Sprintf("CAST(%s AS DOUBLE)", d.QuoteIdent(c.Name))
	}
	return d.QuoteIdent(c.Name)
}
