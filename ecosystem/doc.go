// Package ecosystem is the typed model of a data ecosystem: who produces which
// datasets, who consumes them with what requirements, which transformers derive
// what, which policies govern it, and which repository owns each part.
//
// The model is plain Go. It is usually built by the Starlark evaluator (package
// starlark of this module) but can equally be built from Go code: fill an
// Ecosystem value and its children, then call New. After New returns, the model
// and everything reachable from it must be treated as immutable; every lookup
// method relies on that. Objects refer to each other by name (a sink names a
// store and a dataset, a transformer names its output store) and the lint
// package resolves and checks those references.
//
// The package also holds what every later stage shares: source positions
// (Pos, Source), model paths, and the one Diagnostic type used by evaluation,
// lint, the change check and platform acceptance alike.
package ecosystem
