package types

import (
	"fmt"
	"strconv"
	"strings"
)

// Change is one reason a new type may not replace an old one.
type Change struct {
	// Rule is the stable rule ID, one of Rules().
	Rule string
	// Path locates the change inside the type: "" for the type itself, else
	// segments such as "field b", "element", "key" and "value" joined by
	// " > " (for example "field address > element").
	Path string
	// Old and New are the canonical texts of the old and new types at Path.
	Old, New string
	// Message says what changed, with the values, for example "varchar
	// length reduced from 40 to 20".
	Message string
}

// String renders the change as "RULE at PATH: message" (without " at PATH"
// at the top level).
func (c Change) String() string {
	if c.Path == "" {
		return c.Rule + ": " + c.Message
	}
	return c.Rule + " at " + c.Path + ": " + c.Message
}

// CheckReplace reports whether newT may replace oldT as the type of a column
// whose existing values and consumers were written for oldT. It returns nil
// when the replacement is compatible, else every reason it is not.
//
// The contract: new may replace old when every value of old can be stored in
// new unchanged and everything a consumer of old can name (struct fields)
// still exists. So widening is compatible (longer strings, wider integers,
// more decimal digits on either side of the point, a float format that
// represents every old value, a nullable struct field added, a constraint
// dropped) and everything else is not: narrowing, a change of family (except
// date to a timestamp without a zone), signedness that loses values,
// collation, time zone, spatial reference or geometry changes, removed or
// tightened struct fields. Arrays, maps, structs and vectors are checked
// recursively.
//
// Direction matters and is never guessed: CheckReplace(a, b) and
// CheckReplace(b, a) differ whenever one is a widening of the other. Callers
// that need FORWARD compatibility (old readers of new data) call
// CheckReplace(new, old); FULL checks both directions.
func CheckReplace(oldT, newT Type) []Change {
	if oldT == newT {
		return nil // equal types (including two nils) are always compatible
	}
	c := &checker{}
	for _, side := range []struct {
		name string
		t    Type
	}{{"old", oldT}, {"new", newT}} {
		if err := Validate(side.t); err != nil {
			c.add("", RuleInvalid, oldT, newT, "the %s type is not valid: %v", side.name, err)
		}
	}
	if len(c.out) > 0 {
		return c.out
	}
	c.check("", oldT, newT)
	return c.out
}

// checker accumulates changes.
type checker struct {
	out []Change
}

func (c *checker) add(path, rule string, o, n Type, format string, args ...any) {
	c.addText(path, rule, typeText(o), typeText(n), format, args...)
}

// addText is add with the old and new texts given directly ("" for a side
// that has nothing at path, as for a removed or added struct field).
func (c *checker) addText(path, rule, o, n string, format string, args ...any) {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	c.out = append(c.out, Change{Rule: rule, Path: path, Old: o, New: n, Message: msg})
}

// joinPath appends a segment to a path.
func joinPath(path, seg string) string {
	if path == "" {
		return seg
	}
	return path + " > " + seg
}

// check compares two valid types at path; validity bounds the recursion by
// MaxDepth.
func (c *checker) check(path string, o, n Type) {
	if o == n {
		return
	}
	of, nf := o.Family(), n.Family()
	if of != nf {
		if ts, ok := n.(TimestampType); ok && of == FamilyDate {
			// A date is the timestamp at midnight, so date widens to a
			// timestamp; with a zone, though, which midnight is a new choice.
			if ts.zone != "" {
				c.add(path, RuleTimezoneChanged, o, n, "date replaced by a timestamp in time zone %s: dates carry no zone", ts.zone)
			}
			return
		}
		c.add(path, RuleFamilyChanged, o, n, "type changed from %s (%s) to %s (%s)", o, of, n, nf)
		return
	}
	switch o := o.(type) {
	case StringType:
		c.checkString(path, o, n.(StringType))
	case IntegerType:
		c.checkInteger(path, o, n.(IntegerType))
	case DecimalType:
		nd := n.(DecimalType)
		if nd.scale < o.scale {
			c.add(path, RuleNarrowed, o, n, "decimal scale reduced from %d to %d", o.scale, nd.scale)
		}
		if nd.IntegerDigits() < o.IntegerDigits() {
			c.add(path, RuleNarrowed, o, n, "decimal integer digits (precision minus scale) reduced from %d to %d",
				o.IntegerDigits(), nd.IntegerDigits())
		}
	case FloatType:
		of, nf := o.Format(), n.(FloatType).Format()
		if gaps := floatGaps(of, nf); len(gaps) > 0 {
			c.add(path, RuleFloatNotRepresentable, o, n, "%s cannot represent every %s value: %s",
				nf.name, of.name, strings.Join(gaps, "; "))
		}
	case MXType:
		c.add(path, RuleMXFormatChanged, o, n, "block format changed from %s to %s: MX formats replace only themselves", o, n)
	case TimestampType:
		c.checkZone(path, o, n.(TimestampType))
	case BinaryType:
		c.checkLength(path, o, n, "binary length", o.length, n.(BinaryType).length)
	case ArrayType:
		na := n.(ArrayType)
		c.check(joinPath(path, "element"), o.elem, na.elem)
		c.checkLength(path, o, n, "array maximum length", o.maxLen, na.maxLen)
	case MapType:
		nm := n.(MapType)
		c.check(joinPath(path, "key"), o.key, nm.key)
		c.check(joinPath(path, "value"), o.value, nm.value)
	case StructType:
		c.checkStruct(path, o, n.(StructType))
	case VectorType:
		nv := n.(VectorType)
		switch {
		case nv.dims < o.dims:
			c.add(path, RuleNarrowed, o, n, "vector dimensions reduced from %d to %d", o.dims, nv.dims)
		case nv.dims > o.dims:
			c.add(path, RuleVectorDimensionsChanged, o, n,
				"vector dimensions grew from %d to %d: stored vectors have exactly %d", o.dims, nv.dims, o.dims)
		}
		c.check(joinPath(path, "element"), o.Elem(), nv.Elem())
	case GeographyType:
		ng := n.(GeographyType)
		if ng.srid != o.srid {
			c.add(path, RuleSRIDChanged, o, n, "spatial reference changed from SRID %d to SRID %d", o.srid, ng.srid)
		}
		if ng.kind != o.kind && ng.kind != AnyGeometry {
			c.add(path, RuleGeometryChanged, o, n, "geometry kind changed from %s to %s", o.kind, ng.kind)
		}
	}
	// Boolean, date, time, interval and variant have no parameters: two
	// values of one of those families are equal and were handled above.
}

// checkLength reports a bound (0 = unbounded) that shrank or appeared.
func (c *checker) checkLength(path string, o, n Type, what string, oldLen, newLen int) {
	switch {
	case newLen == 0:
	case oldLen == 0:
		c.add(path, RuleNarrowed, o, n, "%s bounded to %d (was unbounded)", what, newLen)
	case newLen < oldLen:
		c.add(path, RuleNarrowed, o, n, "%s reduced from %d to %d", what, oldLen, newLen)
	}
}

func (c *checker) checkString(path string, o, n StringType) {
	if o.unicode && !n.unicode {
		c.add(path, RuleUnicodeChanged, o, n,
			"unicode %s replaced by non-unicode %s: characters outside the code page would be lost", o.Name(), n.Name())
	}
	if !o.fixed && n.fixed {
		c.add(path, RuleFixedLengthChanged, o, n,
			"variable-length %s replaced by fixed-length %s: shorter values would be padded", o.Name(), n.Name())
	}
	c.checkLength(path, o, n, o.Name()+" length", o.length, n.length)
	if o.collation != n.collation {
		c.add(path, RuleCollationChanged, o, n, "collation changed from %s to %s",
			collationText(o.collation), collationText(n.collation))
	}
}

func collationText(s string) string {
	if s == "" {
		return "the default"
	}
	return strconv.Quote(s)
}

func (c *checker) checkInteger(path string, o, n IntegerType) {
	ob, nb := o.Bits(), n.Bits()
	switch {
	case !o.unsigned && n.unsigned:
		c.add(path, RuleSignednessChanged, o, n, "signed %s replaced by unsigned %s: negative values would not fit", o, n)
	case o.unsigned && !n.unsigned && nb <= ob:
		c.add(path, RuleSignednessChanged, o, n, "unsigned %s replaced by signed %s: values above %d would not fit",
			o, n, uint64(1)<<(nb-1)-1)
	}
	if nb < ob {
		c.add(path, RuleNarrowed, o, n, "integer size reduced from %d to %d bits", ob, nb)
	}
}

func (c *checker) checkZone(path string, o, n TimestampType) {
	switch {
	case o.zone == n.zone:
	case o.zone == "":
		c.add(path, RuleTimezoneChanged, o, n, "time zone %s added to a timestamp without a zone", n.zone)
	case n.zone == "":
		c.add(path, RuleTimezoneChanged, o, n, "time zone %s removed", o.zone)
	default:
		c.add(path, RuleTimezoneChanged, o, n, "time zone changed from %s to %s", o.zone, n.zone)
	}
}

// checkStruct matches fields by name. Reordering is compatible; a field
// whose name differs only in case is reported as a rename, not a removal.
func (c *checker) checkStruct(path string, o, n StructType) {
	for _, of := range o.body.fields {
		fp := joinPath(path, "field "+of.Name)
		nf, ok := n.FieldByName(of.Name)
		if !ok {
			if alt, found := fieldFold(n, of.Name); found {
				c.addText(fp, RuleStructFieldRenamed, fieldText(of), fieldText(alt),
					"field %s renamed to %s (names are matched exactly)", of.Name, alt.Name)
			} else {
				c.addText(fp, RuleStructFieldRemoved, fieldText(of), "", "field %s removed", of.Name)
			}
			continue
		}
		if nf.NotNull && !of.NotNull {
			c.addText(fp, RuleStructFieldNullabilityTight, fieldText(of), fieldText(nf), "field %s became not null", of.Name)
		}
		c.check(fp, of.Type, nf.Type)
	}
	for _, nf := range n.body.fields {
		if _, ok := o.FieldByName(nf.Name); ok || !nf.NotNull {
			continue
		}
		if _, renamed := fieldFold(o, nf.Name); renamed {
			continue // already reported as a rename
		}
		c.addText(joinPath(path, "field "+nf.Name), RuleStructFieldAddedNotNull, "", fieldText(nf),
			"not-null field %s added: existing values have no value for it", nf.Name)
	}
}

// fieldFold finds a field whose name equals name ignoring case.
func fieldFold(t StructType, name string) (Field, bool) {
	for _, f := range t.body.fields {
		if strings.EqualFold(f.Name, name) {
			return f, true
		}
	}
	return Field{}, false
}

// fieldText renders a field's type as in a struct: "varchar(5) not null".
func fieldText(f Field) string {
	if f.NotNull {
		return typeText(f.Type) + " not null"
	}
	return typeText(f.Type)
}
