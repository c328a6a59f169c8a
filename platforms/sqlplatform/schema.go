package sqlplatform

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/internal/safetext"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
	"github.com/datasurface/datasurface-go/types"
)

// The platform's own columns of merge and staging tables
// (docs/SQL_PLATFORM.md, "Milestoning"). Model columns whose names start
// with "dsl_" are refused by Accept, so these never clash with the model's.
const (
	colKeyHash     = "dsl_key_hash"   // SHA-256 of the key columns (all columns when keyless)
	colRowHash     = "dsl_row_hash"   // SHA-256 of all columns in model order
	colOccurrence  = "dsl_occurrence" // 1, or the n-th copy of a duplicated keyless row
	colBatch       = "dsl_batch"      // live: the batch in which the row last changed
	colBatchIn     = "dsl_batch_in"   // forensic: the batch that opened the version
	colBatchOut    = "dsl_batch_out"  // forensic: the last batch in which it was current
	colSeq         = "dsl_seq"        // staging: the row's position in the snapshot
	reservedPrefix = "dsl_"
)

// LiveBatch is the dsl_batch_out of a version that is still current on a
// forensic platform: the largest 64-bit integer, so "the rows as of batch
// N" is the one predicate dsl_batch_in <= N AND N <= dsl_batch_out.
const LiveBatch int64 = math.MaxInt64

// column is one column of a table the platform creates.
type column struct {
	name string
	// typ is the model column's type; nil for the platform's columns.
	typ types.Type
	// ddl is the declared type.
	ddl     string
	notNull bool
	// platform marks the platform's own columns, which must exist as
	// declared: a table without them was not made by this platform.
	platform bool
}

// tableSpec is a table as the model wants it.
type tableSpec struct {
	name    string
	columns []column
	// indexes are CREATE INDEX statements run when the table is created.
	indexes []string
	// milestoning is what a merge table keeps; empty for a staging table.
	milestoning ecosystem.Milestoning
	// options follow the column list in CREATE TABLE ("" for none).
	options string
}

// modelColumns returns the physical columns of a dataset's model columns,
// in model order. They are all nullable in the store: the model's NOT NULL
// is checked on every staged value instead, so making a column nullable
// later needs no DDL.
func modelColumns(d dialect.Dialect, ds *ecosystem.Dataset) ([]column, error) {
	out := make([]column, 0, len(ds.Columns))
	for _, c := range ds.Columns {
		ddl, err := d.ColumnType(c.Type)
		if err != nil {
			return nil, fmt.Errorf("column %s (%s): the %s merge store cannot hold it: %v", c.Name, typeString(c.Type), d.Name(), err)
		}
		out = append(out, column{name: c.Name, typ: c.Type, ddl: ddl})
	}
	return out, nil
}

func typeString(t types.Type) string {
	if t == nil {
		return "no type"
	}
	return t.String()
}

// mergeSpec is the merge table of a dataset: its model columns, then the
// hashes, the occurrence and the batch columns of the milestoning.
func mergeSpec(d dialect.Dialect, ds *datasetPlan, m ecosystem.Milestoning) tableSpec {
	cols := append([]column(nil), ds.columns...)
	cols = append(cols,
		column{name: colKeyHash, ddl: d.HashType(), notNull: true, platform: true},
		column{name: colRowHash, ddl: d.HashType(), notNull: true, platform: true},
		column{name: colOccurrence, ddl: d.BatchType(), notNull: true, platform: true})
	q := d.QuoteIdent
	t := q(ds.merge)
	var idx []string
	if m == ecosystem.Forensic {
		cols = append(cols,
			column{name: colBatchIn, ddl: d.BatchType(), notNull: true, platform: true},
			column{name: colBatchOut, ddl: d.BatchType(), notNull: true, platform: true})
		idx = []string{
			fmt.Sprintf("CREATE UNIQUE INDEX %s ON %s (%s, %s, %s)", q(indexName(ds.merge, "version")), t, q(colKeyHash), q(colOccurrence), q(colBatchIn)),
			fmt.Sprintf("CREATE INDEX %s ON %s (%s, %s, %s)", q(indexName(ds.merge, "current")), t, q(colKeyHash), q(colOccurrence), q(colBatchOut)),
		}
	} else {
		cols = append(cols, column{name: colBatch, ddl: d.BatchType(), notNull: true, platform: true})
		idx = []string{fmt.Sprintf("CREATE UNIQUE INDEX %s ON %s (%s, %s)", q(indexName(ds.merge, "key")), t, q(colKeyHash), q(colOccurrence))}
	}
	spec := tableSpec{name: ds.merge, columns: cols, indexes: idx, milestoning: m}
	if m == ecosystem.Live {
		// A live table's rows are updated in place and no update touches
		// its indexed columns: room left in each page lets the database
		// put the new version beside the old one without a new index entry.
		spec.options = d.UpdatedTableOptions()
	}
	return spec
}

// stagingSpec is the staging table of a dataset: its model columns, the
// hashes, the row's position in the snapshot and its occurrence. Staging
// tables are rebuilt by every batch, so they never need evolving.
func stagingSpec(d dialect.Dialect, ds *datasetPlan) tableSpec {
	cols := append([]column(nil), ds.columns...)
	cols = append(cols,
		column{name: colKeyHash, ddl: d.HashType(), notNull: true, platform: true},
		column{name: colRowHash, ddl: d.HashType(), notNull: true, platform: true},
		column{name: colSeq, ddl: d.BatchType(), notNull: true, platform: true},
		column{name: colOccurrence, ddl: d.BatchType(), notNull: true, platform: true})
	return tableSpec{name: ds.staging, columns: cols}
}

// indexName names an index of a table: "dsl_ix_" and a hash of the table's
// name, so that it fits every identifier limit and never takes a name the
// naming rule gives a table or view.
func indexName(table, what string) string {
	sum := sha256.Sum256([]byte(table))
	return "dsl_ix_" + hex.EncodeToString(sum[:8]) + "_" + what
}

// createTable returns the statement that creates spec.
func createTable(d dialect.Dialect, spec tableSpec) string {
	var b strings.Builder
	b.WriteString("CREATE TABLE ")
	b.WriteString(d.QuoteIdent(spec.name))
	b.WriteString(" (")
	for i, c := range spec.columns {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(d.QuoteIdent(c.name))
		b.WriteString(" ")
		b.WriteString(c.ddl)
		if c.notNull {
			b.WriteString(" NOT NULL")
		}
	}
	b.WriteString(")")
	b.WriteString(spec.options)
	return b.String()
}

// schemaError is a store table that cannot hold the model: nothing was
// changed when it is returned.
type schemaError struct{ msg string }

func (e *schemaError) Error() string { return e.msg }

// tablePlan is the DDL that brings a table in line with the model.
type tablePlan struct {
	stmts []string
	// retypes says that a statement changes a column's type, which
	// PostgreSQL refuses while a view selects the column: the table's
	// views must be dropped first (and are made again afterwards).
	retypes bool
}

// planTable compares spec with the table in the store and returns the DDL
// that brings the table in line: nothing when it already holds the model,
// CREATE TABLE and its indexes when it is missing, ADD COLUMN for a model
// column it lacks and a widening ALTER for a column type the dialect can
// widen in place. A table that cannot hold the model (a platform column
// missing, a type that cannot be widened, a model column made NOT NULL by
// hand) is a *schemaError naming the table, the column and what to do.
func planTable(ctx context.Context, q dialect.Querier, d dialect.Dialect, spec tableSpec) (tablePlan, error) {
	var plan tablePlan
	phys, err := d.TableColumns(ctx, q, spec.name)
	if err != nil {
		return plan, fmt.Errorf("reading the columns of table %s in the merge store: %w", spec.name, err)
	}
	if phys == nil {
		plan.stmts = append([]string{createTable(d, spec)}, spec.indexes...)
		return plan, nil
	}
	byName := make(map[string]dialect.PhysicalColumn, len(phys))
	for _, c := range phys {
		byName[strings.ToLower(c.Name)] = c
	}
	fail := func(format string, args ...any) (tablePlan, error) {
		return tablePlan{}, &schemaError{msg: "merge table " + spec.name + " " + fmt.Sprintf(format, args...)}
	}
	for _, c := range spec.columns {
		pc, ok := byName[strings.ToLower(c.name)]
		switch {
		case !ok && c.platform:
			return fail("has no column %s, so it was not made by this platform with %s milestoning: rename or drop the table, or point the platform at another store", c.name, spec.milestoning)
		case !ok:
			plan.stmts = append(plan.stmts, fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s %s", d.QuoteIdent(spec.name), d.QuoteIdent(c.name), c.ddl))
		case c.platform:
			if !holdsPlatform(d, pc.Type, c) {
				return fail("column %s is %s, not %s: it was not made by this platform; rename or drop the table", c.name, safetext.Line(pc.Type), c.ddl)
			}
		default:
			if !pc.Nullable {
				return fail("column %s is NOT NULL, but the model allows NULL in it (the platform keeps model columns nullable): drop the constraint (ALTER TABLE %s ALTER COLUMN %s DROP NOT NULL) or drop the table", c.name, spec.name, c.name)
			}
			hold, widen := d.CanHold(pc.Type, c.typ)
			switch {
			case hold:
			case widen:
				stmt, err := d.AlterColumnType(spec.name, c.name, c.typ)
				if err != nil {
					return fail("column %s is %s and cannot be widened to hold %s: %v", c.name, safetext.Line(pc.Type), c.typ, err)
				}
				plan.stmts = append(plan.stmts, stmt)
				plan.retypes = true
			default:
				return fail("column %s is %s, which cannot hold the model's %s (%s): widen or drop the column by hand, or fix the model's type", c.name, safetext.Line(pc.Type), c.typ, c.ddl)
			}
		}
	}
	return plan, nil
}

// holdsPlatform reports whether a physical column declared as physical is
// the platform column c: declared as the dialect declares it, or, for the
// batch columns, any type that holds 64-bit integers.
func holdsPlatform(d dialect.Dialect, physical string, c column) bool {
	if strings.EqualFold(strings.TrimSpace(physical), c.ddl) {
		return true
	}
	if c.ddl == d.BatchType() {
		hold, _ := d.CanHold(physical, types.Int64)
		return hold
	}
	return false
}
