package platforms_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/platforms"
)

func TestRegister(t *testing.T) {
	r := platforms.NewRegistry()
	f := func(*ecosystem.Platform) (platforms.Platform, error) { return &fake{}, nil }
	if err := r.Register("zeta", f); err != nil {
		t.Fatal(err)
	}
	if err := r.Register("alpha-1", f); err != nil {
		t.Fatal(err)
	}
	if got := r.Kinds(); !slices.Equal(got, []string{"alpha-1", "zeta"}) {
		t.Errorf("kinds = %v, want sorted [alpha-1 zeta]", got)
	}
	for _, c := range []struct {
		kind string
		f    platforms.Factory
		want string
	}{
		{"zeta", f, `platforms: kind "zeta" is already registered`},
		{"", f, `platforms: kind "": want lower-case letters`},
		{"Shell", f, `platforms: kind "Shell": want lower-case letters`},
		{"shell", nil, `platforms: kind "shell": the factory is nil`},
	} {
		err := r.Register(c.kind, c.f)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("Register(%q): %v, want %q", c.kind, err, c.want)
		}
	}
	if _, ok := r.Factory("shell"); ok {
		t.Error("a failed registration must not register")
	}
}

func TestBuiltinHasLegacyAndIsFresh(t *testing.T) {
	a, b := platforms.Builtin(), platforms.Builtin()
	if !slices.Equal(a.Kinds(), []string{"legacy", "sql"}) {
		t.Errorf("builtin kinds = %v, want [legacy sql]", a.Kinds())
	}
	if err := a.Register("mine", func(*ecosystem.Platform) (platforms.Platform, error) { return &fake{}, nil }); err != nil {
		t.Fatal(err)
	}
	if slices.Contains(b.Kinds(), "mine") {
		t.Error("registering in one Builtin registry changed another")
	}
}

func TestRulesCoverEveryEmittedID(t *testing.T) {
	ids := map[string]bool{}
	for _, r := range platforms.Rules() {
		if ids[r.ID] {
			t.Errorf("rule %s listed twice", r.ID)
		}
		ids[r.ID] = true
		if r.Purpose == "" || r.Hint == "" || r.Severity == 0 || len(r.Categories) == 0 {
			t.Errorf("rule %s is not fully described: %+v", r.ID, r)
		}
	}
	for _, id := range []string{"PLATFORM_KIND_UNKNOWN", "PLATFORM_OPTION_INVALID", "PLATFORM_ACCEPT_FAILED", "ASSIGNMENT_NO_PLATFORM", "GRAPH_CYCLE",
		"PLATFORM_CAPTURE_UNSUPPORTED", "PLATFORM_CONTAINER_UNSUPPORTED", "PLATFORM_MILESTONING_UNSUPPORTED", "PLATFORM_LATENCY_UNSUPPORTED", "PLATFORM_LOCATION_UNSUPPORTED"} {
		if !ids[id] {
			t.Errorf("Rules() lacks %s", id)
		}
	}
	bound := map[string]platforms.Platform{"A": &fake{rules: []ecosystem.Rule{{ID: "FAKE_RULE", Severity: ecosystem.Warning}}}, "B": &fake{}}
	all := platforms.RulesOf(bound)
	if !slices.ContainsFunc(all, func(r ecosystem.Rule) bool { return r.ID == "FAKE_RULE" }) || len(all) != len(ids)+1 {
		t.Errorf("RulesOf = %d rules, want the %d library rules and FAKE_RULE", len(all), len(ids))
	}
	if !slices.IsSortedFunc(all, func(a, b ecosystem.Rule) int { return strings.Compare(a.ID, b.ID) }) {
		t.Error("RulesOf is not sorted by ID")
	}
}
