// Package render turns the pipeline of a platform of kind sql into what
// runs it outside one dsl process (docs/RENDER.md):
//
//   - Kubernetes: manifests checked against the Kubernetes API types, for a
//     Deployment of dsl worker processes sharing the platform's batches
//     through the job queue in the merge store, the Job that runs dsl
//     migrate first, the model as a ConfigMap (or a git branch the workers
//     follow), and a Service in front of the workers' metrics.
//   - Airflow: one DAG file per platform whose tasks run the streams, each
//     as a pod running dsl run --once --stream, in the pipeline's order and
//     on the model's cron schedules.
//
// Containers read the merge store's address and the pipeline's
// credentials from Kubernetes Secrets by name (SecretRefs): nothing
// rendered holds a secret. Output is deterministic: the same pipeline and
// options give the same files, byte for byte.
package render
