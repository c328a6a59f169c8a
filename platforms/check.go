package platforms

import (
	"context"
	"io/fs"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/governance"
)

// CheckModel checks one model exactly as `dsl lint` does: every lint rule
// (the host's registered ones included), the zones' policies, the broker
// with this registry's platform kinds (binding each platform declaration,
// assigning every dataset group, each platform's acceptance of its
// pipeline), and then the model's waivers. It is the one call for a host
// that has a model and wants "is this model good?"; CheckModelFS also
// evaluates it.
//
// opts are governance options (WithNow fixes the clock waivers expire
// against); an acceptance hook given in opts is replaced by this registry's.
// The error is only for a nil model or a cancelled context; findings are
// the diagnostics, waived ones marked (Diagnostics.Max ignores them, and a
// waived finding's Error says by which waiver).
func (r *Registry) CheckModel(ctx context.Context, m *ecosystem.Ecosystem, opts ...governance.Option) (ecosystem.Diagnostics, error) {
	opts = append(opts, governance.WithAcceptance(Acceptance(r)))
	return governance.CheckModel(ctx, m, opts...)
}

// CheckModelFS evaluates the model in fsys (any io/fs.FS: a folder, a git
// revision, an embed.FS) and checks it as CheckModel does: exactly what
// `dsl lint` reports for a model folder.
//
//	m, diags, err := platforms.Builtin().CheckModelFS(ctx, os.DirFS("model"))
//
// A model that does not evaluate is no error: its evaluation findings are
// the diagnostics and the model is nil. The error is for reading fsys and
// for a cancelled context. governance.WithEvalOptions passes options to the
// evaluation (entry file, limits).
func (r *Registry) CheckModelFS(ctx context.Context, fsys fs.FS, opts ...governance.Option) (*ecosystem.Ecosystem, ecosystem.Diagnostics, error) {
	opts = append(opts, governance.WithAcceptance(Acceptance(r)))
	return governance.CheckModelFS(ctx, fsys, opts...)
}
