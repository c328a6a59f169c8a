package types

import (
	suggestpkg "github.com/datasurface/datasurface-go/internal/suggest"

	"errors"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// MaxDepth is the deepest nesting of array, map, struct and vector types
// that Parse and the constructors accept.
const MaxDepth = 32

// Parse reads a type in the syntax of the catalogue (see Names and
// docs/TYPES.md). Names and keywords are case-insensitive and whitespace
// between tokens is free; field names, collation names and time-zone names
// keep their case. Aliases are accepted and map to the canonical type, so
// Parse(s).String() is the canonical spelling.
//
// A malformed text is a *SyntaxError with the byte offset and what was
// expected there; a well-formed type with a bad parameter is a *ParamError
// naming the parameter and the reason. Parse never panics.
//
// Results for short texts are cached (types are immutable), so parsing the
// same column type many times, as a large model does, is cheap.
func Parse(s string) (Type, error) {
	if v, ok := parseCache.Load(s); ok {
		return v.(Type), nil
	}
	p := &parser{src: s}
	t, err := p.parseType(0)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos < len(p.src) {
		return nil, p.syntax(p.pos, "end of input", "unexpected "+p.describe())
	}
	if len(s) <= parseCacheMaxLen && parseCacheSize.Load() < parseCacheMax {
		if _, loaded := parseCache.LoadOrStore(s, t); !loaded {
			parseCacheSize.Add(1)
		}
	}
	return t, nil
}

// MustParse is Parse for texts known to be valid, such as constants in
// code and tests; it panics on an error.
func MustParse(s string) Type {
	t, err := Parse(s)
	if err != nil {
		panic("types.MustParse(" + strconv.Quote(s) + "): " + err.Error())
	}
	return t
}

// The parse cache is bounded in entry count and key length so hostile or
// fuzzed input cannot grow it without limit.
var (
	parseCache     sync.Map // text -> Type
	parseCacheSize atomic.Int64
)

const (
	parseCacheMax    = 4096
	parseCacheMaxLen = 256
)

// parser is a recursive-descent parser over the text; pos is a byte offset.
type parser struct {
	src string
	pos int
}

func (p *parser) syntax(at int, expected, msg string) *SyntaxError {
	return &SyntaxError{Offset: at, Expected: expected, Msg: msg}
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func (p *parser) skipSpace() {
	for p.pos < len(p.src) && isSpace(p.src[p.pos]) {
		p.pos++
	}
}

// describe names what is at the current position, for messages.
func (p *parser) describe() string {
	if p.pos >= len(p.src) {
		return "end of input"
	}
	if isIdentByte(p.src[p.pos], true) {
		end := p.pos + 1
		for end < len(p.src) && isIdentByte(p.src[end], false) {
			end++
		}
		return strconv.Quote(p.src[p.pos:end])
	}
	r, _ := utf8.DecodeRuneInString(p.src[p.pos:])
	return strconv.QuoteRune(r)
}

// accept consumes c (after spaces) when it is next.
func (p *parser) accept(c byte) bool {
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == c {
		p.pos++
		return true
	}
	return false
}

func (p *parser) expect(c byte) error {
	if p.accept(c) {
		return nil
	}
	return p.syntax(p.pos, "'"+string(c)+"'", "unexpected "+p.describe())
}

// ident reads an identifier and returns it with its offset.
func (p *parser) ident() (string, int, bool) {
	p.skipSpace()
	start := p.pos
	if start >= len(p.src) || !isIdentByte(p.src[start], true) {
		return "", start, false
	}
	p.pos++
	for p.pos < len(p.src) && isIdentByte(p.src[p.pos], false) {
		p.pos++
	}
	return p.src[start:p.pos], start, true
}

// acceptKeyword consumes the keyword kw (case-insensitive) when it is next.
func (p *parser) acceptKeyword(kw string) bool {
	p.skipSpace() // consumed either way, so errors point at the next token
	save := p.pos
	if w, _, ok := p.ident(); ok && strings.EqualFold(w, kw) {
		return true
	}
	p.pos = save
	return false
}

// number reads an optionally negative decimal integer for parameter param
// of type typ; the constructors then judge its range.
func (p *parser) number(typ, param string) (int, int, error) {
	p.skipSpace()
	start := p.pos
	if p.pos < len(p.src) && p.src[p.pos] == '-' {
		p.pos++
	}
	digits := p.pos
	for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
		p.pos++
	}
	if p.pos == digits {
		p.pos = start
		return 0, start, p.syntax(start, "a number", "unexpected "+p.describe())
	}
	text := p.src[start:p.pos]
	if p.pos-digits > 12 {
		return 0, start, &ParamError{Type: typ, Param: param, Value: text, Reason: "is too large", Offset: start}
	}
	n, _ := strconv.Atoi(text) // at most 12 digits: cannot fail
	return n, start, nil
}

// word reads a quoted string ('...' or "...", no escapes) or a bare run of
// bytes accepted by ok, for collation and time-zone names.
func (p *parser) word(expected string, ok func(byte) bool) (string, int, error) {
	p.skipSpace()
	start := p.pos
	if p.pos < len(p.src) && (p.src[p.pos] == '"' || p.src[p.pos] == '\'') {
		q := p.src[p.pos]
		end := strings.IndexByte(p.src[p.pos+1:], q)
		if end < 0 {
			return "", start, p.syntax(len(p.src), "a closing "+string(q), "unterminated quoted name")
		}
		p.pos += end + 2
		return p.src[start+1 : p.pos-1], start, nil
	}
	for p.pos < len(p.src) && ok(p.src[p.pos]) {
		p.pos++
	}
	if p.pos == start {
		return "", start, p.syntax(start, expected, "unexpected "+p.describe())
	}
	return p.src[start:p.pos], start, nil
}

// placeErr sets the offset of a constructor's *ParamError to where its
// parameter was read: offs pairs parameter names with offsets; any other
// parameter is placed at def.
func placeErr(err error, def int, offs ...any) error {
	var pe *ParamError
	if errors.As(err, &pe) && pe.Offset < 0 {
		pe.Offset = def
		for i := 0; i+1 < len(offs); i += 2 {
			if name, _ := offs[i].(string); name == pe.Param {
				pe.Offset, _ = offs[i+1].(int)
			}
		}
	}
	return err
}

// parseType reads one type at nesting depth depth.
func (p *parser) parseType(depth int) (Type, error) {
	if depth > MaxDepth {
		p.skipSpace()
		return nil, p.syntax(p.pos, "", "types nested more than "+strconv.Itoa(MaxDepth)+" levels deep")
	}
	name, at, ok := p.ident()
	if !ok {
		return nil, p.syntax(at, "a type name", "unexpected "+p.describe())
	}
	lower := strings.ToLower(name)
	e := byName[lower]
	if e == nil {
		msg := "unknown type " + strconv.Quote(name)
		if s := suggest(lower); s != "" {
			msg += " (did you mean " + strconv.Quote(s) + "?)"
		}
		return nil, p.syntax(at, "a type name", msg)
	}
	return e.parse(p, at, depth)
}

// noParams finishes a type that takes no parameters.
func (p *parser) noParams(at int, t Type) (Type, error) {
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == '(' {
		return nil, p.syntax(p.pos, "no parameters", t.String()+" takes no parameters")
	}
	return t, nil
}

// suggest returns the catalogue name closest to s when it is a likely typo.
func suggest(s string) string {
	if len(s) > 64 {
		return "" // not a mistyped name; and keeps the distance cheap
	}
	best, _ := suggestpkg.Closest(s, catalogueNames())
	return best
}

// catalogueNames lists every name the catalogue accepts, in catalogue order.
// It runs only on the error path, so it is not worth caching.
func catalogueNames() []string {
	names := make([]string, len(catalogue))
	for i, e := range catalogue {
		names[i] = e.info.Name
	}
	return names
}
