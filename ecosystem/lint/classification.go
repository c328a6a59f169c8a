package lint

import (
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// A dataset is classified either as a whole (dataset(classification = ...))
// or column by column; in the second case every column needs a
// classification, since an unclassified column is data nobody has assessed.

// unclassifiedColumns returns the columns without a classification when the
// dataset has none of its own; nil when the dataset is classified.
func unclassifiedColumns(ds *ecosystem.Dataset) []*ecosystem.Column {
	if len(ds.Classifications) > 0 {
		return nil
	}
	var out []*ecosystem.Column
	for _, c := range ds.Columns {
		if len(c.Classifications) == 0 {
			out = append(out, c)
		}
	}
	return out
}

// isUnclassified reports whether the dataset lacks a classification at
// dataset level and on at least one column (or has no columns at all).
func isUnclassified(ds *ecosystem.Dataset) bool {
	if len(ds.Classifications) > 0 {
		return false
	}
	if len(ds.Columns) == 0 {
		return true
	}
	for _, c := range ds.Columns {
		if len(c.Classifications) == 0 {
			return true
		}
	}
	return false
}

// unclassified builds the finding shared by DATASET_UNCLASSIFIED and
// PRODUCTION_UNCLASSIFIED: it points at the first unclassified column when
// the dataset is classified column by column, else at the dataset.
func unclassified(r *reporter, s ecosystem.StoreRef, ds *ecosystem.Dataset, prefix string) ecosystem.Diagnostic {
	cols := unclassifiedColumns(ds)
	if len(cols) == len(ds.Columns) {
		d := r.diag(datasetPath(s, ds), ds.Pos, "%sdataset %q of datastore %q has no classification", prefix, ds.Name, s.Store.Name)
		d.Hint = `classify the dataset, for example classification = "public", or classify every column`
		return d
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	d := r.diag(datasetPath(s, ds), cols[0].Pos, "%sdataset %q of datastore %q is classified by column, but columns %s have no classification", prefix, ds.Name, s.Store.Name, strings.Join(names, ", "))
	d.Hint = "classify every column, or classify the dataset as a whole and remove the column classifications"
	return d
}

// checkUnclassified implements DATASET_UNCLASSIFIED: a warning for datasets
// of non-production stores (production ones are PRODUCTION_UNCLASSIFIED).
func checkUnclassified(p *pass, r *reporter) {
	forEachDataset(p, func(s ecosystem.StoreRef, ds *ecosystem.Dataset) {
		if !s.Store.Production && isUnclassified(ds) {
			r.add(unclassified(r, s, ds, ""))
		}
	})
}

// checkProductionUnclassified implements PRODUCTION_UNCLASSIFIED: every
// dataset of a production store is classified, since policies decide who
// may consume production data from its classification.
func checkProductionUnclassified(p *pass, r *reporter) {
	forEachDataset(p, func(s ecosystem.StoreRef, ds *ecosystem.Dataset) {
		if s.Store.Production && isUnclassified(ds) {
			d := unclassified(r, s, ds, "production ")
			d.Related = related(d.Related, s.Store.ArgPos("production"), "datastore marked production here")
			r.add(d)
		}
	})
}

// checkBothLevels implements CLASSIFICATION_BOTH_LEVELS: a dataset is
// classified as a whole or column by column, not both, because the two could
// disagree and no reader could tell which one holds.
func checkBothLevels(p *pass, r *reporter) {
	forEachDataset(p, func(s ecosystem.StoreRef, ds *ecosystem.Dataset) {
		if len(ds.Classifications) == 0 {
			return
		}
		var names []string
		var rel []ecosystem.Related
		for _, c := range ds.Columns {
			if len(c.Classifications) > 0 {
				names = append(names, c.Name)
				rel = related(rel, c.ArgPos("classification"), "column "+quote(c.Name)+" classified here")
			}
		}
		if len(names) == 0 {
			return
		}
		d := r.diag(datasetPath(s, ds), ds.ArgPos("classification"), "dataset %q of datastore %q is classified as %s and so are its columns %s", ds.Name, s.Store.Name, strings.Join(ds.Classifications, ", "), strings.Join(names, ", "))
		d.Related = rel
		r.add(d)
	})
}
