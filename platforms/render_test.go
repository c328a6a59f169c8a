package platforms_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/platforms"
)

func TestRender(t *testing.T) {
	r := platforms.Builtin()
	rend := &renderer{fake: fake{caps: everything}}
	mustRegister(t, r, "render", func(*ecosystem.Platform) (platforms.Platform, error) { return rend, nil })
	mustRegister(t, r, "run", func(*ecosystem.Platform) (platforms.Platform, error) { return &runner{fake{caps: everything}}, nil })
	m := evaluate(t, `
        platform("R", kind = "render"),
        platform("Run", kind = "run"),
        platform("Gov", kind = "legacy"),
        platform("Bad", kind = "nope"),`, `
                workspace("W", groups = [dataset_group("g", sinks = [sink("Orders", "orders")], platform = "R")]),`)
	b := r.Broker(m)
	ctx := context.Background()
	arts, err := b.Render(ctx, "R")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range arts {
		names = append(names, a.Name)
	}
	if want := []string{"nodes/export:W.g:Orders.orders.txt", "nodes/ingest:Orders.txt"}; !cmp.Equal(names, want) {
		t.Errorf("artifacts %v, want sorted %v", names, want)
	}
	if arts, err := b.Render(ctx, "Gov"); err != nil || arts != nil {
		t.Errorf("a governance-only platform renders nothing: %v, %v", arts, err)
	}
	if _, err := b.Render(ctx, "Run"); !errors.Is(err, platforms.ErrRunsOnly) {
		t.Errorf("runner: %v, want ErrRunsOnly", err)
	}
	for name, want := range map[string]string{
		"Bad":  `platform "Bad" is declared but not bound`,
		"Nope": `platform "Nope" is not declared in the model`,
	} {
		if _, err := b.Render(ctx, name); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Render(%s): %v, want %q", name, err, want)
		}
	}
	for _, bad := range []string{"../escape.sql", "/abs.sql", "a/../b.sql", "", "dir/", `win\path`} {
		rend.extra = []platforms.Artifact{{Name: bad}}
		if _, err := b.Render(ctx, "R"); err == nil || !strings.Contains(err.Error(), "artifact name") {
			t.Errorf("artifact %q: %v, want an artifact name error", bad, err)
		}
	}
	rend.extra = []platforms.Artifact{{Name: "nodes/ingest:Orders.txt"}}
	if _, err := b.Render(ctx, "R"); err == nil || !strings.Contains(err.Error(), `two artifacts are named "nodes/ingest:Orders.txt"`) {
		t.Errorf("duplicate artifact: %v", err)
	}
}
