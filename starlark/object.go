package starlark

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	sl "go.starlark.net/starlark"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// object is the Starlark value of a model object: a pointer to the Go value of
// package ecosystem and the builtin whose type it carries. Objects are
// immutable (no builtin mutates one once returned), compare by identity and
// are unhashable. Their fields read as attributes named like the builtin's
// parameters (t.name, c.nullable, s.datasets).
type object[T any] struct {
	spec *builtinSpec
	val  *T
}

// objectCell holds an object and its Go value in one allocation, so that a
// builtin call costs one allocation for both.
type objectCell[T any] struct {
	obj object[T]
	val T
}

// newObject allocates a Go value together with its Starlark object.
func newObject[T any](spec *builtinSpec) (*object[T], *T) {
	c := &objectCell[T]{}
	c.obj.spec = spec
	c.obj.val = &c.val
	return &c.obj, &c.val
}

var (
	_ sl.HasAttrs = (*object[ecosystem.Column])(nil)
)

// Type returns the name of the builtin that made the object ("column").
func (o *object[T]) Type() string { return o.spec.name }

// String formats the object as its builtin with its name, like column("id").
func (o *object[T]) String() string {
	v := reflect.ValueOf(o.val).Elem()
	if f := v.FieldByName("Name"); f.IsValid() && f.Kind() == reflect.String {
		return o.spec.name + "(" + quote(f.String()) + ")"
	}
	return o.spec.name + "(...)"
}

// Freeze does nothing: objects hold Go values, never Starlark ones, and no
// builtin changes an object after returning it.
func (o *object[T]) Freeze() {}

// Truth is always true.
func (o *object[T]) Truth() sl.Bool { return sl.True }

// Hash refuses: objects are compared by identity and are not dictionary keys.
func (o *object[T]) Hash() (uint32, error) {
	return 0, fmt.Errorf("unhashable type: %s", o.spec.name)
}

// Attr returns the field behind a parameter name, or (nil, nil) when there is
// none, which the interpreter reports with its own did-you-mean.
func (o *object[T]) Attr(name string) (sl.Value, error) {
	at := o.spec.attrTable(reflect.TypeFor[T]())
	idx, ok := at.fields[name]
	if !ok {
		return nil, nil
	}
	return toStarlark(reflect.ValueOf(o.val).Elem().FieldByIndex(idx)), nil
}

// AttrNames lists the attribute names, sorted.
func (o *object[T]) AttrNames() []string {
	return o.spec.attrTable(reflect.TypeFor[T]()).names
}

// attrTable maps attribute names to struct fields. Attributes are read rarely
// (model code mostly builds objects), so they are served by reflection over
// one table per builtin instead of a hand-written getter per field.
type attrTable struct {
	fields map[string][]int
	names  []string
}

// attrFieldNames renames the parameters whose Go field has another JSON name.
var attrFieldNames = map[string]string{
	"watermark":      "watermark_column",
	"schedule":       "cron",
	"classification": "classifications",
}

func (s *builtinSpec) attrTable(t reflect.Type) *attrTable {
	s.attrOnce.Do(func() { s.attrs = buildAttrTable(s, t) })
	return s.attrs
}

func buildAttrTable(s *builtinSpec, t reflect.Type) *attrTable {
	byJSON := map[string][]int{}
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || f.Anonymous {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			name = strings.ToLower(f.Name)
		}
		if _, dup := byJSON[name]; !dup || len(f.Index) < len(byJSON[name]) {
			byJSON[name] = f.Index
		}
	}
	at := &attrTable{fields: map[string][]int{}}
	for _, p := range s.params {
		key := p.Name
		if alt, ok := attrFieldNames[key]; ok {
			key = alt
		}
		if idx, ok := byJSON[key]; ok {
			at.fields[p.Name] = idx
			at.names = append(at.names, p.Name)
		}
	}
	sort.Strings(at.names)
	return at
}

// toStarlark converts a field of the model back to a Starlark value, for
// attribute reads. Child objects are wrapped again under the builtin that
// makes objects of their kind (specFor); maps become dicts in key order.
func toStarlark(v reflect.Value) sl.Value {
	if s, ok := v.Interface().(fmt.Stringer); ok && v.Kind() != reflect.Struct && v.Kind() != reflect.Pointer {
		switch v.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Interface:
			if v.Kind() == reflect.Interface && v.IsNil() {
				return sl.None
			}
			// enums (Priority, Latency) and data types print by name
			return sl.String(s.String())
		}
	}
	switch v.Kind() {
	case reflect.String:
		return sl.String(v.String())
	case reflect.Bool:
		return sl.Bool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return sl.MakeInt64(v.Int())
	case reflect.Float32, reflect.Float64:
		return sl.Float(v.Float())
	case reflect.Interface:
		if v.IsNil() {
			return sl.None
		}
		return toStarlark(v.Elem())
	case reflect.Slice:
		elems := make([]sl.Value, v.Len())
		for i := range elems {
			elems[i] = toStarlark(v.Index(i))
		}
		return sl.Tuple(elems)
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		d := sl.NewDict(len(keys))
		for _, k := range keys {
			_ = d.SetKey(sl.String(k.String()), toStarlark(v.MapIndex(k)))
		}
		d.Freeze()
		return d
	case reflect.Pointer:
		if v.IsNil() {
			return sl.None
		}
		return wrapModel(v.Interface())
	case reflect.Struct:
		if t, ok := v.Interface().(time.Time); ok {
			return sl.String(t.UTC().Format(time.DateOnly))
		}
		p := reflect.New(v.Type())
		p.Elem().Set(v)
		return wrapModel(p.Interface())
	}
	return sl.None
}

// wrapModel wraps a pointer to a model value in an object of the builtin
// that makes values of its kind.
func wrapModel(p any) sl.Value {
	switch x := p.(type) {
	case *ecosystem.Repo:
		return &object[ecosystem.Repo]{spec: specFor(x), val: x}
	case *ecosystem.Vendor:
		return &object[ecosystem.Vendor]{spec: specFor(x), val: x}
	case *ecosystem.Location:
		return &object[ecosystem.Location]{spec: specFor(x), val: x}
	case *ecosystem.Platform:
		return &object[ecosystem.Platform]{spec: specFor(x), val: x}
	case *ecosystem.Assignment:
		return &object[ecosystem.Assignment]{spec: specFor(x), val: x}
	case *ecosystem.Zone:
		return &object[ecosystem.Zone]{spec: specFor(x), val: x}
	case *ecosystem.Policy:
		return &object[ecosystem.Policy]{spec: specFor(x), val: x}
	case *ecosystem.Team:
		return &object[ecosystem.Team]{spec: specFor(x), val: x}
	case *ecosystem.Datastore:
		return &object[ecosystem.Datastore]{spec: specFor(x), val: x}
	case *ecosystem.Deprecation:
		return &object[ecosystem.Deprecation]{spec: specFor(x), val: x}
	case *ecosystem.Capture:
		return &object[ecosystem.Capture]{spec: specFor(x), val: x}
	case *ecosystem.Container:
		return &object[ecosystem.Container]{spec: specFor(x), val: x}
	case *ecosystem.Trigger:
		return &object[ecosystem.Trigger]{spec: specFor(x), val: x}
	case *ecosystem.Credential:
		return &object[ecosystem.Credential]{spec: specFor(x), val: x}
	case *ecosystem.Dataset:
		return &object[ecosystem.Dataset]{spec: specFor(x), val: x}
	case *ecosystem.Column:
		return &object[ecosystem.Column]{spec: specFor(x), val: x}
	case *ecosystem.Workspace:
		return &object[ecosystem.Workspace]{spec: specFor(x), val: x}
	case *ecosystem.DatasetGroup:
		return &object[ecosystem.DatasetGroup]{spec: specFor(x), val: x}
	case *ecosystem.Sink:
		return &object[ecosystem.Sink]{spec: specFor(x), val: x}
	case *ecosystem.Requirements:
		return &object[ecosystem.Requirements]{spec: specFor(x), val: x}
	case *ecosystem.Transformer:
		return &object[ecosystem.Transformer]{spec: specFor(x), val: x}
	case *ecosystem.CodeRef:
		return &object[ecosystem.CodeRef]{spec: specFor(x), val: x}
	case *ecosystem.Waiver:
		return &object[ecosystem.Waiver]{spec: specFor(x), val: x}
	case *ecosystem.Ecosystem:
		return &object[ecosystem.Ecosystem]{spec: specFor(x), val: x}
	}
	return sl.None
}

var specsByName sync.Map // name -> *builtinSpec, filled by register

// specFor returns the builtin that makes values like p, deriving it from the
// value where several builtins make the same Go type (a container made by
// postgres() or mysql(), a policy by vendor_policy() or cloud_policy()).
func specFor(p any) *builtinSpec {
	name := ""
	switch x := p.(type) {
	case *ecosystem.Repo:
		name = "repo"
	case *ecosystem.Vendor:
		name = "vendor"
	case *ecosystem.Location:
		name = "location"
	case *ecosystem.Platform:
		name = "platform"
	case *ecosystem.Assignment:
		name = "assignment"
	case *ecosystem.Zone:
		name = "zone"
	case *ecosystem.Policy:
		name = string(x.Kind) + "_policy"
	case *ecosystem.Team:
		name = "team"
	case *ecosystem.Datastore:
		name = "datastore"
	case *ecosystem.Deprecation:
		name = "deprecated"
	case *ecosystem.Capture:
		name = string(x.Kind)
	case *ecosystem.Container:
		switch {
		case x.Kind == ecosystem.PlatformManagedContainer:
			name = "platform_managed"
		case x.Kind == ecosystem.TopicContainer:
			name = "kafka"
		case x.Engine == "postgres" || x.Engine == "mysql" || x.Engine == "sqlite":
			name = x.Engine
		default:
			name = "database"
		}
	case *ecosystem.Trigger:
		name = string(x.Kind)
	case *ecosystem.Credential:
		name = "credential"
	case *ecosystem.Dataset:
		name = "dataset"
	case *ecosystem.Column:
		name = "column"
	case *ecosystem.Workspace:
		name = "workspace"
	case *ecosystem.DatasetGroup:
		name = "dataset_group"
	case *ecosystem.Sink:
		name = "sink"
	case *ecosystem.Requirements:
		name = "requirements"
	case *ecosystem.Transformer:
		name = "transformer"
	case *ecosystem.CodeRef:
		name = x.Kind + "_code"
	case *ecosystem.Waiver:
		name = "waiver"
	case *ecosystem.Ecosystem:
		name = "ecosystem"
	}
	if s, ok := specsByName.Load(name); ok {
		return s.(*builtinSpec)
	}
	// A value built from Go code with a kind no builtin makes: give it a
	// spec of its own so that it still prints and reads.
	return &builtinSpec{name: name}
}
