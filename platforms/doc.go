// Package platforms connects the model's platform declarations to Go
// implementations. A platform is a Go value registered under a kind name;
// platform(name, kind = ..., options = {...}) in the model is bound to the
// factory registered for that kind. A bound platform declares what it
// supports (graph.Capabilities), checks the pipeline graph the broker derives
// for it (Accept, reported as diagnostics like every other rule, so the
// change check shows them on the pull request), and realises it: a Renderer
// renders artifacts for an existing engine, a Runner runs the pipeline
// itself. A platform that is neither is governance only.
//
// A host program registers its own kinds without touching the library:
//
//	reg := platforms.Builtin() // "legacy" included
//	if err := reg.Register("sqlscript", newSQLScript); err != nil { ... }
//	b := reg.Broker(model)      // bind, assign, build pipelines
//	diags := b.Accept(ctx)      // binding, assignment, cycles and acceptance
//	files, err := b.Render(ctx, "Scripts")
//
// Acceptance(reg) is the same check in the shape of the change check's hook.
// Sub-packages: legacy (the governance-only reference platform), options
// (reading a declaration's options) and platformtest (a test kit for
// platform authors).
package platforms
