// Package sqlplatform is the platform that moves real data, kind "sql": it
// reads the model's SQL sources (SQLite, PostgreSQL, MySQL/MariaDB) and
// keeps their datasets in a merge store it owns (an SQLite file by default,
// or PostgreSQL), as live (SCD1) or forensic (SCD2) tables, with views for
// each consumer. docs/SQL_PLATFORM.md describes its behaviour.
//
//	platform("Warehouse", kind = "sql", options = {"milestoning": "forensic", "store": "postgres://dsl@db:5432/warehouse"})
//
// # Streams and batches
//
// Each ingest node of the platform's pipeline is a stream ("Store", or
// "Store.dataset" for a store ingested dataset by dataset). A stream runs
// batches numbered 1, 2, 3 ...; a batch goes STARTED (numbered, its
// snapshot being staged) → INGESTED (every dataset staged and checked) →
// COMMITTED (merged, in one transaction with the mark). The record of each
// batch, with its metrics and what it needs to resume, is in the table
// dsl_batches of the merge store. Killed at any instant, the next run
// finishes or redoes the open batch under the same number, so the end state
// is that of an uninterrupted run. One batch of a stream runs at a time,
// whatever the number of processes (a lock in the merge store).
//
// # Use from Go
//
// A Platform is made by New from the model's declaration (the registry in
// package platforms does it for kind "sql"), with Options for what the host
// decides at run time: another store (WithStore), a credential store
// (WithCredentials), the model's root directory (WithModelRoot), a logger.
// Run runs a pipeline continuously (platforms.Runner); RunOnce runs one
// batch of each stream and reports what each did and which views to query;
// Status reads where each stream stands; Reset discards an uncommitted
// batch. The command line (dsl run, dsl status, dsl reset) is a thin layer
// over these four.
package sqlplatform
