package starlark

import (
	"errors"

	sl "go.starlark.net/starlark"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/types"
)

var _ = define("dataset", catData,
	"A table a producer publishes: its columns, partitioning, classification, deprecation and compatibility mode.",
	func(d *definer) func(*call) sl.Value {
		name := d.required("name", "string", "the dataset's name, unique in its store")
		columns := d.optional("columns", "list of column", "[]", "the columns, in order")
		partition := d.optional("partition_by", "list of string", "[]", "the partition columns, in order")
		class := d.optional("classification", "string or list of string", "None",
			"classifies the whole dataset (then no column may be classified)")
		deprecation := d.optional("deprecation", "deprecated", "None", "deprecates the dataset")
		compat := d.optional("compatibility", "string", "None",
			"overrides the ecosystem's compatibility mode for this dataset: FULL, BACKWARD, FORWARD or NONE")
		d.positional(1)
		d.meta()
		d.example(`dataset("customers", columns = [column("id", "varchar(20)", key = True)], classification = "public")`)
		return func(c *call) sl.Value {
			obj, ds := newObject[ecosystem.Dataset](c.spec)
			ds.Name = c.str(name)
			ds.Columns = objectList[ecosystem.Column](c, columns, "column")
			ds.PartitionBy = c.strings(partition)
			ds.Classifications = c.stringOrList(class)
			ds.Deprecation = objectArg[ecosystem.Deprecation](c, deprecation, "deprecated")
			ds.Compatibility = ecosystem.CompatibilityMode(c.enum(compat, "", compatibilityModes))
			ds.Meta = c.meta()
			ds.Source = c.src
			return obj
		}
	})

var _ = define("column", catData,
	"A column of a dataset: name, data type, primary key membership, nullability and classification.",
	func(d *definer) func(*call) sl.Value {
		name := d.required("name", "string", "the column's name")
		typ := d.required("type", "string", "the data type in type syntax, such as \"varchar(20)\", \"decimal(12,2)\", \"fp8_e4m3\" or \"vector(768)\"")
		key := d.optional("key", "bool", "False", "whether the column is part of the primary key")
		nullable := d.optional("nullable", "bool", "not key", "whether the column may hold nulls")
		class := d.optional("classification", "string or list of string", "None", "the column's classifications, such as \"pc1\"")
		d.positional(2)
		d.meta()
		d.example(`column("id", "varchar(20)", key = True)`)
		return func(c *call) sl.Value {
			obj, col := newObject[ecosystem.Column](c.spec)
			col.Name = c.str(name)
			col.Type = c.dataType(typ)
			col.Key = c.boolean(key, false)
			col.Nullable = c.boolean(nullable, !col.Key)
			col.Classifications = c.stringOrList(class)
			col.Meta = c.meta()
			col.Source = c.src
			return obj
		}
	})

// dataType reads a type string. Parsed types are kept per thread: a model
// repeats a handful of types across all its columns, and types are values.
func (c *call) dataType(p param) types.Type {
	s := c.str(p)
	if c.err != nil {
		return nil
	}
	if t, ok := c.st.types[s]; ok {
		return t
	}
	t, err := types.Parse(s)
	if err != nil {
		off := -1
		var se *types.SyntaxError
		var pe *types.ParamError
		switch {
		case errors.As(err, &se):
			off = se.Offset
		case errors.As(err, &pe):
			off = pe.Offset
		}
		c.fail(withHint(newDiag(RuleBadValue, c.literalOffsetPos(p, s, off),
			c.spec.name+": argument "+c.spec.params[p].Name+": bad data type "+quote(s)+": "+err.Error()),
			"write a type from the catalogue in docs/LANGUAGE.md, such as \"varchar(20)\" or \"decimal(12,2)\""))
		return nil
	}
	c.st.types[s] = t
	return t
}
