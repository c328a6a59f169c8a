package dialect

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/datasurface/datasurface-go/platforms/sqlplatform/value"
	"github.com/datasurface/datasurface-go/types"
)

// pgMaxVarchar is the longest length PostgreSQL accepts in varchar(n);
// longer bounded strings are declared text.
const pgMaxVarchar = 10485760

// ColumnType implements Dialect. The types are spelled as PostgreSQL's
// format_type prints them, so TableColumns reads back what ColumnType
// declared. PostgreSQL has no one-byte or unsigned integers: tinyint and
// utinyint are smallint, usmallint integer, uinteger bigint and ubigint
// numeric(20,0). Floats of 32 bits or fewer (float16, bfloat16, the FP8,
// FP6 and FP4 formats, e8m0) are real, which holds each of their values
// exactly; wider ones double precision. Composites and variants are jsonb,
// vectors real[] or double precision[], MX blocks and geographies bytea.
func (Postgres) ColumnType(t types.Type) (string, error) {
	switch t := t.(type) {
	case types.StringType:
		var s string
		switch {
		case t.Fixed():
			s = fmt.Sprintf("character(%d)", t.Length())
		case !t.Bounded() || t.Length() > pgMaxVarchar:
			s = "text"
		default:
			s = fmt.Sprintf("character varying(%d)", t.Length())
		}
		if c := t.Collation(); c != "" {
			s += ` collate "` + strings.ReplaceAll(c, `"`, `""`) + `"`
		}
		return s, nil
	case types.IntegerType:
		switch b := t.Bits(); {
		case b <= 8 || b == 16 && !t.Unsigned():
			return "smallint", nil
		case b <= 16 || b == 32 && !t.Unsigned():
			return "integer", nil
		case b <= 32 || !t.Unsigned():
			return "bigint", nil
		}
		return "numeric(20,0)", nil
	case types.DecimalType:
		return fmt.Sprintf("numeric(%d,%d)", t.Precision(), t.Scale()), nil
	case types.FloatType:
		return pgFloat(t.Format()), nil
	case types.BooleanType:
		return "boolean", nil
	case types.DateType:
		return "date", nil
	case types.TimeType:
		return "time without time zone", nil
	case types.TimestampType:
		if t.Zone() != "" {
			return "timestamp with time zone", nil
		}
		return "timestamp without time zone", nil
	case types.IntervalType:
		return "interval", nil
	case types.MXType, types.BinaryType, types.GeographyType:
		return "bytea", nil
	case types.VariantType, types.ArrayType, types.MapType, types.StructType:
		return "jsonb", nil
	case types.VectorType:
		return pgFloat(t.Elem().Format()) + "[]", nil
	}
	return "", fmt.Errorf("type %s is not in the catalogue", t)
}

// pgFloat is the column type of a float format.
func pgFloat(f *types.FloatFormat) string {
	if f.Bits() <= 32 {
		return "real"
	}
	return "double precision"
}

// Encode implements Dialect. The arguments are the pgx types that encode
// both as bind parameters and in COPY's binary format: pgtype.Numeric for
// numeric columns, float32 for real, pgtype.Date, pgtype.Time,
// pgtype.Timestamp and pgtype.Interval for the temporal types, JSON text
// for jsonb, []float32 or []float64 for vectors.
func (Postgres) Encode(t types.Type, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch t := t.(type) {
	case types.StringType:
		if s, ok := v.(string); ok {
			if strings.IndexByte(s, 0) >= 0 {
				return nil, fmt.Errorf("value %s holds a NUL character, which PostgreSQL text cannot hold", value.Show(s))
			}
			// v as is, here and below: boxing again would allocate.
			return v, nil
		}
	case types.IntegerType:
		switch i := v.(type) {
		case int64:
			return v, nil
		case uint64:
			return pgtype.Numeric{Int: new(big.Int).SetUint64(i), Valid: true}, nil
		}
	case types.DecimalType:
		if d, ok := v.(value.Decimal); ok {
			_, frac := d.Digits()
			u, err := d.Unscaled(frac)
			if err != nil {
				return nil, err
			}
			return pgtype.Numeric{Int: u, Exp: int32(-frac), Valid: true}, nil
		}
	case types.FloatType:
		if f, ok := v.(float64); ok {
			if t.Format().Bits() <= 32 {
				return float32(f), nil
			}
			return v, nil
		}
	case types.BooleanType:
		if _, ok := v.(bool); ok {
			return v, nil
		}
	case types.DateType:
		if d, ok := v.(value.Date); ok {
			return pgtype.Date{Time: d.Time(), Valid: true}, nil
		}
	case types.TimeType:
		if d, ok := v.(value.TimeOfDay); ok {
			return pgtype.Time{Microseconds: int64(time.Duration(d) / time.Microsecond), Valid: true}, nil
		}
	case types.TimestampType:
		if ts, ok := v.(time.Time); ok {
			if t.Zone() != "" {
				return pgtype.Timestamptz{Time: ts.UTC(), Valid: true}, nil
			}
			return pgtype.Timestamp{Time: ts.UTC(), Valid: true}, nil
		}
	case types.IntervalType:
		if iv, ok := v.(value.Interval); ok {
			return pgtype.Interval{Months: iv.Months, Days: iv.Days, Microseconds: iv.Micros, Valid: true}, nil
		}
	case types.BinaryType:
		if b, ok := v.([]byte); ok {
			return nonNil(b), nil
		}
	case types.MXType:
		if b, ok := v.(types.MXBlock); ok {
			return mxBytes(b), nil
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
	case types.VectorType:
		if x, ok := v.([]float64); ok {
			if t.Elem().Format().Bits() <= 32 {
				out := make([]float32, len(x))
				for i, e := range x {
					out[i] = float32(e)
				}
				return out, nil
			}
			return append([]float64{}, x...), nil
		}
	}
	return nil, notCanonical(t, v)
}

// Decode implements Dialect. pgx hands integers, floats, booleans, bytea,
// dates and timestamps over as Go values and every other type as
// PostgreSQL's text output (numeric digits, "15:04:05.5", intervals in
// the postgres or iso_8601 style, jsonb text, arrays as "{1,2}"), which
// Decode parses. Geometries from PostGIS arrive as hexadecimal EWKB.
func (Postgres) Decode(t types.Type, src any) (any, error) {
	return decoder{}.decode(t, src)
}

// TableColumns implements Dialect: the columns of the table (or view)
// found through the search_path, types as format_type prints them with a
// collate clause when the column's collation is not its type's default.
func (Postgres) TableColumns(ctx context.Context, q Querier, table string) ([]PhysicalColumn, error) {
	rows, err := q.QueryContext(ctx, `SELECT a.attname,
	format_type(a.atttypid, a.atttypmod) ||
		CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
		THEN ' collate "' || replace(co.collname, '"', '""') || '"' ELSE '' END,
	NOT a.attnotnull
FROM pg_attribute a
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_collation co ON co.oid = a.attcollation
WHERE a.attrelid = to_regclass(quote_ident($1)) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PhysicalColumn
	for rows.Next() {
		var c PhysicalColumn
		if err := rows.Scan(&c.Name, &c.Type, &c.Nullable); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CanHold implements Dialect: physical holds t when it holds every value of
// the column type ColumnType(t) declares (a longer varchar, a wider integer
// or numeric, double precision for real, text for varchar); it can be
// widened when ColumnType(t) holds every value of physical, so that the
// ALTER loses nothing.
func (d Postgres) CanHold(physical string, t types.Type) (hold bool, widen bool) {
	want, err := d.ColumnType(t)
	if err != nil {
		return false, false
	}
	p, w := parsePGType(physical), parsePGType(want)
	if pgContains(p, w) {
		return true, false
	}
	return false, pgContains(w, p)
}

// AlterColumnType implements Dialect.
func (d Postgres) AlterColumnType(table, column string, t types.Type) (string, error) {
	ct, err := d.ColumnType(t)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s TYPE %s", d.QuoteIdent(table), d.QuoteIdent(column), ct), nil
}
