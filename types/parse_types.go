package types

import (
	"strconv"
	"strings"
)

// This file holds the parse routines for types with parameters; each runs
// after the type's name has been read. Range checks live in the
// constructors, and placeErr points their errors at the offending value.

// lengthParam reads "(n)" or "(max)" after a string or binary name; it
// returns 0 for max. A zero or negative n is an error here because the
// constructors read 0 as "unbounded".
func (p *parser) lengthParam(typ string, allowMax bool) (int, error) {
	if allowMax && p.acceptKeyword("max") {
		return 0, p.expect(')')
	}
	n, off, err := p.number(typ, "length")
	if err != nil {
		return 0, err
	}
	if n < 1 || n > MaxLength {
		return 0, &ParamError{Type: typ, Param: "length", Value: strconv.Itoa(n),
			Reason: "must be between 1 and " + strconv.Itoa(MaxLength), Offset: off}
	}
	return n, p.expect(')')
}

func (p *parser) parseString(at int, fixed, unicode bool) (Type, error) {
	name := stringName(fixed, unicode)
	o := StringOptions{Fixed: fixed, Unicode: unicode}
	if p.accept('(') {
		n, err := p.lengthParam(name, !fixed)
		if err != nil {
			return nil, err
		}
		o.Length = n
	} else if fixed {
		return nil, p.syntax(p.pos, "'('", name+" needs a length, as in "+name+"(10)")
	}
	collOff := -1
	if p.acceptKeyword("collate") {
		c, off, err := p.word("a collation name", func(c byte) bool {
			return isIdentByte(c, false) || c == '-' || c == '.' || c == '@'
		})
		if err != nil {
			return nil, err
		}
		if c == "" {
			return nil, &ParamError{Type: name, Param: "collation", Value: `""`, Reason: "must not be empty", Offset: off}
		}
		o.Collation, collOff = c, off
	}
	t, err := NewString(o)
	if err != nil {
		return nil, placeErr(err, at, "collation", collOff)
	}
	return t, nil
}

func (p *parser) parseDecimal(at int) (Type, error) {
	if !p.accept('(') {
		return nil, p.syntax(p.pos, "'('", "decimal needs a precision, as in decimal(10,2)")
	}
	prec, precOff, err := p.number("decimal", "precision")
	if err != nil {
		return nil, err
	}
	scale, scaleOff := 0, -1
	if p.accept(',') {
		if scale, scaleOff, err = p.number("decimal", "scale"); err != nil {
			return nil, err
		}
	}
	if err := p.expect(')'); err != nil {
		return nil, err
	}
	t, err := NewDecimal(prec, scale)
	if err != nil {
		return nil, placeErr(err, at, "precision", precOff, "scale", scaleOff)
	}
	return t, nil
}

// isZoneByte accepts the bytes of IANA names and offsets.
func isZoneByte(c byte) bool {
	return isIdentByte(c, false) || c == '+' || c == '-' || c == '/' || c == ':'
}

func (p *parser) parseTimestamp(at int) (Type, error) {
	if !p.accept('(') {
		return Timestamp, nil
	}
	if !p.acceptKeyword("tz") {
		return nil, p.syntax(p.pos, "tz=ZONE", "unexpected "+p.describe())
	}
	if err := p.expect('='); err != nil {
		return nil, err
	}
	zone, off, err := p.word("a time zone", isZoneByte)
	if err != nil {
		return nil, err
	}
	if err := p.expect(')'); err != nil {
		return nil, err
	}
	if zone == "" {
		return nil, &ParamError{Type: "timestamp", Param: "tz", Value: `""`, Reason: "must not be empty", Offset: off}
	}
	t, err := NewTimestamp(zone)
	if err != nil {
		return nil, placeErr(err, off)
	}
	return t, nil
}

func (p *parser) parseBinary(at int) (Type, error) {
	if !p.accept('(') {
		return Binary, nil
	}
	n, err := p.lengthParam("binary", true)
	if err != nil {
		return nil, err
	}
	return BinaryType{length: n}, nil
}

func (p *parser) parseArray(at, depth int) (Type, error) {
	if err := p.expect('('); err != nil {
		return nil, err
	}
	elem, err := p.parseType(depth + 1)
	if err != nil {
		return nil, err
	}
	maxLen := 0
	if p.accept(',') {
		n, off, err := p.number("array", "max length")
		if err != nil {
			return nil, err
		}
		if n < 1 || n > MaxLength {
			return nil, &ParamError{Type: "array", Param: "max length", Value: strconv.Itoa(n),
				Reason: "must be between 1 and " + strconv.Itoa(MaxLength), Offset: off}
		}
		maxLen = n
	}
	if err := p.expect(')'); err != nil {
		return nil, err
	}
	return ArrayType{elem: elem, maxLen: maxLen}, nil
}

func (p *parser) parseMap(at, depth int) (Type, error) {
	if err := p.expect('('); err != nil {
		return nil, err
	}
	key, err := p.parseType(depth + 1)
	if err != nil {
		return nil, err
	}
	if err := p.expect(','); err != nil {
		return nil, err
	}
	value, err := p.parseType(depth + 1)
	if err != nil {
		return nil, err
	}
	if err := p.expect(')'); err != nil {
		return nil, err
	}
	return MapType{key: key, value: value}, nil
}

func (p *parser) parseStruct(at, depth int) (Type, error) {
	if err := p.expect('('); err != nil {
		return nil, err
	}
	if p.accept(')') {
		return nil, &ParamError{Type: "struct", Param: "fields", Reason: "a struct needs at least one field", Offset: p.pos - 1}
	}
	var fields []Field
	for {
		name, off, ok := p.ident()
		if !ok {
			return nil, p.syntax(off, "a field name", "unexpected "+p.describe())
		}
		if reason := checkIdent(name); reason != "" {
			return nil, &ParamError{Type: "struct", Param: "field name", Value: strconv.Quote(name), Reason: reason, Offset: off}
		}
		for _, f := range fields {
			if strings.EqualFold(f.Name, name) {
				return nil, &ParamError{Type: "struct", Param: "field name", Value: name,
					Reason: "duplicates field " + f.Name + " (names are unique regardless of case)", Offset: off}
			}
		}
		t, err := p.parseType(depth + 1)
		if err != nil {
			return nil, err
		}
		f := Field{Name: name, Type: t}
		if p.acceptKeyword("not") {
			if !p.acceptKeyword("null") {
				return nil, p.syntax(p.pos, "null", "unexpected "+p.describe())
			}
			f.NotNull = true
		} else {
			p.acceptKeyword("null") // explicitly nullable, the default
		}
		fields = append(fields, f)
		if p.accept(')') {
			break
		}
		if err := p.expect(','); err != nil {
			err.(*SyntaxError).Expected = "',' or ')'"
			return nil, err
		}
	}
	// The fields are already checked, and nested types come from the parser,
	// so only the interning step of NewStruct is needed.
	return StructType{body: internStruct(structText(fields), fields)}, nil
}

func (p *parser) parseVector(at, depth int) (Type, error) {
	if err := p.expect('('); err != nil {
		return nil, err
	}
	dims, dimsOff, err := p.number("vector", "dimensions")
	if err != nil {
		return nil, err
	}
	elem := Binary32.Type()
	if p.accept(',') {
		p.skipSpace()
		elemOff := p.pos
		t, err := p.parseType(depth + 1)
		if err != nil {
			return nil, err
		}
		ft, ok := t.(FloatType)
		if !ok {
			return nil, &ParamError{Type: "vector", Param: "element", Value: t.String(),
				Reason: "must be a float type such as float32 or float16", Offset: elemOff}
		}
		elem = ft
	}
	if err := p.expect(')'); err != nil {
		return nil, err
	}
	t, err := NewVector(dims, elem)
	if err != nil {
		return nil, placeErr(err, dimsOff)
	}
	return t, nil
}

func (p *parser) parseGeography(at int) (Type, error) {
	if !p.accept('(') {
		return Geography, nil
	}
	srid, sridOff := DefaultSRID, -1
	kind, kindOff := AnyGeometry, -1
	parseKind := func() error {
		w, off, ok := p.ident()
		if !ok {
			return p.syntax(off, "a geometry kind", "unexpected "+p.describe())
		}
		k, found := geometryByName(strings.ToLower(w))
		if !found {
			return &ParamError{Type: "geography", Param: "kind", Value: w,
				Reason: "must be one of point, linestring, polygon, multipoint, multilinestring, multipolygon, geometrycollection", Offset: off}
		}
		kind, kindOff = k, off
		return nil
	}
	if p.acceptKeyword("srid") {
		if err := p.expect('='); err != nil {
			return nil, err
		}
		n, off, err := p.number("geography", "srid")
		if err != nil {
			return nil, err
		}
		srid, sridOff = n, off
		if p.accept(',') {
			if err := parseKind(); err != nil {
				return nil, err
			}
		}
	} else if err := parseKind(); err != nil {
		if se, ok := err.(*SyntaxError); ok {
			se.Expected = "srid=N or a geometry kind"
		}
		return nil, err
	}
	if err := p.expect(')'); err != nil {
		return nil, err
	}
	t, err := NewGeography(srid, kind)
	if err != nil {
		return nil, placeErr(err, at, "srid", sridOff, "kind", kindOff)
	}
	return t, nil
}
