// Package graph is the broker: it decides which data platform serves each
// consumer's dataset group, derives for each platform the pipeline graph that
// runs from those groups back to the producers, and answers lineage and plan
// questions about a model.
//
// The stages, each usable on its own:
//
//   - Assign matches every dataset group to one or more platforms: an explicit
//     assignment in the ecosystem (several during a migration), else the
//     platform the group names, else the best platform for its requirements
//     among those the zones whose data it consumes allow. Every choice carries
//     its explanation (Explain).
//   - Build derives one Pipeline per platform: ingestion, export, trigger and
//     transformer nodes with their priorities, as a gonum directed graph.
//     Cycles are reported as GRAPH_CYCLE diagnostics naming the path.
//   - Write renders pipelines as JSON, DOT or Mermaid; the same model always
//     gives the same bytes.
//   - Diff compares the pipelines of two models, like a Terraform plan.
//   - Impact and Upstream answer lineage questions: who consumes a dataset or
//     column, and which producers feed a workspace.
//
// The package knows nothing about platform implementations: what each
// platform supports is handed in as Capabilities, keyed by platform name. The
// platforms package binds the model's platform declarations to
// implementations and passes their capabilities here.
//
// The broker works on a model that lint has checked: references that do not
// resolve (a sink naming an unknown dataset, a group or an assignment naming
// an undeclared platform) are skipped here, since lint reports them.
package graph
