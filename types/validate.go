package types

import "strconv"

// Validate returns nil when t is a valid type, that is one that Parse maps
// its canonical string back to. Types from Parse and the constructors are
// always valid; nil and the zero values of DecimalType, ArrayType, MapType,
// StructType and VectorType are not. The error is a *ParamError.
func Validate(t Type) error {
	return validate(t, 0)
}

func validate(t Type, depth int) error {
	if depth > MaxDepth {
		return paramErr("type", "nesting", strconv.Itoa(depth), "must be at most "+strconv.Itoa(MaxDepth)+" levels deep")
	}
	switch t := t.(type) {
	case nil:
		return paramErr("type", "type", "", "is missing")
	case DecimalType:
		if t.precision == 0 || t.precision > MaxDecimalPrecision || t.scale > t.precision {
			return paramErr("decimal", "precision", strconv.Itoa(int(t.precision)), "is not a valid decimal (use NewDecimal)")
		}
	case IntegerType:
		if int(t.size) >= len(intBits) {
			return paramErr("integer", "bits", "", "is not a valid integer width")
		}
	case FloatType:
		if formatByID(t.id) == nil {
			return paramErr("float", "format", "", "is not a known float format")
		}
	case MXType:
		if mxByID(t.id) == nil {
			return paramErr("mx", "format", "", "is not a known block format")
		}
	case TimestampType:
		if t.zone != "" {
			if _, err := loadZone(t.zone); err != nil {
				return paramErr("timestamp", "tz", t.zone, "unknown time zone")
			}
		}
	case ArrayType:
		if err := validate(t.elem, depth+1); err != nil {
			return err
		}
	case MapType:
		if err := validate(t.key, depth+1); err != nil {
			return err
		}
		return validate(t.value, depth+1)
	case StructType:
		if t.body == nil {
			return paramErr("struct", "fields", "", "a struct needs at least one field (use NewStruct)")
		}
		for _, f := range t.body.fields {
			if err := validate(f.Type, depth+1); err != nil {
				return err
			}
		}
	case VectorType:
		if t.dims < 1 || formatByID(t.elem) == nil {
			return paramErr("vector", "dimensions", strconv.Itoa(int(t.dims)), "must be between 1 and "+strconv.Itoa(MaxVectorDims))
		}
	case GeographyType:
		if t.srid < 0 || t.srid > maxSRID || t.kind >= geometryKindCount {
			return paramErr("geography", "srid", strconv.Itoa(int(t.srid)), "is not a valid geography (use NewGeography)")
		}
	}
	return nil
}
