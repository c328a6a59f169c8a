package starlark

import (
	"slices"
	"strconv"
	"strings"
	"sync"

	sl "go.starlark.net/starlark"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// BuiltinDoc documents one builtin function of the model language. The
// registry (Builtins) is the single source of the reference in
// docs/LANGUAGE.md and of editor stubs.
type BuiltinDoc struct {
	// Name is the function's name, which is also the type name of the values it returns.
	Name string `json:"name"`
	// Doc says what the function builds, in one or two sentences.
	Doc string `json:"doc"`
	// Category groups builtins in the reference ("ecosystem", "data", ...).
	Category string `json:"category"`
	// Positional is how many leading parameters may be passed positionally;
	// the others must be passed by keyword.
	Positional int `json:"positional"`
	// Params lists the parameters in order, including doc and tags where taken.
	Params []ParamDoc `json:"params"`
	// Example is a short call, valid Starlark.
	Example string `json:"example"`
}

// ParamDoc documents one parameter of a builtin.
type ParamDoc struct {
	Name string `json:"name"`
	// Type is the accepted type in words ("string", "bool", "list of column").
	Type     string `json:"type"`
	Required bool   `json:"required"`
	// Default is the value used when the argument is omitted, as Starlark
	// (or a phrase such as "not key"); empty for required parameters.
	Default string `json:"default,omitempty"`
	Doc     string `json:"doc"`
}

// maxParams bounds the parameters of one builtin, so that a call's arguments
// fit a fixed array and binding allocates nothing.
const maxParams = 16

// builtinSpec is a builtin's definition: its documentation, parameters and
// implementation.
type builtinSpec struct {
	name     string
	doc      string
	category string
	example  string
	npos     int
	params   []ParamDoc
	docIdx   int // index of the doc parameter, or -1
	tagsIdx  int // index of the tags parameter, or -1
	impl     func(c *call) sl.Value

	attrOnce sync.Once
	attrs    *attrTable
}

// index returns the index of the named parameter, or -1.
func (s *builtinSpec) index(name string) int {
	for i := range s.params {
		if s.params[i].Name == name {
			return i
		}
	}
	return -1
}

func (s *builtinSpec) paramNames() []string {
	out := make([]string, len(s.params))
	for i := range s.params {
		out[i] = s.params[i].Name
	}
	return out
}

// param is the index of a parameter of the builtin being defined; builtin
// implementations read their arguments through it.
type param int

// definer builds a builtinSpec; see define.
type definer struct{ s *builtinSpec }

// required adds a required parameter.
func (d *definer) required(name, typ, doc string) param {
	d.s.params = append(d.s.params, ParamDoc{Name: name, Type: typ, Required: true, Doc: doc})
	return param(len(d.s.params) - 1)
}

// optional adds an optional parameter with the default it documents.
func (d *definer) optional(name, typ, def, doc string) param {
	d.s.params = append(d.s.params, ParamDoc{Name: name, Type: typ, Default: def, Doc: doc})
	return param(len(d.s.params) - 1)
}

// positional lets the first n parameters be passed positionally.
func (d *definer) positional(n int) { d.s.npos = n }

// meta adds the doc and tags parameters every documented object takes.
func (d *definer) meta() {
	d.s.docIdx = int(d.optional("doc", "string", `""`, "documentation of the object"))
	d.s.tagsIdx = int(d.optional("tags", "dict of string to string", "{}", "free-form tags (owner, cost centre, ...)"))
}

// example sets the documented example call.
func (d *definer) example(code string) { d.s.example = code }

// builtins is the registry, in documentation order.
var builtins []*builtinSpec

// define registers a builtin. build declares the parameters and returns the
// implementation, which reads arguments through the param indexes it
// captured, so a parameter's declaration and its use cannot drift apart.
func define(name, category, doc string, build func(d *definer) func(c *call) sl.Value) *builtinSpec {
	s := &builtinSpec{name: name, category: category, doc: doc, docIdx: -1, tagsIdx: -1}
	s.impl = build(&definer{s})
	if len(s.params) > maxParams {
		panic("starlark: builtin " + name + " has more than maxParams parameters")
	}
	builtins = append(builtins, s)
	specsByName.Store(name, s)
	return s
}

// registry returns the builtins in reference order: by category, then in
// definition order.
var registry = sync.OnceValue(func() []*builtinSpec {
	out := slices.Clone(builtins)
	slices.SortStableFunc(out, func(a, b *builtinSpec) int {
		return slices.Index(categoryOrder, a.category) - slices.Index(categoryOrder, b.category)
	})
	return out
})

// Builtins returns the documentation of every builtin, in reference order
// (grouped by category).
func Builtins() []BuiltinDoc {
	reg := registry()
	out := make([]BuiltinDoc, len(reg))
	for i, s := range reg {
		out[i] = BuiltinDoc{Name: s.name, Doc: s.doc, Category: s.category, Positional: s.npos,
			Params: slices.Clone(s.params), Example: s.example}
	}
	return out
}

var predeclared = sync.OnceValue(func() sl.StringDict {
	d := make(sl.StringDict, len(builtins)+1)
	for _, s := range registry() {
		d[s.name] = &builtinFn{spec: s}
	}
	d["range"] = boundedRange // shadows the universe's (see MaxRange)
	for name, v := range guardedBuiltins() {
		d[name] = v // guards, and the universe's copies and conversions, guarded (see guard.go)
	}
	d.Freeze()
	return d
})

// builtinNames returns the builtin names and the Starlark universe's, sorted,
// as did-you-mean candidates for unknown names.
var builtinNames = sync.OnceValue(func() []string {
	var names []string
	for _, s := range builtins {
		names = append(names, s.name)
	}
	for n := range sl.Universe {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
})

// builtinFn is the Starlark callable of a builtin.
type builtinFn struct{ spec *builtinSpec }

var _ sl.Callable = (*builtinFn)(nil)

func (b *builtinFn) Name() string          { return b.spec.name }
func (b *builtinFn) String() string        { return "<built-in function " + b.spec.name + ">" }
func (b *builtinFn) Type() string          { return "builtin_function_or_method" }
func (b *builtinFn) Freeze()               {}
func (b *builtinFn) Truth() sl.Bool        { return sl.True }
func (b *builtinFn) Hash() (uint32, error) { return sl.String(b.spec.name).Hash() }

// CallInternal binds the arguments, locates the call in its file and runs the
// implementation. Model errors come back as *diagError.
func (b *builtinFn) CallInternal(thread *sl.Thread, args sl.Tuple, kwargs []sl.Tuple) (sl.Value, error) {
	st, _ := thread.Local(stateKey).(*threadState)
	if st == nil {
		// Called from a thread Evaluate did not set up (a host program
		// or a test running builtins directly): use a state for this
		// call only, since thread locals are fixed once a thread runs.
		st = newThreadState(nil, nil)
	}
	c := &st.call
	if c.busy {
		// Builtins never call back into Starlark, so this only happens
		// if one is made to; use a fresh call rather than clobber.
		c = &call{}
	}
	c.begin(thread, st, b.spec)
	defer c.end()
	c.locate()
	if st.ev != nil {
		// Each object is charged to the memory budget, as a loop can
		// make millions.
		if st.memUsed += objectBytes; st.memUsed > st.ev.cfg.maxMemory || st.memUsed-st.flushed >= flushBytes {
			st.memUsed -= objectBytes
			if err := st.charge(func() ecosystem.Pos { return c.src.Pos }, opName{b.spec.name, "()"}, objectBytes); err != nil {
				return nil, err
			}
		}
	}
	if !c.bind(args, kwargs) {
		return nil, c.err
	}
	v := b.spec.impl(c)
	if c.err != nil {
		return nil, c.err
	}
	return v, nil
}

// secretNames are argument names that would put a secret value in the
// model. They are refused by every builtin with a pointer to credential().
var secretNames = []string{"password", "passwd", "secret", "token", "api_key", "apikey", "access_key", "secret_key", "private_key"}

// bind places the arguments in c.args by parameter index, checking counts,
// names and required parameters.
func (c *call) bind(args sl.Tuple, kwargs []sl.Tuple) bool {
	s := c.spec
	if len(args) > s.npos {
		var msg string
		switch s.npos {
		case 0:
			msg = s.name + " takes no positional arguments, got " + strconv.Itoa(len(args))
		case 1:
			msg = s.name + " takes 1 positional argument (" + s.params[0].Name + "), got " + strconv.Itoa(len(args))
		default:
			msg = s.name + " takes at most " + strconv.Itoa(s.npos) + " positional arguments (" +
				strings.Join(s.paramNames()[:s.npos], ", ") + "), got " + strconv.Itoa(len(args))
		}
		hint := "pass the arguments by keyword (name = value)"
		if s.npos > 0 && s.npos < len(s.params) {
			hint = "pass " + s.params[s.npos].Name + " and the arguments after it by keyword (name = value)"
		}
		c.fail(withHint(newDiag(RulePositionalArgument, c.positionalPos(s.npos), msg), hint))
		return false
	}
	copy(c.args[:], args)
	for _, kv := range kwargs {
		k, _ := sl.AsString(kv[0])
		i := s.index(k)
		if i < 0 {
			c.unknownArgument(k)
			return false
		}
		if c.args[i] != nil {
			c.fail(newDiag(RuleDuplicateArgument, c.keywordPos(k),
				s.name+": argument "+k+" given twice (positionally and by keyword)"))
			return false
		}
		c.args[i] = kv[1]
	}
	for i := range s.params {
		if s.params[i].Required && c.args[i] == nil {
			c.fail(withHint(newDiag(RuleMissingArgument, c.src.Pos, s.name+": missing required argument "+s.params[i].Name),
				"add "+s.params[i].Name+" = <"+s.params[i].Type+"> ("+s.params[i].Doc+")"))
			return false
		}
	}
	return true
}

func (c *call) unknownArgument(k string) {
	s := c.spec
	pos := c.keywordPos(k)
	if slices.Contains(secretNames, strings.ToLower(k)) {
		c.fail(newDiag(RuleSecret, pos, s.name+": argument "+k+" would put a secret in the model, which holds references to secrets only"))
		return
	}
	msg := s.name + ": unknown argument " + k
	hint := "the arguments of " + s.name + " are " + strings.Join(s.paramNames(), ", ")
	if n := nearest(k, s.paramNames()); n != "" {
		msg += ": did you mean " + quote(n) + "?"
	}
	c.fail(withHint(newDiag(RuleUnknownArgument, pos, msg), hint))
}

// fail records the call's first error; later ones are dropped, since the
// first usually explains the rest.
func (c *call) fail(d ecosystem.Diagnostic) {
	if c.err == nil {
		c.err = &diagError{d: d}
	}
}
