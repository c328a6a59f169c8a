package ecosystem

import (
	"encoding/json"

	"github.com/datasurface/datasurface-go/types"
)

// Dataset is a table a producer publishes: its schema, classification and
// lifecycle.
type Dataset struct {
	Name    string    `json:"name"`
	Columns []*Column `json:"columns"`
	// PartitionBy lists the partition columns, in order.
	PartitionBy []string `json:"partition_by,omitempty"`
	// Classifications classify the whole dataset. A dataset is classified
	// either here or on its columns, not both.
	Classifications []string     `json:"classifications,omitempty"`
	Deprecation     *Deprecation `json:"deprecation,omitempty"`
	// Compatibility overrides the ecosystem's compatibility mode for this dataset.
	Compatibility CompatibilityMode `json:"compatibility,omitempty"`
	Meta
	Source
}

// IsDeprecated reports whether the dataset itself is deprecated.
func (d *Dataset) IsDeprecated() bool { return d.Deprecation != nil && d.Deprecation.Deprecated }

// Column returns the named column, or nil.
func (d *Dataset) Column(name string) *Column {
	for _, c := range d.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// PrimaryKey returns the key columns' names, in column order.
func (d *Dataset) PrimaryKey() []string {
	var key []string
	for _, c := range d.Columns {
		if c.Key {
			key = append(key, c.Name)
		}
	}
	return key
}

// IsClassified reports whether the dataset or any of its columns carries a classification.
func (d *Dataset) IsClassified() bool {
	if len(d.Classifications) > 0 {
		return true
	}
	for _, c := range d.Columns {
		if len(c.Classifications) > 0 {
			return true
		}
	}
	return false
}

// AllClassifications returns the dataset's classifications and its columns', in
// first-seen order without repeats.
func (d *Dataset) AllClassifications() []string {
	seen := map[string]bool{}
	var out []string
	add := func(cs []string) {
		for _, c := range cs {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	add(d.Classifications)
	for _, c := range d.Columns {
		add(c.Classifications)
	}
	return out
}

// Column is one column of a dataset.
type Column struct {
	Name string `json:"name"`
	// Type is the column's data type; see package types for the catalogue.
	Type types.Type `json:"-"`
	// Key marks a primary key column. Key columns are not nullable.
	Key bool `json:"key,omitempty"`
	// Nullable says whether the column may hold nulls. Constructors default
	// it to true for non-key columns and false for key columns.
	Nullable        bool     `json:"nullable"`
	Classifications []string `json:"classifications,omitempty"`
	Meta
	Source
}

// MarshalJSON writes the column with its type in canonical syntax.
func (c *Column) MarshalJSON() ([]byte, error) {
	type plain Column // drops this method, keeps the field tags
	typ := ""
	if c.Type != nil {
		typ = c.Type.String()
	}
	return json.Marshal(struct {
		Name string `json:"name"`
		Type string `json:"type"`
		*plain
	}{c.Name, typ, (*plain)(c)})
}
