package lint

import (
	"sync"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// pass is what every rule sees: the model and lookups computed once per Lint
// run and shared by the rules that need them. Rules only read it.
type pass struct {
	m          *ecosystem.Ecosystem
	stores     []ecosystem.StoreRef
	workspaces []ecosystem.WorkspaceRef

	sinksOnce sync.Once
	sinks     []sinkUse

	outputsOnce sync.Once
	outputs     map[string][]ecosystem.WorkspaceRef
}

func newPass(m *ecosystem.Ecosystem) *pass {
	return &pass{m: m, stores: m.Datastores(), workspaces: m.Workspaces()}
}

// sinkUse is a sink resolved against the model. Store is the zero StoreRef
// and Dataset nil when the names do not resolve (SINK_UNRESOLVED reports
// that; other rules skip such sinks).
type sinkUse struct {
	ecosystem.SinkRef
	Store   ecosystem.StoreRef
	Dataset *ecosystem.Dataset
}

// path returns the model path of the group holding the sink: sinks have no
// name of their own.
func (s sinkUse) path() string {
	return ecosystem.GroupPath(s.Zone.Name, s.Team.Name, s.Workspace.Name, s.Group.Name)
}

// resolvedSinks returns every sink of the model in model order, resolved once.
func (p *pass) resolvedSinks() []sinkUse {
	p.sinksOnce.Do(func() {
		n := 0
		for _, w := range p.workspaces {
			for _, g := range w.Workspace.Groups {
				n += len(g.Sinks)
			}
		}
		p.sinks = make([]sinkUse, 0, n)
		for _, w := range p.workspaces {
			for _, g := range w.Workspace.Groups {
				for _, s := range g.Sinks {
					u := sinkUse{SinkRef: ecosystem.SinkRef{WorkspaceRef: w, Group: g, Sink: s}}
					if r, ok := p.m.Dataset(s.Store, s.Dataset); ok {
						u.Store, u.Dataset = r.StoreRef, r.Dataset
					} else if r, ok := p.m.Datastore(s.Store); ok {
						u.Store = r
					}
					p.sinks = append(p.sinks, u)
				}
			}
		}
	})
	return p.sinks
}

// producers returns, for each store name, the workspaces whose transformer
// names it as output, in model order. Unlike the ecosystem index, which keeps
// the first, it keeps them all so that shared outputs and cycles through any
// of them are found.
func (p *pass) producers() map[string][]ecosystem.WorkspaceRef {
	p.outputsOnce.Do(func() {
		p.outputs = map[string][]ecosystem.WorkspaceRef{}
		for _, w := range p.workspaces {
			if t := w.Workspace.Transformer; t != nil && t.Output != "" {
				p.outputs[t.Output] = append(p.outputs[t.Output], w)
			}
		}
	})
	return p.outputs
}

// reporter collects the findings of one rule.
type reporter struct {
	rule  *ecosystem.Rule
	diags ecosystem.Diagnostics
}

// diag returns a finding of the rule, with the rule's generic hint, for the
// caller to complete (a specific Hint, Related positions) and add.
func (r *reporter) diag(path string, pos ecosystem.Pos, format string, args ...any) ecosystem.Diagnostic {
	return r.rule.New(path, pos, format, args...)
}

// add records a finding.
func (r *reporter) add(d ecosystem.Diagnostic) { r.diags = append(r.diags, d) }

// report records a finding with the rule's generic hint.
func (r *reporter) report(path string, pos ecosystem.Pos, format string, args ...any) {
	r.add(r.diag(path, pos, format, args...))
}

// related is a secondary position; positions unknown (objects built in Go
// without sources) are dropped so reports do not show empty places.
func related(rel []ecosystem.Related, pos ecosystem.Pos, msg string) []ecosystem.Related {
	if !pos.IsValid() {
		return rel
	}
	return append(rel, ecosystem.Related{Pos: pos, Message: msg})
}
