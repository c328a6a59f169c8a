package options

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/datasurface/datasurface-go/ecosystem"
)

func TestReader(t *testing.T) {
	decl := &ecosystem.Platform{Name: "P", Kind: "k", Options: map[string]any{
		"mode":    "fast",
		"depth":   "3",
		"enabled": true,
		"tags":    []any{"a", int64(2)},
		"schema":  "staging",
		"shema":   "x",
		"zzz":     1.5,
	}}
	r := New(decl)
	if _, ok := r.String("mode", "slow", "fats"); ok {
		t.Error("mode fast is not allowed")
	}
	if _, ok := r.Int("depth"); ok {
		t.Error("depth is a string, not an integer")
	}
	if b, ok := r.Bool("enabled"); !ok || !b {
		t.Error("enabled should read as true")
	}
	if _, ok := r.Strings("tags"); ok {
		t.Error("tags holds an integer")
	}
	if s, ok := r.String("schema"); !ok || s != "staging" {
		t.Errorf("schema = %q, %v", s, ok)
	}
	if _, ok := r.String("absent"); ok {
		t.Error("absent is not set")
	}
	var got []string
	var hints []string
	for _, e := range flatten(r.Err()) {
		var oe *Error
		if !errors.As(e, &oe) {
			t.Fatalf("%v is not an *Error", e)
		}
		got = append(got, e.Error())
		hints = append(hints, oe.Hint)
	}
	want := []string{
		`option "depth" = "3": want an integer, got a string`,
		`option "mode" = "fast": want one of "slow", "fats"`,
		`option "shema" = "x": unknown option (this kind takes "absent", "depth", "enabled", "mode", "schema", "tags")`,
		`option "tags" = [a 2]: element 1: want a string, got an integer`,
		`option "zzz" = 1.5: unknown option (this kind takes "absent", "depth", "enabled", "mode", "schema", "tags")`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	if want := []string{"", `did you mean "fats"?`, `did you mean "schema"?`, "", "remove it"}; !cmp.Equal(hints, want) {
		t.Errorf("hints = %q, want %q", hints, want)
	}
}

func TestReaderClean(t *testing.T) {
	r := New(&ecosystem.Platform{Options: map[string]any{"n": int64(4), "l": []any{"x", "y"}}})
	n, _ := r.Int("n")
	l, _ := r.Strings("l")
	if err := r.Err(); err != nil || n != 4 || !cmp.Equal(l, []string{"x", "y"}) {
		t.Errorf("n=%d l=%v err=%v", n, l, err)
	}
	if err := New(&ecosystem.Platform{Options: map[string]any{"x": 1}}).Err(); err == nil || err.Error() != `option "x" = 1: unknown option (this kind takes none)` {
		t.Errorf("a kind without options: %v", err)
	}
}

func TestClosest(t *testing.T) {
	cands := []string{"milestoning", "schema", "dialect"}
	for word, want := range map[string]string{
		"milestonig": "milestoning", "Schema": "schema", "dia_lect": "dialect", "retention_days": "", "x": "",
	} {
		if got := Closest(word, cands); got != want {
			t.Errorf("Closest(%q) = %q, want %q", word, got, want)
		}
	}
}

func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	if err == nil {
		return nil
	}
	return []error{err}
}
