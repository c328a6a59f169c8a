// Package suggest picks the "did you mean" candidate for a misspelt name:
// an unknown Starlark name or argument, an unknown platform option or kind,
// a reference the lint rules cannot resolve.
//
// Closest is the whole contract: matching ignores letter case and
// underscores, counts edits with Distance (a transposition of neighbours is
// one edit), accepts at most a third of the name's letters wrong (at least
// two; one for names under four letters), never suggests the name itself,
// and gives ties to the earlier candidate, so a caller that wants hints
// independent of its candidates' order sorts them first.
//
// It is hand-written on purpose: the distance is a dozen lines, it runs only
// on the failure path, and the one in go.starlark.net is internal, so no
// library is worth a dependency (and lint must not depend on Starlark).
package suggest
