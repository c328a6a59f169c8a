// Package governance is the change check that every pull request against a
// model repository runs: given the base model (the main branch), the head
// model (the pull request) and the repository the pull request comes from,
// it reports
//
//   - lint findings of the head model (package ecosystem/lint);
//   - authorization: every difference the source repository does not own
//     (Authorization, docs/CHECK.md);
//   - compatibility: every incompatible schema change between base and head
//     (Compatibility, docs/COMPATIBILITY.md);
//   - policies: every violation of a zone's policies in head (Policies,
//     docs/CHECK.md);
//   - platform acceptance, through the WithAcceptance hook;
//
// then applies the waivers the head model declares (ApplyWaivers,
// docs/CHECK.md). Check runs all of it on two models, CheckFS on two file systems
// (for example two git revisions from package governance/gitfs), sharing one
// evaluation cache so that files unchanged between the revisions are
// compiled once. The result is a sorted list of ecosystem.Diagnostic, which
// package ecosystem/report renders; Rules lists every rule the check can
// report. docs/CHECK.md describes the check for model authors.
package governance
