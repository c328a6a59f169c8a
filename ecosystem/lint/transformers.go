package lint

import (
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// forEachTransformer calls fn for every workspace with a transformer whose
// output datastore exists (TRANSFORMER_OUTPUT_UNRESOLVED reports the rest).
func forEachTransformer(p *pass, fn func(w ecosystem.WorkspaceRef, t *ecosystem.Transformer, out ecosystem.StoreRef)) {
	for _, w := range p.workspaces {
		t := w.Workspace.Transformer
		if t == nil || t.Output == "" {
			continue
		}
		if out, ok := p.m.Datastore(t.Output); ok {
			fn(w, t, out)
		}
	}
}

// checkOutputForeign implements TRANSFORMER_OUTPUT_FOREIGN: a transformer
// writes a datastore of its own team, since the team's repository must own
// both the code that writes the data and the schema it is written to.
func checkOutputForeign(p *pass, r *reporter) {
	forEachTransformer(p, func(w ecosystem.WorkspaceRef, t *ecosystem.Transformer, out ecosystem.StoreRef) {
		if out.Zone == w.Zone && out.Team == w.Team {
			return
		}
		d := r.diag(w.Path(), t.ArgPos("output"), "transformer %q of team %q (workspace %q) writes datastore %q, which belongs to team %q", t.Name, w.Zone.Name+"/"+w.Team.Name, w.Workspace.Name, out.Store.Name, out.Zone.Name+"/"+out.Team.Name)
		d.Hint = "declare the output datastore in team " + quote(w.Team.Name) + ", or move the transformer's workspace to team " + quote(out.Team.Name)
		d.Related = related(d.Related, out.Store.Pos, "datastore declared here")
		r.add(d)
	})
}

// checkOutputCapture implements TRANSFORMER_OUTPUT_CAPTURE in both
// directions: a transformer's output store is captured as
// transformer_output (platforms ingest it from the transformer, not from a
// database), and a store captured as transformer_output is some
// transformer's output (or nothing would ever fill it).
func checkOutputCapture(p *pass, r *reporter) {
	forEachTransformer(p, func(w ecosystem.WorkspaceRef, t *ecosystem.Transformer, out ecosystem.StoreRef) {
		c := out.Store.Capture
		if c != nil && c.Kind == ecosystem.TransformerOutput {
			return
		}
		var d ecosystem.Diagnostic
		if c == nil {
			d = r.diag(out.Path(), out.Store.Pos, "datastore %q is written by transformer %q but has no capture", out.Store.Name, t.Name)
		} else {
			d = r.diag(out.Path(), out.Store.ArgPos("capture"), "datastore %q is written by transformer %q but is captured as %s", out.Store.Name, t.Name, c.Kind)
		}
		d.Hint = "capture the datastore as transformer output, for example capture = transformer_output()"
		d.Related = related(d.Related, t.ArgPos("output"), "named as output of transformer "+quote(t.Name)+" here")
		r.add(d)
	})
	producers := p.producers()
	for _, s := range p.stores {
		c := s.Store.Capture
		if c == nil || c.Kind != ecosystem.TransformerOutput || len(producers[s.Store.Name]) > 0 {
			continue
		}
		d := r.diag(s.Path(), s.Store.ArgPos("capture"), "datastore %q is captured as transformer output, but no transformer names it as output", s.Store.Name)
		d.Hint = "set output = " + quote(s.Store.Name) + " on the transformer that writes it, or capture the store from its source"
		r.add(d)
	}
}

// checkOutputShared implements TRANSFORMER_OUTPUT_SHARED: one datastore has
// one writer, or batches of two transformers would overwrite each other.
func checkOutputShared(p *pass, r *reporter) {
	producers := p.producers()
	for _, s := range p.stores {
		ws := producers[s.Store.Name]
		if len(ws) < 2 {
			continue
		}
		names := make([]string, len(ws))
		for i, w := range ws {
			names[i] = w.Workspace.Name
		}
		for _, w := range ws[1:] {
			t := w.Workspace.Transformer
			d := r.diag(w.Path(), t.ArgPos("output"), "datastore %q is the output of %d transformers, in workspaces %s", s.Store.Name, len(ws), strings.Join(names, ", "))
			d.Hint = "give each transformer its own output datastore"
			first := ws[0].Workspace.Transformer
			d.Related = related(d.Related, first.ArgPos("output"), "first named as output here")
			r.add(d)
		}
	}
}
