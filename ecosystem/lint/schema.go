package lint

import (
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// forEachDataset calls fn for every dataset of the model, in model order.
func forEachDataset(p *pass, fn func(s ecosystem.StoreRef, ds *ecosystem.Dataset)) {
	for _, s := range p.stores {
		for _, ds := range s.Store.Datasets {
			fn(s, ds)
		}
	}
}

func datasetPath(s ecosystem.StoreRef, ds *ecosystem.Dataset) string {
	return ecosystem.DatasetPath(s.Zone.Name, s.Team.Name, s.Store.Name, ds.Name)
}

func columnPath(s ecosystem.StoreRef, ds *ecosystem.Dataset, c *ecosystem.Column) string {
	return ecosystem.ColumnPath(s.Zone.Name, s.Team.Name, s.Store.Name, ds.Name, c.Name)
}

// checkNoColumns implements DATASET_NO_COLUMNS: a dataset is a table and a
// table has columns.
func checkNoColumns(p *pass, r *reporter) {
	forEachDataset(p, func(s ecosystem.StoreRef, ds *ecosystem.Dataset) {
		if len(ds.Columns) == 0 {
			r.report(datasetPath(s, ds), ds.ArgPos("columns"), "dataset %q of datastore %q has no columns", ds.Name, s.Store.Name)
		}
	})
}

// checkPrimaryKey implements DATASET_NO_PRIMARY_KEY: every dataset has a
// primary key, because merging captured batches, live (SCD1) and history
// (SCD2) milestoning all identify records by key. The reference let keyless
// tables pass its lint. Datasets without columns are left to
// DATASET_NO_COLUMNS.
func checkPrimaryKey(p *pass, r *reporter) {
	forEachDataset(p, func(s ecosystem.StoreRef, ds *ecosystem.Dataset) {
		if len(ds.Columns) == 0 {
			return
		}
		for _, c := range ds.Columns {
			if c.Key {
				return
			}
		}
		d := r.diag(datasetPath(s, ds), ds.ArgPos("columns"), "dataset %q of datastore %q has no primary key: none of its %d columns is marked key = True", ds.Name, s.Store.Name, len(ds.Columns))
		d.Hint = "mark the column(s) that identify a record with key = True, for example " + `column("` + ds.Columns[0].Name + `", ..., key = True)`
		r.add(d)
	})
}

// checkKeyNullable implements KEY_COLUMN_NULLABLE: a primary key column
// cannot hold nulls (SQL forbids it and a null key cannot be merged).
func checkKeyNullable(p *pass, r *reporter) {
	forEachDataset(p, func(s ecosystem.StoreRef, ds *ecosystem.Dataset) {
		for _, c := range ds.Columns {
			if c.Key && c.Nullable {
				d := r.diag(columnPath(s, ds, c), c.ArgPos("nullable"), "key column %q of dataset %q is nullable", c.Name, s.Store.Name+"."+ds.Name)
				d.Hint = "remove nullable = True (key columns are not nullable by default), or take the column out of the key"
				d.Related = related(d.Related, c.ArgPos("key"), "marked as key here")
				r.add(d)
			}
		}
	})
}

// checkPartitions implements PARTITION_COLUMN_UNKNOWN: partition_by names
// columns of the dataset.
func checkPartitions(p *pass, r *reporter) {
	forEachDataset(p, func(s ecosystem.StoreRef, ds *ecosystem.Dataset) {
		for _, name := range ds.PartitionBy {
			if ds.Column(name) != nil {
				continue
			}
			names := make([]string, len(ds.Columns))
			for i, c := range ds.Columns {
				names[i] = c.Name
			}
			d := r.diag(datasetPath(s, ds), ds.ArgPos("partition_by"), "dataset %q of datastore %q is partitioned by %q, which is not one of its columns", ds.Name, s.Store.Name, name)
			d.Hint = didYouMean(name, names, "partition by columns of the dataset: "+strings.Join(names, ", "))
			r.add(d)
		}
	})
}

// checkColumnTypes implements COLUMN_TYPE_MISSING: every column has a data
// type. The Starlark builtins always set one; a model built in Go may not,
// and every later stage (compatibility, DDL) needs it.
func checkColumnTypes(p *pass, r *reporter) {
	forEachDataset(p, func(s ecosystem.StoreRef, ds *ecosystem.Dataset) {
		for _, c := range ds.Columns {
			if c.Type == nil {
				r.report(columnPath(s, ds, c), c.ArgPos("type"), "column %q of dataset %q has no data type", c.Name, s.Store.Name+"."+ds.Name)
			}
		}
	})
}
