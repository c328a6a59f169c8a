package types

import (
	"fmt"
	"strings"
)

// SyntaxError reports text that is not a well-formed type: an unknown name, a
// missing parenthesis, a stray character. Offset is the byte offset in the
// parsed text where the problem was found, Expected says what the parser was
// looking for there (for example "')'" or "a type name"), and Msg describes what
// it found instead.
type SyntaxError struct {
	Offset   int
	Expected string
	Msg      string
}

// Error renders the error as "type syntax error at offset N: msg (expected X)".
func (e *SyntaxError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "type syntax error at offset %d", e.Offset)
	if e.Msg != "" {
		b.WriteString(": ")
		b.WriteString(e.Msg)
	}
	if e.Expected != "" {
		b.WriteString(" (expected ")
		b.WriteString(e.Expected)
		b.WriteString(")")
	}
	return b.String()
}

// ParamError reports a well-formed type whose parameter is out of range, such
// as a decimal scale above its precision, a zero length or an unknown time
// zone. Type is the canonical type name ("decimal"), Param the parameter
// ("scale"), Value the offending value as written, and Reason why it is
// rejected ("must not exceed the precision 3"). Offset is the byte offset of
// the value in the parsed text, or -1 when the error comes from a constructor.
type ParamError struct {
	Type   string
	Param  string
	Value  string
	Reason string
	Offset int
}

// Error renders the error as "decimal: scale 5: must not exceed the precision 3",
// followed by the offset when the error came from Parse.
func (e *ParamError) Error() string {
	var b strings.Builder
	b.WriteString(e.Type)
	b.WriteString(": ")
	b.WriteString(e.Param)
	if e.Value != "" {
		b.WriteString(" ")
		b.WriteString(e.Value)
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	if e.Offset >= 0 {
		fmt.Fprintf(&b, " (at offset %d)", e.Offset)
	}
	return b.String()
}

// paramErr builds a constructor-side ParamError (no offset); the parser fills
// in the offset of the value it read.
func paramErr(typ, param, value, reason string) *ParamError {
	return &ParamError{Type: typ, Param: param, Value: value, Reason: reason, Offset: -1}
}
