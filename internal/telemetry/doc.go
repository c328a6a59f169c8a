// Package telemetry gives a worker its Prometheus metrics, its HTTP endpoints
// (/metrics, /healthz, /readyz) and its structured logger.
//
// # Metrics
//
// NewMetrics builds one worker's metrics in a registry of their own (never the
// global default registry). Every series carries the platform label, the name of
// the data platform the worker runs. Labels never hold batch numbers, times or other
// unbounded values: streams and revisions come from the model, states and kinds
// from fixed lists.
//
//	dsl_batches_total{platform,stream,state}          counter
//	    Batch jobs ended. state: committed, failed, busy (another worker held the
//	    stream), up_to_date (nothing new), retired (stream no longer in the model),
//	    unknown (a state the caller should not have passed).
//	dsl_rows_total{platform,stream,kind}              counter
//	    Rows handled by batches. kind: read, inserted, updated, deleted, unchanged.
//	dsl_batch_duration_seconds{platform,state}        histogram
//	    Wall time of committed and failed batches (state: committed, failed);
//	    buckets from 0.01 s to 1800 s.
//	dsl_stream_lag_seconds{platform,stream}           gauge, read at scrape time
//	    Seconds since the stream's last committed batch; streams that never
//	    committed are absent.
//	dsl_queue_jobs{platform,state}                    gauge, read at scrape time
//	    Jobs in the platform's queue by job state (the queue's own state names).
//	dsl_scrape_source_up{platform,source}             gauge, read at scrape time
//	    1 when the scrape-time read of source (stream_lag, queue) succeeded, 0 when
//	    it failed or took longer than ScrapeSourceTimeout.
//	dsl_model_load_failures_total{platform}           counter
//	    Model loads that failed (lint errors, unreadable repository); the running
//	    model stayed.
//	dsl_model_load_failed{platform}                   gauge
//	    1 while the last model load failed, 0 once one succeeds.
//	dsl_model_info{platform,revision}                 gauge
//	    Always 1, for the revision currently running only; absent until a model
//	    loads.
//
// The registry also holds the standard go_* and process_* collectors, and the
// promhttp_metric_handler_* metrics about scrapes themselves.
//
// The lag and queue gauges come from functions installed with SetLagSource and
// SetQueueSource, called on every scrape with a timeout, so they report the store
// as it is rather than as one worker last saw it. A failing source is reported as
// an invalid metric (the scrape still serves every other metric) and by
// dsl_scrape_source_up.
//
// # Endpoints
//
// Server serves GET /metrics, GET /healthz (liveness: 200 while the process runs)
// and GET /readyz (readiness: 200 when the caller's check passes, 503 with its error
// text otherwise). Start binds the address and serves in the background; Shutdown
// stops gracefully, for a worker that received SIGTERM.
//
// # Logs
//
// NewLogger returns a log/slog logger writing text (for a terminal) or JSON (for a
// log collector). Records name the platform, stream and batch with the keys
// AttrPlatform, AttrStream and AttrBatch.
package telemetry
