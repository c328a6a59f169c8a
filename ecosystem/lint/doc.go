// Package lint checks that one model is self-consistent: names are valid SQL
// identifiers, every reference resolves, schemas have keys, data is
// classified, captures and transformers are well formed, deprecations and
// producer approvals are honoured (docs/RULES.md).
//
// Each check is a registered rule with a stable SCREAMING_SNAKE ID, a default
// severity, a purpose and categories (see Rules and docs/RULES.md). Lint runs
// every rule over the whole model and returns every finding in one sorted
// list; rules are independent, so a broken reference never hides another
// problem. Findings point at the offending argument of the constructor call
// where one is to blame, carry the model path of the object concerned, a
// message with the values involved and a hint with the fix.
//
// Lint does not know about changes between two models or about waivers
// expiring: the governance package owns those. It only checks that each
// waiver is well formed (WAIVER_INVALID).
package lint
