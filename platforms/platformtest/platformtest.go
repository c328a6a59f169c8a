package platformtest

import (
	"context"
	"flag"
	"io/fs"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/ecosystem/lint"
	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/platforms"
	"github.com/datasurface/datasurface-go/starlark"
)

var update = flag.Bool("update", false, "rewrite the golden files compared by platformtest (and by the tests that read platformtest.Update)")

// Update reports whether the test binary runs with -update.
func Update() bool { return *update }

// Kit evaluates and binds models for one test.
type Kit struct {
	t        testing.TB
	registry *platforms.Registry
	eval     []starlark.Option
}

// Option configures a Kit.
type Option func(*Kit)

// WithKind registers a platform kind in the kit's registry, which starts as
// platforms.Builtin.
func WithKind(kind string, f platforms.Factory) Option {
	return func(k *Kit) {
		if err := k.registry.Register(kind, f); err != nil {
			k.t.Fatalf("platformtest: %v", err)
		}
	}
}

// WithRegistry replaces the kit's registry (given before WithKind, the kinds
// are added to it).
func WithRegistry(r *platforms.Registry) Option { return func(k *Kit) { k.registry = r } }

// WithEvalOptions passes options to the model's evaluation (entry file,
// limits).
func WithEvalOptions(opts ...starlark.Option) Option {
	return func(k *Kit) { k.eval = append(k.eval, opts...) }
}

// New returns a kit for test t.
func New(t testing.TB, opts ...Option) *Kit {
	t.Helper()
	k := &Kit{t: t, registry: platforms.Builtin()}
	for _, o := range opts {
		o(k)
	}
	return k
}

// Registry returns the kit's registry.
func (k *Kit) Registry() *platforms.Registry { return k.registry }

// Model evaluates the files (path relative to the model root → content;
// the entry is eco.star unless WithEvalOptions says otherwise), lints the
// model and brokers it. Evaluation errors and lint errors fail the test at
// once: the kit tests platforms, so the model must be valid.
func (k *Kit) Model(files map[string]string) *Model {
	k.t.Helper()
	return k.ModelFS(MapFS(files))
}

// ModelFS is Model for a model in any file system (os.DirFS("testdata/m")).
func (k *Kit) ModelFS(fsys fs.FS) *Model {
	k.t.Helper()
	m, err := starlark.Evaluate(context.Background(), fsys, k.eval...)
	if err != nil {
		k.t.Fatalf("platformtest: the model does not evaluate:\n%v", err)
	}
	return k.FromEcosystem(m)
}

// FromEcosystem lints and brokers a model built in Go.
func (k *Kit) FromEcosystem(m *ecosystem.Ecosystem) *Model {
	k.t.Helper()
	var errs ecosystem.Diagnostics
	for _, d := range lint.Lint(m) {
		if d.Severity == ecosystem.Error && d.Waived == nil {
			errs = append(errs, d)
		}
	}
	if len(errs) > 0 {
		k.t.Fatalf("platformtest: the model has lint errors:\n%v", ecosystem.DiagnosticsError(errs))
	}
	return &Model{Bound: k.registry.Broker(m), t: k.t}
}

// MapFS turns a map of path → content into an in-memory file system.
func MapFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data), Mode: 0o644}
	}
	return fsys
}

// Model is an evaluated, bound and brokered model, with assertions that fail
// the test.
type Model struct {
	*platforms.Bound
	t testing.TB
}

// Pipeline returns the named platform's pipeline; an undeclared platform
// fails the test.
func (m *Model) Pipeline(platform string) *graph.Pipeline {
	m.t.Helper()
	p := m.Graph.Pipeline(platform)
	if p == nil {
		m.t.Fatalf("platformtest: platform %q is not declared in the model", platform)
	}
	return p
}

// Platform returns the named bound platform; one that is not bound fails
// the test with the binding diagnostics.
func (m *Model) Platform(name string) platforms.Platform {
	m.t.Helper()
	p, ok := m.Platforms[name]
	if !ok {
		m.t.Fatalf("platformtest: platform %q is not bound:\n%v", name, ecosystem.DiagnosticsError(m.Diagnostics))
	}
	return p
}

// Accept returns the named platform's acceptance findings alone.
func (m *Model) Accept(platform string) ecosystem.Diagnostics {
	m.t.Helper()
	ds := m.Platform(platform).Accept(context.Background(), m.Pipeline(platform))
	ds.Sort()
	return ds
}

// ExpectAccept checks the broker's findings (binding, assignment, cycles)
// and the named platform's acceptance findings against want (see Expect for the form of each
// entry); no want means no finding at all.
func (m *Model) ExpectAccept(platform string, want ...string) {
	m.t.Helper()
	got := append(slices.Clone(m.Diagnostics), m.Accept(platform)...)
	got.Sort()
	Expect(m.t, got, want...)
}

// ExpectDiagnostics checks every finding the change check would add for
// this model (platforms.Bound.Accept, all platforms) against want.
func (m *Model) ExpectDiagnostics(want ...string) {
	m.t.Helper()
	Expect(m.t, m.Bound.Accept(context.Background()), want...)
}

// Render renders the named platform's pipeline (see platforms.Render),
// failing the test on error.
func (m *Model) Render(platform string) []platforms.Artifact {
	m.t.Helper()
	arts, err := platforms.Render(context.Background(), m.Platform(platform), m.Pipeline(platform))
	if err != nil {
		m.t.Fatalf("platformtest: %v", err)
	}
	return arts
}

// Golden renders the named platform's pipeline and compares the artifacts
// with the files under dir: each artifact with the file of its name, and
// every other file in dir is an artifact the platform no longer renders. With
// -update, dir is rewritten to hold exactly the artifacts. An empty or
// missing dir stands for "renders nothing".
func (m *Model) Golden(platform, dir string) {
	m.t.Helper()
	compareGolden(m.t, dir, m.Render(platform))
}
