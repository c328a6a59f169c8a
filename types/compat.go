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
	var c checker
	errOld, errNew := Validate(oldT), Validate(newT)
	if errOld != nil {
		c.add(RuleInvalid, oldT, newT, "the old type is not valid: %v", errOld)
	}
	if errNew != nil {
		c.add(RuleInvalid, oldT, newT, "the new type is not valid: %v", errNew)
	}
	if c.out == nil {
		c.check(oldT, newT)
	}
	return c.out
}

// checker accumulates changes. It keeps the path as a stack of segments
// and joins them only when it records a change, so checking compatible
// types allocates nothing.
type checker struct {
	out  []Change
	segs []segment
}

// segment is one step of a path: "element", or "field" plus a name.
type segment struct{ kind, name string }

func (c *checker) push(kind, name string) { c.segs = append(c.segs, segment{kind, name}) }
func (c *checker) pop()                   { c.segs = c.segs[:len(c.segs)-1] }

// path renders the current location, e.g. "field a > element".
func (c *checker) path() string {
	var b strings.Builder
	for i, s := range c.segs {
		if i > 0 {
			b.WriteString(" > ")
		}
		b.WriteString(s.kind)
		if s.name != "" {
			b.WriteByte(' ')
			b.WriteString(s.name)
		}
	}
	return b.String()
}

func (c *checker) add(rule string, o, n Type, format string, args ...any) {
	c.addText(rule, typeText(o), typeText(n), format, args...)
}

// addText is add with the old and new texts given directly ("" for a side
// that has nothing at the path, as for a removed or added struct field).
func (c *checker) addText(rule, o, n string, format string, args ...any) {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	c.out = append(c.out, Change{Rule: rule, Path: c.path(), Old: o, New: n, Message: msg})
}

// check compares two valid types at the current path; validity bounds the
// recursion by MaxDepth.
func (c *checker) check(o, n Type) {
	if o == n {
		return
	}
	of, nf := o.Family(), n.Family()
	if of != nf {
		if ts, ok := n.(TimestampType); ok && of == FamilyDate {
			// A date is the timestamp at midnight, so date widens to a
			// timestamp; with a zone, though, which midnight is a new choice.
			if ts.zone != "" {
				c.add(RuleTimezoneChanged, o, n, "date replaced by a timestamp in time zone %s: dates carry no zone", ts.zone)
			}
			return
		}
		c.add(RuleFamilyChanged, o, n, "type changed from %s (%s) to %s (%s)", o, of, n, nf)
		return
	}
	switch ov := o.(type) {
	case StringType:
		c.checkString(o, n, ov, n.(StringType))
	case IntegerType:
		c.checkInteger(o, n, ov, n.(IntegerType))
	case DecimalType:
		nd := n.(DecimalType)
		if nd.scale < ov.scale {
			c.add(RuleNarrowed, o, n, "decimal scale reduced from %d to %d", ov.scale, nd.scale)
		}
		if nd.IntegerDigits() < ov.IntegerDigits() {
			c.add(RuleNarrowed, o, n, "decimal integer digits (precision minus scale) reduced from %d to %d",
				ov.IntegerDigits(), nd.IntegerDigits())
		}
	case FloatType:
		of, nf := ov.Format(), n.(FloatType).Format()
		if gaps := floatGaps(of, nf); len(gaps) > 0 {
			c.add(RuleFloatNotRepresentable, o, n, "%s cannot represent every %s value: %s",
				nf.name, of.name, strings.Join(gaps, "; "))
		}
	case MXType:
		c.add(RuleMXFormatChanged, o, n, "block format changed from %s to %s: MX formats replace only themselves", o, n)
	case TimestampType:
		c.checkZone(o, n, ov, n.(TimestampType))
	case BinaryType:
		c.checkLength(o, n, "binary", "length", ov.length, n.(BinaryType).length)
	case ArrayType:
		na := n.(ArrayType)
		c.push("element", "")
		c.check(ov.elem, na.elem)
		c.pop()
		c.checkLength(o, n, "array", "maximum length", ov.maxLen, na.maxLen)
	case MapType:
		nm := n.(MapType)
		c.push("key", "")
		c.check(ov.key, nm.key)
		c.pop()
		c.push("value", "")
		c.check(ov.value, nm.value)
		c.pop()
	case StructType:
		c.checkStruct(ov, n.(StructType))
	case VectorType:
		nv := n.(VectorType)
		switch {
		case nv.dims < ov.dims:
			c.add(RuleNarrowed, o, n, "vector dimensions reduced from %d to %d", ov.dims, nv.dims)
		case nv.dims > ov.dims:
			c.add(RuleVectorDimensionsChanged, o, n,
				"vector dimensions grew from %d to %d: stored vectors have exactly %d", ov.dims, nv.dims, ov.dims)
		}
		if nv.elem != ov.elem {
			c.push("element", "")
			c.check(ov.Elem(), nv.Elem())
			c.pop()
		}
	case GeographyType:
		ng := n.(GeographyType)
		if ng.srid != ov.srid {
			c.add(RuleSRIDChanged, o, n, "spatial reference changed from SRID %d to SRID %d", ov.srid, ng.srid)
		}
		if ng.kind != ov.kind && ng.kind != AnyGeometry {
			c.add(RuleGeometryChanged, o, n, "geometry kind changed from %s to %s", ov.kind, ng.kind)
		}
	}
	// Boolean, date, time, interval and variant have no parameters: two
	// values of one of those families are equal and were handled above.
}

// checkLength reports a bound (0 = unbounded) that shrank or appeared; the
// message names it as "<kind> <what>", e.g. "varchar length".
func (c *checker) checkLength(o, n Type, kind, what string, oldLen, newLen int) {
	switch {
	case newLen == 0:
	case oldLen == 0:
		c.add(RuleNarrowed, o, n, "%s %s bounded to %d (was unbounded)", kind, what, newLen)
	case newLen < oldLen:
		c.add(RuleNarrowed, o, n, "%s %s reduced from %d to %d", kind, what, oldLen, newLen)
	}
}

func (c *checker) checkString(ot, nt Type, o, n StringType) {
	if o.unicode && !n.unicode {
		c.add(RuleUnicodeChanged, ot, nt,
			"unicode %s replaced by non-unicode %s: characters outside the code page would be lost", o.Name(), n.Name())
	}
	if !o.fixed && n.fixed {
		c.add(RuleFixedLengthChanged, ot, nt,
			"variable-length %s replaced by fixed-length %s: shorter values would be padded", o.Name(), n.Name())
	}
	c.checkLength(ot, nt, o.Name(), "length", o.length, n.length)
	if o.collation != n.collation {
		c.add(RuleCollationChanged, ot, nt, "collation changed from %s to %s",
			collationText(o.collation), collationText(n.collation))
	}
}

func collationText(s string) string {
	if s == "" {
		return "the default"
	}
	return strconv.Quote(s)
}

func (c *checker) checkInteger(ot, nt Type, o, n IntegerType) {
	ob, nb := o.Bits(), n.Bits()
	switch {
	case !o.unsigned && n.unsigned:
		c.add(RuleSignednessChanged, ot, nt, "signed %s replaced by unsigned %s: negative values would not fit", o, n)
	case o.unsigned && !n.unsigned && nb <= ob:
		c.add(RuleSignednessChanged, ot, nt, "unsigned %s replaced by signed %s: values above %d would not fit",
			o, n, uint64(1)<<(nb-1)-1)
	}
	if nb < ob {
		c.add(RuleNarrowed, ot, nt, "integer size reduced from %d to %d bits", ob, nb)
	}
}

func (c *checker) checkZone(ot, nt Type, o, n TimestampType) {
	switch {
	case o.zone == n.zone:
	case o.zone == "":
		c.add(RuleTimezoneChanged, ot, nt, "time zone %s added to a timestamp without a zone", n.zone)
	case n.zone == "":
		c.add(RuleTimezoneChanged, ot, nt, "time zone %s removed", o.zone)
	default:
		c.add(RuleTimezoneChanged, ot, nt, "time zone changed from %s to %s", o.zone, n.zone)
	}
}

// checkStruct matches fields by name. Reordering is compatible; a field
// whose name differs only in case is reported as a rename, not a removal.
func (c *checker) checkStruct(o, n StructType) {
	for _, of := range o.body.fields {
		nf, ok := n.FieldByName(of.Name)
		c.push("field", of.Name)
		if !ok {
			if alt, found := fieldFold(n, of.Name); found {
				c.addText(RuleStructFieldRenamed, fieldText(of), fieldText(alt),
					"field %s renamed to %s (names are matched exactly)", of.Name, alt.Name)
			} else {
				c.addText(RuleStructFieldRemoved, fieldText(of), "", "field %s removed", of.Name)
			}
			c.pop()
			continue
		}
		if nf.NotNull && !of.NotNull {
			c.addText(RuleStructFieldNullabilityTight, fieldText(of), fieldText(nf), "field %s became not null", of.Name)
		}
		c.check(of.Type, nf.Type)
		c.pop()
	}
	for _, nf := range n.body.fields {
		if _, ok := o.FieldByName(nf.Name); ok || !nf.NotNull {
			continue
		}
		if _, renamed := fieldFold(o, nf.Name); renamed {
			continue // already reported as a rename
		}
		c.push("field", nf.Name)
		c.addText(RuleStructFieldAddedNotNull, "", fieldText(nf),
			"not-null field %s added: existing values have no value for it", nf.Name)
		c.pop()
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
