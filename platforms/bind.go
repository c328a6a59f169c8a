package platforms

import (
	"errors"
	"fmt"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/platforms/options"
)

// Bind makes a platform for every declaration of m whose kind is registered,
// keyed by platform name. A declaration with an unregistered kind
// (PLATFORM_KIND_UNKNOWN, at the kind argument, with a did-you-mean) or
// options its factory rejects (PLATFORM_OPTION_INVALID, at the options
// argument, one diagnostic per bad option) is reported and left unbound.
// A repeated platform name (a lint error) binds its first declaration. The
// rules a bound platform declares (RuleSource) join the ecosystem's rule
// registry; one it refuses is PLATFORM_RULE_INVALID.
func (r *Registry) Bind(m *ecosystem.Ecosystem) (map[string]Platform, ecosystem.Diagnostics) {
	bound := map[string]Platform{}
	var diags ecosystem.Diagnostics
	kinds := r.Kinds()
	seen := map[string]bool{}
	for _, decl := range m.Platforms {
		if seen[decl.Name] {
			continue
		}
		seen[decl.Name] = true
		path := ecosystem.PlatformPath(decl.Name)
		f, ok := r.Factory(decl.Kind)
		if !ok {
			d := RuleKindUnknown.New(path, decl.ArgPos("kind"), "platform %s: kind %q is not registered (registered kinds: %s)",
				decl.Name, decl.Kind, strings.Join(kinds, ", "))
			if near := options.Closest(decl.Kind, kinds); near != "" {
				d.Hint = fmt.Sprintf("did you mean %q? Otherwise register the kind in the host program (platforms.Registry.Register)", near)
			}
			diags = append(diags, d)
			continue
		}
		p, err := f(decl)
		if err == nil && p == nil {
			err = fmt.Errorf("the factory of kind %q returned no platform", decl.Kind)
		}
		if err != nil {
			diags = append(diags, optionDiagnostics(decl, path, err)...)
			continue
		}
		diags = append(diags, registerRules(decl, path, p)...)
		bound[decl.Name] = p
	}
	diags.Sort()
	return bound, diags
}

// optionDiagnostics turns a factory's error into one diagnostic per bad
// option it names (options.Error, possibly joined), or one for the whole
// declaration.
func optionDiagnostics(decl *ecosystem.Platform, path string, err error) ecosystem.Diagnostics {
	pos := decl.ArgPos("options")
	var out ecosystem.Diagnostics
	for _, e := range flatten(err) {
		d := RuleOptionInvalid.New(path, pos, "platform %s (kind %s): %s", decl.Name, decl.Kind, e.Error())
		var oe *options.Error
		if errors.As(e, &oe) && oe.Hint != "" {
			d.Hint = oe.Hint
		}
		out = append(out, d)
	}
	return out
}

// flatten expands errors.Join trees into their leaves.
func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}

// Capabilities returns what each bound platform supports, keyed by platform
// name: the broker's input (graph.Assign, graph.Build).
func Capabilities(bound map[string]Platform) map[string]graph.Capabilities {
	out := make(map[string]graph.Capabilities, len(bound))
	for name, p := range bound {
		out[name] = p.Capabilities()
	}
	return out
}
