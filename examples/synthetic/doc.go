// Package synthetic generates the synthetic model of docs/PERFORMANCE.md: a
// model of any shape (zones, teams per zone, datastores per team, datasets per
// store, columns per dataset, workspaces per team, sinks per workspace)
// written out as Starlark files, the way a large organisation would have
// written it by hand. It is what the benchmarks and the side-by-side
// comparison with the reference implementation evaluate, lint and check.
//
// # Files
//
// A model of shape s is these files, relative to the model root:
//
//	eco.star              the ecosystem: vendor, platform, and the zone list
//	zones/Z{z}.star       one zone: its repository and its team list
//	teams/Z{z}_T{t}.star  one team: its datastores, datasets and workspaces
//
// Each team lives in its own file, so a pull request from a team touches that
// file only. Every dataset and column is written explicitly (one column() call
// per column), not produced by a loop in Starlark, so the evaluator faces the
// same amount of source as with a hand-written model. The files are laid out
// as dsl fmt lays them out (package starlark/format), so a generated model
// passes dsl fmt --check.
//
// # Repositories
//
// Every part of the model is owned by the same repository name,
// RepoName ("github.com/synth/model"), on a different branch: the ecosystem on
// eco_main (live branch live), zone Z{z} on Z{z}_main and team Z{z}_T{t} on
// Z{z}_T{t}_main. The shape's definition names only the branches; one repository name with
// a branch per owner lets a single git repository hold every revision a
// benchmark needs, and leaves ownership decided by the branch alone (the
// change check compares repositories exactly, name and branch).
//
// # Variants
//
// Base is the model itself. PullRequest is the head of a pull request from
// team Z0_T0: every dataset of Z0_T0_S0 gains a nullable column pr_extra
// varchar(20), and the team gains a store Z0_T0_SPR of the same shape as the
// others. PullRequestIncompatible also drops the last column of
// Z0_T0_S0.ds0. Only teams/Z0_T0.star differs between the variants; every
// other file is byte-identical.
//
// The package uses the standard library only, so any program can generate a
// model without pulling in the evaluator.
package synthetic
