package platforms

import (
	"context"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/governance"
)

// CheckModel checks one model exactly as `dsl lint` does: every lint rule
// (the host's registered ones included), the zones' policies, the broker
// with this registry's platform kinds (binding each platform declaration,
// assigning every dataset group, each platform's acceptance of its
// pipeline), and then the model's waivers. It is the one call for a host
// that wants "is this model good?":
//
//	m, err := starlark.Evaluate(ctx, fsys)
//	diags, err := platforms.Builtin().CheckModel(ctx, m)
//
// opts are governance options (WithNow fixes the clock waivers expire
// against); an acceptance hook given in opts is replaced by this registry's.
// The error is only for a nil model or a cancelled context; findings are
// the diagnostics, waived ones marked.
func (r *Registry) CheckModel(ctx context.Context, m *ecosystem.Ecosystem, opts ...governance.Option) (ecosystem.Diagnostics, error) {
	opts = append(opts, governance.WithAcceptance(Acceptance(r)))
	return governance.CheckModel(ctx, m, opts...)
}
