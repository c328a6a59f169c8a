package platforms

import (
	"fmt"
	"regexp"
	"slices"
	"sync"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/platforms/legacy"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform"
)

// Factory makes a platform from its declaration in the model, reading the
// declaration's options (see package options). An error means the options
// are wrong; return the errors of options.Reader.Err, or an *options.Error,
// so the diagnostic names the option.
type Factory func(decl *ecosystem.Platform) (Platform, error)

// Registry maps kind names to factories. It is safe for concurrent use.
type Registry struct {
	mu    sync.RWMutex
	kinds map[string]Factory
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{kinds: map[string]Factory{}} }

// Builtin returns a new registry holding the platforms the library ships:
// "legacy" and "sql". Each call returns a fresh registry the caller may add
// to.
func Builtin() *Registry {
	r := NewRegistry()
	if err := r.Register(legacy.Kind, func(d *ecosystem.Platform) (Platform, error) {
		p, err := legacy.New(d)
		if err != nil {
			return nil, err // not p: a nil *legacy.Platform is a non-nil Platform
		}
		return p, nil
	}); err != nil {
		panic(err) // a constant kind in an empty registry: cannot happen
	}
	if err := r.Register(sqlplatform.Kind, func(d *ecosystem.Platform) (Platform, error) {
		p, err := sqlplatform.New(d)
		if err != nil {
			return nil, err
		}
		return p, nil
	}); err != nil {
		panic(err)
	}
	return r
}

var kindPattern = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)

// Register adds a kind. The kind is lower case (letters, digits, "_" and
// "-", starting with a letter); registering a kind twice is an error.
func (r *Registry) Register(kind string, f Factory) error {
	if !kindPattern.MatchString(kind) {
		return fmt.Errorf("platforms: kind %q: want lower-case letters, digits, \"_\" or \"-\", starting with a letter", kind)
	}
	if f == nil {
		return fmt.Errorf("platforms: kind %q: the factory is nil", kind)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.kinds[kind]; dup {
		return fmt.Errorf("platforms: kind %q is already registered", kind)
	}
	r.kinds[kind] = f
	return nil
}

// Kinds returns the registered kinds, sorted.
func (r *Registry) Kinds() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]string, 0, len(r.kinds))
	for k := range r.kinds {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Factory returns the factory of a kind.
func (r *Registry) Factory(kind string) (Factory, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	f, ok := r.kinds[kind]
	return f, ok
}
