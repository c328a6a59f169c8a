package dialect

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/datasurface/datasurface-go/platforms/sqlplatform/value"
	"github.com/datasurface/datasurface-go/types"
)

// SQLite columns have a type affinity, not a type (sqlite.org/datatype3):
// the declared type only decides how SQLite converts a value on the way in.
// ColumnType therefore declares each catalogue type with a readable name
// whose affinity keeps the stored value exactly as Encode writes it:
//
//   - text that may look like a number (strings, decimals, ubigint, JSON)
//     needs TEXT affinity, or "0123" would become the integer 123;
//   - floats need BLOB affinity ("float32 blob"): REAL affinity stores a
//     whole-valued double as an integer, losing negative zero;
//   - the rest (integers, booleans, dates, times, blobs) keep their value
//     under their natural affinity.
//
// SQLite applies no length, precision or collation: a varchar(40) column
// holds 200 characters, so a table never needs widening.

// sqliteAffinity is one of SQLite's five column affinities.
type sqliteAffinity int

const (
	affInteger sqliteAffinity = iota
	affText
	affBlob
	affReal
	affNumeric
)

// affinityOf applies SQLite's rules (sqlite.org/datatype3, 3.1) to a
// declared type.
func affinityOf(decl string) sqliteAffinity {
	u := strings.ToUpper(decl)
	switch {
	case strings.Contains(u, "INT"):
		return affInteger
	case strings.Contains(u, "CHAR"), strings.Contains(u, "CLOB"), strings.Contains(u, "TEXT"):
		return affText
	case strings.Contains(u, "BLOB"), strings.TrimSpace(u) == "":
		return affBlob
	case strings.Contains(u, "REAL"), strings.Contains(u, "FLOA"), strings.Contains(u, "DOUB"):
		return affReal
	}
	return affNumeric
}

// ColumnType implements Dialect.
func (SQLite) ColumnType(t types.Type) (string, error) {
	switch t := t.(type) {
	case types.StringType:
		if !t.Bounded() {
			return "text", nil
		}
		return fmt.Sprintf("%s(%d)", t.Name(), t.Length()), nil
	case types.IntegerType:
		if t.Unsigned() && t.Bits() == 64 {
			return "decimal text(20,0)", nil
		}
		return t.String(), nil
	case types.DecimalType:
		return fmt.Sprintf("decimal text(%d,%d)", t.Precision(), t.Scale()), nil
	case types.FloatType:
		return t.String() + " blob", nil
	case types.BooleanType:
		return "boolean", nil
	case types.DateType:
		return "date", nil
	case types.TimeType:
		return "time", nil
	case types.TimestampType:
		if t.Zone() != "" {
			return "timestamptz", nil
		}
		return "timestamp", nil
	case types.IntervalType:
		return "interval", nil
	case types.VectorType:
		// The element format is part of the declared type: the packed
		// layout depends on it, and SQLite cannot convert stored vectors.
		return fmt.Sprintf("%s vector blob(%d)", t.Elem(), t.Dims()), nil
	case types.MXType, types.BinaryType, types.GeographyType:
		return "blob", nil
	case types.VariantType, types.ArrayType, types.MapType, types.StructType:
		return "json text", nil
	}
	return "", fmt.Errorf("type %s is not in the catalogue", t)
}

// sqliteKeeps lists the affinities under which the stored form of t's
// values survives unchanged.
func sqliteKeeps(t types.Type) []sqliteAffinity {
	switch t := t.(type) {
	case types.IntegerType:
		if t.Unsigned() && t.Bits() == 64 {
			return []sqliteAffinity{affText, affBlob}
		}
		return []sqliteAffinity{affInteger, affNumeric, affText, affBlob}
	case types.BooleanType:
		return []sqliteAffinity{affInteger, affNumeric, affText, affBlob}
	case types.FloatType:
		return []sqliteAffinity{affBlob}
	case types.StringType, types.DecimalType, types.VariantType, types.ArrayType, types.MapType, types.StructType:
		return []sqliteAffinity{affText, affBlob}
	}
	// Dates, times, timestamps and intervals are text that never looks
	// like a number; blobs are never converted.
	return []sqliteAffinity{affInteger, affText, affBlob, affReal, affNumeric}
}

// CanHold implements Dialect: a column holds t when its affinity keeps
// t's stored values unchanged, and, for a vector column declared by
// ColumnType, when its element format and dimensions are t's (packed
// vectors of another format read wrong). SQLite cannot change a column's
// type, so widen is always false.
func (SQLite) CanHold(physical string, t types.Type) (hold bool, widen bool) {
	if v, ok := t.(types.VectorType); ok {
		var elem string
		var dims int
		if n, _ := fmt.Sscanf(strings.ToLower(physical), "%s vector blob(%d)", &elem, &dims); n == 2 {
			return elem == v.Elem().String() && dims == v.Dims(), false
		}
	}
	aff := affinityOf(physical)
	for _, a := range sqliteKeeps(t) {
		if a == aff {
			return true, false
		}
	}
	return false, false
}

// AlterColumnType implements Dialect. SQLite has no ALTER COLUMN ... TYPE;
// CanHold never asks for it, as SQLite enforces no lengths.
func (SQLite) AlterColumnType(table, column string, t types.Type) (string, error) {
	return "", fmt.Errorf("SQLite cannot change the type of column %s of table %s: rebuild the table", column, table)
}

// TableColumns implements Dialect.
func (SQLite) TableColumns(ctx context.Context, q Querier, table string) ([]PhysicalColumn, error) {
	rows, err := q.QueryContext(ctx, `SELECT name, type, "notnull" FROM pragma_table_info(?) ORDER BY cid`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PhysicalColumn
	for rows.Next() {
		var c PhysicalColumn
		var notNull int64
		if err := rows.Scan(&c.Name, &c.Type, &notNull); err != nil {
			return nil, err
		}
		c.Type = strings.ToLower(c.Type)
		c.Nullable = notNull == 0
		out = append(out, c)
	}
	return out, rows.Err()
}

// Encode implements Dialect: integers as INTEGER, floats as REAL (NaN,
// which SQLite would store as NULL, as the text "NaN"), ubigint and
// decimals as their digits, dates and times as ISO 8601 text
// (value.TimestampLayout, with "Z" for zoned timestamps), intervals as
// ISO 8601 durations, MX blocks and vectors packed, geographies as WKB,
// variants as canonical JSON and composites in the JSON form.
func (SQLite) Encode(t types.Type, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch t := t.(type) {
	case types.StringType:
		if s, ok := v.(string); ok {
			return s, nil
		}
	case types.IntegerType:
		switch i := v.(type) {
		case int64:
			return i, nil
		case uint64:
			return strconv.FormatUint(i, 10), nil
		}
	case types.FloatType:
		if f, ok := v.(float64); ok {
			if math.IsNaN(f) {
				return "NaN", nil
			}
			return f, nil
		}
	case types.BooleanType:
		if b, ok := v.(bool); ok {
			if b {
				return int64(1), nil
			}
			return int64(0), nil
		}
	case types.BinaryType:
		if b, ok := v.([]byte); ok {
			return nonNil(b), nil
		}
	case types.MXType:
		if b, ok := v.(types.MXBlock); ok {
			return mxBytes(b), nil
		}
	case types.VectorType:
		if x, ok := v.([]float64); ok {
			return nonNil(packVector(t.Elem().Format(), x)), nil
		}
	case types.GeographyType:
		if g, ok := v.(value.Geography); ok {
			return nonNil(g), nil
		}
	case types.VariantType:
		if j, ok := v.(value.JSON); ok {
			return string(j), nil
		}
	case types.ArrayType, types.MapType, types.StructType:
		return marshalJSONForm(t, v)
	case types.DecimalType, types.DateType, types.TimeType, types.TimestampType, types.IntervalType:
		return scalarText(t, v)
	}
	return nil, notCanonical(t, v)
}

// nonNil returns b, or an empty slice for nil: drivers write a nil []byte
// as NULL, and an empty binary value is not NULL.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// Decode implements Dialect. Besides what Encode writes it reads what
// SQLite sources commonly hold: numbers in text columns, REAL decimals
// (by their shortest decimal form), integer booleans, dates and timestamps
// the driver parsed into time.Time (columns declared DATE, DATETIME or
// TIMESTAMP), vectors as JSON arrays and geographies as WKB.
func (SQLite) Decode(t types.Type, src any) (any, error) {
	return decoder{}.decode(t, src)
}
