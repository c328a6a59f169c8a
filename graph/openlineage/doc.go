// Package openlineage speaks OpenLineage (https://openlineage.io), the open
// standard for lineage metadata, spec version 2-0-2: the event types, the
// facets DataSurface fills, the names it gives jobs and datasets, and
// emitters that send events to a JSON-lines file or an HTTP endpoint.
//
// Two kinds of output are built from the model and its pipelines:
//
//   - StaticEvents describes a platform's pipeline (graph.Pipeline) as one
//     JobEvent per ingest, export and transform node: the job, its input and
//     output datasets with their schema, documentation, ownership and data
//     source facets. It is what `dsl export --format openlineage` writes.
//   - Runs builds the run events of a running platform: START, COMPLETE and
//     FAIL for a batch of a stream (an ingest node) or a run of a
//     transformer, with output statistics on COMPLETE and the error message
//     on FAIL. The jobs and datasets carry the same namespaces and names as
//     the static events, so a lineage server joins the two.
//
// Names (docs/EXPORTS.md has the full table): jobs live in the namespace
// PlatformNamespace(ecosystem, platform) and are named by their pipeline
// node ID ("ingest:Shop", "transform:FeatureBuilder"); a model dataset (what
// a producer publishes, the dataset an ODCS contract describes) is
// ModelDataset, namespace DatasetNamespace(ecosystem) and name
// "Store.dataset"; the platform's copy of it is in the platform's namespace
// under the same name; a workspace group's view of it is in the platform's
// namespace as "Workspace.group.Store.dataset".
//
// Every builder here is deterministic: the same model, pipeline, times and
// run IDs give the same events, byte for byte once encoded.
package openlineage
