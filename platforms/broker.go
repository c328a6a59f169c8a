package platforms

import (
	"context"
	"fmt"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/graph"
)

// Bound is a model bound to platform implementations, with the broker's
// assignments and pipelines: what the graph, plan, explain and check
// commands start from.
type Bound struct {
	Model *ecosystem.Ecosystem
	// Platforms holds the bound platforms by name; declarations that failed
	// to bind are missing (Diagnostics says why).
	Platforms map[string]Platform
	// Graph holds the assignments and one pipeline per declared platform.
	Graph *graph.Result
	// Diagnostics holds the binding, assignment and cycle problems, sorted.
	Diagnostics ecosystem.Diagnostics
}

// Broker binds m's platform declarations (Bind), assigns its groups and
// builds every platform's pipeline (graph.Build).
func (r *Registry) Broker(m *ecosystem.Ecosystem) *Bound {
	bound, diags := r.Bind(m)
	res := graph.Build(m, Capabilities(bound))
	diags = append(diags, res.Diagnostics...)
	diags.Sort()
	return &Bound{Model: m, Platforms: bound, Graph: res, Diagnostics: diags}
}

// Accept runs every bound platform's acceptance check on its pipeline, in
// platform-name order, and returns the findings the change check adds to
// lint's: binding, assignment and acceptance, sorted. Pipeline cycles
// (GRAPH_CYCLE) are left out because lint reports the same loops as
// TRANSFORMER_CYCLE; Diagnostics keeps them for the graph command. A
// platform whose check panics, or a cancelled ctx, gives a
// PLATFORM_ACCEPT_FAILED diagnostic at the platform's declaration rather
// than a crash or a silent pass.
func (b *Bound) Accept(ctx context.Context) ecosystem.Diagnostics {
	var diags ecosystem.Diagnostics
	for _, d := range b.Diagnostics {
		if d.Rule != graph.RuleCycle.ID {
			diags = append(diags, d)
		}
	}
	for _, name := range sortedKeys(b.Platforms) {
		p := b.Graph.Pipeline(name)
		if err := ctx.Err(); err != nil {
			diags = append(diags, acceptFailed(p, fmt.Sprintf("not run: %v", err)))
			continue
		}
		diags = append(diags, accept(ctx, b.Platforms[name], p)...)
	}
	diags.Sort()
	return diags
}

// accept runs one platform's check, turning a panic into a diagnostic.
func accept(ctx context.Context, pl Platform, p *graph.Pipeline) (out ecosystem.Diagnostics) {
	defer func() {
		if v := recover(); v != nil {
			out = ecosystem.Diagnostics{acceptFailed(p, fmt.Sprintf("panicked: %v", v))}
		}
	}()
	return pl.Accept(ctx, p)
}

func acceptFailed(p *graph.Pipeline, what string) ecosystem.Diagnostic {
	var pos ecosystem.Pos
	kind := ""
	if p.Decl != nil {
		pos, kind = p.Decl.Pos, p.Decl.Kind
	}
	return RuleAcceptFailed.New(ecosystem.PlatformPath(p.Platform), pos, "platform %s (kind %s): acceptance check %s", p.Platform, kind, what)
}

// Render realises the named platform's pipeline by rendering it (see the
// package function Render). The error says when the platform is not
// declared or not bound.
func (b *Bound) Render(ctx context.Context, platform string) ([]Artifact, error) {
	pl, p, err := b.platform(platform)
	if err != nil {
		return nil, err
	}
	return Render(ctx, pl, p)
}

func (b *Bound) platform(name string) (Platform, *graph.Pipeline, error) {
	p := b.Graph.Pipeline(name)
	if p == nil {
		return nil, nil, fmt.Errorf("platform %q is not declared in the model", name)
	}
	pl, ok := b.Platforms[name]
	if !ok {
		return nil, nil, fmt.Errorf("platform %q is declared but not bound to an implementation (see the PLATFORM_* diagnostics)", name)
	}
	return pl, p, nil
}

// Acceptance returns the platform acceptance check in the shape of the
// change check's hook: it binds the head model's platforms with r, assigns
// its groups, builds the pipelines and runs every platform's Accept,
// returning every finding sorted (see Bound.Accept).
func Acceptance(r *Registry) func(ctx context.Context, head *ecosystem.Ecosystem) ecosystem.Diagnostics {
	return func(ctx context.Context, head *ecosystem.Ecosystem) ecosystem.Diagnostics {
		return r.Broker(head).Accept(ctx)
	}
}
