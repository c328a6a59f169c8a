package governance_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/governance"
	"github.com/datasurface/datasurface-go/starlark"
	"github.com/datasurface/datasurface-go/types"
)

// The repositories of testdata/authz/mutation/model.txtar.
var (
	bystanderRepo = ecosystem.Repo{Name: "github.com/acme/bystander", Branch: "main"}
	salesRepo     = ecosystem.Repo{Name: "github.com/acme/sales", Branch: "main"}
)

func evaluateArchive(t testing.TB, file string) *ecosystem.Ecosystem {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, f := range txtar.Parse(data).Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data}
	}
	m, err := starlark.Evaluate(context.Background(), fsys)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return m
}

// TestAuthorizationSeesEveryField changes every field of every object of a
// model that sets them all, one at a time, and checks that the change is
// refused from a repository that owns none of them. It is what keeps the
// hand-written comparison complete: a field added to the model but not to
// the comparison would let an unauthorized change through, and fails here.
//
// The copies are made by reflection and carry no source positions, so the
// unchanged copy also checks that positions are ignored.
func TestAuthorizationSeesEveryField(t *testing.T) {
	base := evaluateArchive(t, filepath.Join("testdata", "authz", "mutation", "model.txtar"))
	same := ecosystem.New(deepCopy(reflect.ValueOf(base)).Interface().(*ecosystem.Ecosystem))
	for _, src := range []ecosystem.Repo{bystanderRepo, salesRepo, base.Repo} {
		if ds := governance.Authorization(base, same, src); len(ds) > 0 {
			t.Fatalf("a copy without positions differs from its original (source %s):\n%v", src, ecosystem.DiagnosticsError(ds))
		}
	}
	var leaves []string
	forEachLeaf(reflect.ValueOf(same), "", false, func(path string, _ reflect.Value) { leaves = append(leaves, path) })
	t.Logf("changing %d fields one at a time", len(leaves))
	if len(leaves) < 200 {
		t.Fatalf("only %d fields found to change; the walk is broken", len(leaves))
	}
	for i, leaf := range leaves {
		head := deepCopy(reflect.ValueOf(base)).Interface().(*ecosystem.Ecosystem)
		n := 0
		forEachLeaf(reflect.ValueOf(head), "", false, func(_ string, v reflect.Value) {
			if n == i {
				mutate(t, leaf, v)
			}
			n++
		})
		ecosystem.New(head)
		stranger := bystanderRepo
		if strings.HasPrefix(leaf, ".Zones[USA].Teams[Bystander].Repo.") {
			// Changing the Bystander team's repository is a transfer, which
			// its current owner (bystander) makes; any other repo may not.
			if ds := governance.Authorization(base, head, bystanderRepo); ds.Max() >= ecosystem.Error {
				t.Errorf("changing %s (a transfer) is refused from the current owner %s:\n%v", leaf, bystanderRepo, ecosystem.DiagnosticsError(ds))
			}
			stranger = salesRepo
		}
		if ds := governance.Authorization(base, head, stranger); ds.Max() < ecosystem.Error {
			t.Errorf("changing %s is not refused from %s", leaf, stranger)
		}
	}
}

var (
	typeOfSource = reflect.TypeOf(ecosystem.Source{})
	typeOfTime   = reflect.TypeOf(time.Time{})
	typeOfType   = reflect.TypeOf((*types.Type)(nil)).Elem()
)

// deepCopy copies a model value: structs field by field (leaving out source
// positions and unexported fields, such as the ecosystem's index), pointers,
// slices and maps recursively. Data types are immutable values and are
// shared.
func deepCopy(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		p := reflect.New(v.Type().Elem())
		p.Elem().Set(deepCopy(v.Elem()))
		return p
	case reflect.Struct:
		if v.Type() == typeOfTime {
			return v
		}
		out := reflect.New(v.Type()).Elem()
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() || f.Type == typeOfSource {
				continue
			}
			out.Field(i).Set(deepCopy(v.Field(i)))
		}
		return out
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			out.Index(i).Set(deepCopy(v.Index(i)))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeMapWithSize(v.Type(), v.Len())
		iter := v.MapRange()
		for iter.Next() {
			out.SetMapIndex(iter.Key(), deepCopy(iter.Value()))
		}
		return out
	case reflect.Interface:
		if v.IsNil() || v.Type() == typeOfType {
			return v
		}
		return deepCopy(v.Elem())
	}
	return v
}

// forEachLeaf calls f for every field that can be changed, in a fixed order:
// strings, booleans, integers, times, data types, string slices and maps
// (as a whole). Nil pointers are skipped. The contents of the Bystander team
// are skipped (its repository owns them); its name and repository are not.
func forEachLeaf(v reflect.Value, path string, inBystander bool, f func(string, reflect.Value)) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			forEachLeaf(v.Elem(), path, inBystander, f)
		}
	case reflect.Struct:
		if v.Type() == typeOfTime {
			f(path, v)
			return
		}
		if tm, ok := v.Addr().Interface().(*ecosystem.Team); ok && tm.Name == "Bystander" {
			forEachLeaf(v.FieldByName("Name"), path+".Name", false, f)
			forEachLeaf(v.FieldByName("Repo"), path+".Repo", false, f)
			return
		}
		for i := range v.NumField() {
			sf := v.Type().Field(i)
			if !sf.IsExported() || sf.Type == typeOfSource {
				continue
			}
			sub := path + "." + sf.Name
			if sf.Anonymous {
				sub = path // embedded Meta: its fields read as the holder's
			}
			forEachLeaf(v.Field(i), sub, inBystander, f)
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.String {
			f(path, v)
			return
		}
		for i := range v.Len() {
			elem := v.Index(i)
			label := path + "[" + leafLabel(elem) + "]"
			forEachLeaf(elem, label, inBystander, f)
		}
	case reflect.Map, reflect.String, reflect.Bool:
		f(path, v)
	case reflect.Interface:
		if v.Type() == typeOfType {
			f(path, v)
		}
	default:
		if v.CanInt() {
			f(path, v)
		}
	}
}

// leafLabel names a list element by its Name field when it has one.
func leafLabel(v reflect.Value) string {
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() == reflect.Struct {
		if n := v.FieldByName("Name"); n.IsValid() && n.Kind() == reflect.String {
			return n.String()
		}
	}
	return "?"
}

// mutate changes one leaf to a different value.
func mutate(t *testing.T, path string, v reflect.Value) {
	switch {
	case v.Type() == typeOfTime:
		v.Set(reflect.ValueOf(v.Interface().(time.Time).AddDate(0, 0, 1)))
	case v.Type() == typeOfType:
		replacement := types.MustParse("varchar(7)")
		if !v.IsNil() && types.Equal(v.Interface().(types.Type), replacement) {
			replacement = types.MustParse("integer")
		}
		v.Set(reflect.ValueOf(&replacement).Elem())
	case v.Kind() == reflect.String:
		v.SetString(v.String() + "x")
	case v.Kind() == reflect.Bool:
		v.SetBool(!v.Bool())
	case v.CanInt():
		v.SetInt(v.Int() + 1)
	case v.Kind() == reflect.Slice:
		v.Set(reflect.Append(v, reflect.ValueOf("mutated").Convert(v.Type().Elem())))
	case v.Kind() == reflect.Map:
		m := reflect.MakeMapWithSize(v.Type(), v.Len()+1)
		iter := v.MapRange()
		for iter.Next() {
			m.SetMapIndex(iter.Key(), iter.Value())
		}
		val := reflect.ValueOf("mutated")
		if v.Type().Elem().Kind() == reflect.Interface {
			val = reflect.ValueOf(any("mutated"))
		}
		m.SetMapIndex(reflect.ValueOf("mutated-key"), val.Convert(v.Type().Elem()))
		v.Set(m)
	default:
		t.Fatalf("%s: no way to change a %s", path, v.Type())
	}
	if strings.Contains(path, "..") {
		t.Fatalf("bad leaf path %s", path)
	}
}
