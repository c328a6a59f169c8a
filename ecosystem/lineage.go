package ecosystem

import (
	"cmp"
	"slices"
)

// Consumers returns the workspaces that consume a dataset, directly through a
// sink or indirectly through transformers: when a consuming workspace has a
// transformer, every consumer of the transformer's output store is a consumer
// too, up to any depth. The result is sorted by workspace name; transformer
// cycles (a lint error) do not loop.
func (e *Ecosystem) Consumers(store, dataset string) []WorkspaceRef {
	seen := map[string]bool{}
	var out []WorkspaceRef
	var visit func(sinks []SinkRef)
	visit = func(sinks []SinkRef) {
		for _, s := range sinks {
			w := s.Workspace
			if seen[w.Name] {
				continue
			}
			seen[w.Name] = true
			out = append(out, s.WorkspaceRef)
			if w.Transformer == nil {
				continue
			}
			if r, ok := e.Datastore(w.Transformer.Output); ok {
				for _, d := range r.Store.Datasets {
					visit(e.ConsumersOf(r.Store.Name, d.Name))
				}
			}
		}
	}
	visit(e.ConsumersOf(store, dataset))
	slices.SortFunc(out, func(a, b WorkspaceRef) int { return cmp.Compare(a.Workspace.Name, b.Workspace.Name) })
	return out
}

// StoreConsumers returns the workspaces that consume any dataset of a store,
// directly or through transformers, sorted by name.
func (e *Ecosystem) StoreConsumers(store string) []WorkspaceRef {
	r, ok := e.Datastore(store)
	if !ok {
		return nil
	}
	seen := map[string]bool{}
	var out []WorkspaceRef
	for _, d := range r.Store.Datasets {
		for _, w := range e.Consumers(store, d.Name) {
			if !seen[w.Workspace.Name] {
				seen[w.Workspace.Name] = true
				out = append(out, w)
			}
		}
	}
	slices.SortFunc(out, func(a, b WorkspaceRef) int { return cmp.Compare(a.Workspace.Name, b.Workspace.Name) })
	return out
}
