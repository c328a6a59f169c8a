package sqlplatform

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/internal/safetext"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/value"
	"github.com/datasurface/datasurface-go/types"
)

// Watermark capture (docs/SQL_PLATFORM.md, "Watermarks"): a batch reads the
// rows whose watermark column is at or above a lower bound, stages them like
// a snapshot and upserts them: new keys are inserted, changed rows updated
// (or given a new version), and nothing is deleted, since a watermark cannot
// see deletes.
//
// The bound of batch N is the highest watermark any committed batch has
// read (kept in the batch records), minus the lag. Reading at or above it
// (not strictly above) takes every row that shares the highest value, and
// the lag reads again the rows that committed late at the source with an
// older watermark. A row read twice is no change the second time (its row
// hash is the same), so the overlap never applies a row twice; and the
// bound never waits for anything, so no row is held back. Rows whose
// watermark is NULL are read by every batch. A batch killed mid-way is
// redone from the same bound: the committed records decide it.

// sourceFilter restricts a source query: " WHERE ..." and its arguments.
type sourceFilter struct {
	where string
	args  []any
}

// watermarkColumn returns the index of the watermark column of ds under
// capture c, or false when c is not a watermark capture.
func watermarkColumn(ds *datasetPlan, c *ecosystem.Capture) (int, bool) {
	if c == nil || c.Kind != ecosystem.SQLWatermark {
		return 0, false
	}
	for i, col := range ds.columns {
		if col.name == c.WatermarkColumn {
			return i, true
		}
	}
	return 0, false
}

// watermarkTypeOK reports whether a column of type t can be a watermark:
// integers, dates and timestamps, the types whose order the source and
// the platform agree on.
func watermarkTypeOK(t types.Type) bool {
	switch t.(type) {
	case types.IntegerType, types.DateType, types.TimestampType:
		return true
	}
	return false
}

// watermarkText writes a canonical watermark value for the batch record.
func watermarkText(v any) (string, error) {
	switch v := v.(type) {
	case int64:
		return strconv.FormatInt(v, 10), nil
	case uint64:
		return strconv.FormatUint(v, 10), nil
	case value.Date:
		return fmt.Sprintf("%04d-%02d-%02d", v.Year, v.Month, v.Day), nil
	case time.Time:
		return v.UTC().Format(time.RFC3339Nano), nil
	}
	return "", fmt.Errorf("a %T cannot be a watermark", v)
}

// parseWatermark reads what watermarkText wrote, as a value of type t.
func parseWatermark(t types.Type, s string) (any, error) {
	switch t := t.(type) {
	case types.IntegerType:
		if t.Unsigned() && t.Bits() == 64 {
			return strconv.ParseUint(s, 10, 64)
		}
		return strconv.ParseInt(s, 10, 64)
	case types.DateType:
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return nil, err
		}
		return value.Date{Year: d.Year(), Month: d.Month(), Day: d.Day()}, nil
	case types.TimestampType:
		return time.Parse(time.RFC3339Nano, s)
	}
	return nil, fmt.Errorf("type %s cannot be a watermark", t)
}

// lowerBound is the bound a batch reads from, given the highest watermark
// read so far: that value minus the lag (whole days, rounded up, for a
// date). It saturates instead of wrapping around.
func lowerBound(high any, lag time.Duration, lagValues int64) any {
	switch h := high.(type) {
	case int64:
		if h < -1<<63+lagValues {
			return int64(-1 << 63)
		}
		return h - lagValues
	case uint64:
		if h < uint64(lagValues) {
			return uint64(0)
		}
		return h - uint64(lagValues)
	case value.Date:
		days := int((lag + 24*time.Hour - 1) / (24 * time.Hour))
		d := time.Date(h.Year, h.Month, h.Day, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -days)
		return value.Date{Year: d.Year(), Month: d.Month(), Day: d.Day()}
	case time.Time:
		return h.Add(-lag)
	}
	return high
}

// previousHigh returns the highest watermark the stream's committed batches
// have read for dataset ds, as recorded by the latest committed batch, or
// "" when none has (the first batch reads every row).
func (b *batchRun) previousHigh(ctx context.Context, ds *datasetPlan) (string, error) {
	st := b.r.st
	last, err := lastCommitted(ctx, st.db, st.d, b.s.name)
	if err != nil || last == nil {
		return "", err
	}
	for _, dr := range last.datasets {
		if dr.Name == ds.name {
			return dr.WatermarkHigh, nil
		}
	}
	return "", nil
}

// watermarkFilter returns the filter of a watermark batch's source query
// for dataset ds: the rows at or above the bound, and those whose
// watermark is NULL; nil (every row) for the first batch. It also returns
// the bound, as recorded text ("" for none).
func (b *batchRun) watermarkFilter(ctx context.Context, src *Source, srcCol dialect.PhysicalColumn, ds *datasetPlan, i int) (*sourceFilter, string, string, error) {
	prev, err := b.previousHigh(ctx, ds)
	if err != nil || prev == "" {
		return nil, "", prev, err
	}
	t := ds.columns[i].typ
	high, err := parseWatermark(t, prev)
	if err != nil {
		// The model changed the column's type since: read every row again,
		// which the upsert makes harmless.
		b.r.log.Warn("reading the whole table: the recorded watermark does not parse as the column's type", "stream", b.s.name, "dataset", ds.name, "watermark", prev, "err", err)
		return nil, "", "", nil
	}
	bound := lowerBound(high, b.r.p.set.watermarkLag, b.r.p.set.watermarkLagValues)
	arg, err := src.Dialect.Encode(t, bound)
	if err != nil {
		return nil, "", "", fmt.Errorf("column %s: the watermark bound %s: %w", ds.columns[i].name, safetext.Line(value.Show(bound)), err)
	}
	from, err := watermarkText(bound)
	if err != nil {
		return nil, "", "", err
	}
	col := src.Dialect.QuoteIdent(srcCol.Name)
	return &sourceFilter{where: fmt.Sprintf(" WHERE (%s >= %s OR %s IS NULL)", col, src.Dialect.Placeholder(1), col), args: []any{arg}}, from, prev, nil
}

// highestWatermark reads the highest watermark of the rows filter takes,
// through q (the batch's read transaction, so it sees what staging saw),
// and returns it as recorded text, or prev when the rows have none higher.
func highestWatermark(ctx context.Context, src *Source, q dialect.Querier, table string, srcCol dialect.PhysicalColumn, t types.Type, filter *sourceFilter, prev string) (string, error) {
	sq := src.Dialect.QuoteIdent
	stmt := "SELECT MAX(" + src.Dialect.SelectColumn(srcCol, t) + ") FROM " + sq(table)
	var args []any
	if filter != nil {
		stmt += filter.where
		args = filter.args
	}
	var raw any
	if err := q.QueryRowContext(ctx, stmt, args...).Scan(&raw); err != nil {
		return "", fmt.Errorf("reading the highest watermark of table %s of source %s: %w", safetext.Line(table), src.Where, err)
	}
	if raw == nil {
		return prev, nil
	}
	v, err := src.Dialect.Decode(t, raw)
	if err != nil {
		return "", fmt.Errorf("column %s: the highest watermark: %w", srcCol.Name, err)
	}
	text, err := watermarkText(v)
	if err != nil {
		return "", err
	}
	if prev != "" {
		if p, err := parseWatermark(t, prev); err == nil && compareWatermarks(p, v) > 0 {
			// Rows can move back (an update lowering the watermark); the
			// bound never does, so no row above it is read twice for long.
			return prev, nil
		}
	}
	return text, nil
}

// compareWatermarks orders two watermark values of one type.
func compareWatermarks(a, b any) int {
	switch a := a.(type) {
	case int64:
		return cmpOrdered(a, b.(int64))
	case uint64:
		return cmpOrdered(a, b.(uint64))
	case value.Date:
		bd := b.(value.Date)
		return cmpOrdered(a.Year*10000+int(a.Month)*100+a.Day, bd.Year*10000+int(bd.Month)*100+bd.Day)
	case time.Time:
		return a.Compare(b.(time.Time))
	}
	return 0
}

func cmpOrdered[T int | int64 | uint64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
