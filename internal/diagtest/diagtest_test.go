package diagtest

import (
	"testing"

	"github.com/datasurface/datasurface-go/ecosystem"
)

func TestParse(t *testing.T) {
	src := []byte(`a = 1
b = x(  # want: RULE_A "needs \"quotes\"" RULE_B
c = 3  # want-reverse: RULE_C "x+" want@lib.star:43: RULE_D
`)
	ws, err := Parse("eco.star", src)
	if err != nil {
		t.Fatal(err)
	}
	got := []string{}
	for _, w := range ws {
		got = append(got, w.Kind+" "+w.String())
	}
	want := []string{
		`want eco.star:2: RULE_A "needs \"quotes\""`,
		`want eco.star:2: RULE_B`,
		`want-reverse eco.star:3: RULE_C "x+"`,
		`want lib.star:43: RULE_D`,
	}
	if d := Diff(joinLines(want), joinLines(got)); d != "" {
		t.Errorf("Parse (-want +got):\n%s", d)
	}
	if _, err := Parse("x.star", []byte("x = 1  # want: \n")); err == nil {
		t.Error("a marker without a rule parsed")
	}
	if _, err := Parse("x.star", []byte(`x = 1  # want: R "("`+"\n")); err == nil {
		t.Error("a bad regexp parsed")
	}
}

func joinLines(ss []string) string {
	out := ""
	for _, s := range ss {
		out += s + "\n"
	}
	return out
}

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper()                           {}
func (r *recorder) Errorf(format string, args ...any) { r.errors = append(r.errors, format) }

func TestCheck(t *testing.T) {
	ws, _ := Parse("eco.star", []byte("x = 1  # want: R \"bad value\"\n"))
	at := ecosystem.Pos{File: "eco.star", Line: 1, Col: 5}
	for name, tc := range map[string]struct {
		got  ecosystem.Diagnostics
		fail int
	}{
		"match":         {ecosystem.Diagnostics{{Rule: "R", Pos: at, Message: "a bad value"}}, 0},
		"wrong message": {ecosystem.Diagnostics{{Rule: "R", Pos: at, Message: "fine"}}, 2},
		"wrong line":    {ecosystem.Diagnostics{{Rule: "R", Pos: ecosystem.Pos{File: "eco.star", Line: 2}, Message: "bad value"}}, 2},
		"missing":       {nil, 1},
		"extra":         {ecosystem.Diagnostics{{Rule: "R", Pos: at, Message: "bad value"}, {Rule: "S", Pos: at}}, 1},
	} {
		r := &recorder{TB: t}
		ok := Check(r, ws, tc.got)
		if len(r.errors) != tc.fail || ok != (tc.fail == 0) {
			t.Errorf("%s: %d failures (ok %v), want %d", name, len(r.errors), ok, tc.fail)
		}
	}
}
