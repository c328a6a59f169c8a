// Package starlark is the model language of DataSurface: it evaluates a tree of
// Starlark files (eco.star and the files it loads) in a sandbox and returns the
// typed model of package ecosystem.
//
// Evaluate reads files only through the io/fs.FS it is given (a folder, a git
// revision, a map in tests) and only through load(). There is no clock,
// environment, network or file access from model code, print() goes to an
// optional callback, and every evaluation is bounded by a step limit per file
// and a wall-time limit. The same files always give the same model.
//
// Every object a builtin builds records the file:line:col of the call and of
// each argument (ecosystem.Source), and every model error is returned as an
// ecosystem.DiagnosticsError whose rules are listed by Rules. Builtins lists the
// builtin functions with their parameters; the reference tables of
// docs/LANGUAGE.md are generated from it.
//
// Evaluation is staged like go.starlark.net itself: files are discovered,
// parsed and compiled in parallel (following load statements) and executed in
// dependency order, independent files in parallel, each as soon as the files
// it loads have run. Data-like files, most of a model, are parsed by a fast
// parser of their subset of Starlark that builds the same syntax tree as
// go.starlark.net's. A Cache shared between evaluations keeps compiled files
// and executed modules, so evaluating the base and head revisions of a change
// re-executes only the files that changed and the files that load them.
package starlark
