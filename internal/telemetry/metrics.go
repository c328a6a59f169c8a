package telemetry

import (
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Batch states accepted by BatchEnded. They are the only values the state label of
// dsl_batches_total takes, apart from StateUnknown.
const (
	// StateCommitted is a batch that ingested and merged its rows and committed.
	StateCommitted = "committed"
	// StateFailed is a batch that ended with an error (it will be retried).
	StateFailed = "failed"
	// StateBusy is a job that found another worker already running the stream's batch.
	StateBusy = "busy"
	// StateUpToDate is a job that found nothing new to ingest.
	StateUpToDate = "up_to_date"
	// StateRetired is a job for a stream that is no longer in the model.
	StateRetired = "retired"
	// StateUnknown is what BatchEnded records for any other state, so that a caller's
	// mistake shows in the metrics without letting arbitrary strings grow the label
	// cardinality.
	StateUnknown = "unknown"
)

// knownStates lists the states BatchEnded records under their own name.
var knownStates = map[string]bool{
	StateCommitted: true,
	StateFailed:    true,
	StateBusy:      true,
	StateUpToDate:  true,
	StateRetired:   true,
}

// durationBuckets are the upper bounds, in seconds, of dsl_batch_duration_seconds:
// from 10 ms (an empty incremental batch against a local store) to 30 minutes (a
// large snapshot), with roughly two to three buckets per decade.
var durationBuckets = []float64{
	0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
	1, 2.5, 5, 10, 30,
	60, 120, 300, 600, 1200, 1800,
}

// Rows counts the rows one batch handled, by kind. Read is what the batch read
// from the source; the others are what the merge did with them.
type Rows struct {
	Read, Inserted, Updated, Deleted, Unchanged int64
}

// Metrics holds one worker's metrics in its own registry. It never touches the
// global default registry, so tests and several workers in one process do not
// collide. All methods are safe for concurrent use.
type Metrics struct {
	platform string
	registry *prometheus.Registry

	batches      *prometheus.CounterVec
	rows         *prometheus.CounterVec
	duration     *prometheus.HistogramVec
	loadFailures prometheus.Counter
	model        *modelCollector
	lag          *sourceCollector
	queue        *sourceCollector
}

// NewMetrics returns the metrics of a worker running the data platform named
// platform; every series carries that name in its platform label. The registry also
// holds the standard Go runtime and process collectors (go_*, process_*).
func NewMetrics(platform string) *Metrics {
	platformLabel := prometheus.Labels{"platform": labelValue(platform)}
	m := &Metrics{
		platform: platform,
		registry: prometheus.NewRegistry(),
		batches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name:        "dsl_batches_total",
			Help:        "Batch jobs ended, by stream and by how they ended (committed, failed, busy, up_to_date, retired).",
			ConstLabels: platformLabel,
		}, []string{"stream", "state"}),
		rows: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name:        "dsl_rows_total",
			Help:        "Rows handled by batches, by stream and kind (read, inserted, updated, deleted, unchanged).",
			ConstLabels: platformLabel,
		}, []string{"stream", "kind"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:        "dsl_batch_duration_seconds",
			Help:        "Wall time of committed and failed batches.",
			ConstLabels: platformLabel,
			Buckets:     durationBuckets,
		}, []string{"state"}),
		loadFailures: prometheus.NewCounter(prometheus.CounterOpts{
			Name:        "dsl_model_load_failures_total",
			Help:        "Model loads that failed (the model did not lint or could not be read); the running model stayed.",
			ConstLabels: platformLabel,
		}),
		model: newModelCollector(platformLabel),
		lag: newSourceCollector(platformLabel, "stream_lag", prometheus.NewDesc(
			"dsl_stream_lag_seconds",
			"Seconds since the stream's last committed batch; streams that never committed are absent.",
			[]string{"stream"}, platformLabel)),
		queue: newSourceCollector(platformLabel, "queue", prometheus.NewDesc(
			"dsl_queue_jobs",
			"Jobs in the platform's queue, by job state.",
			[]string{"state"}, platformLabel)),
	}
	m.registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.batches, m.rows, m.duration, m.loadFailures, m.model, m.lag, m.queue,
	)
	return m
}

// Platform returns the platform name given to NewMetrics.
func (m *Metrics) Platform() string { return m.platform }

// Registry returns the registry holding m's metrics, for serving them (Server does)
// or for registering more collectors next to them.
func (m *Metrics) Registry() *prometheus.Registry { return m.registry }

// BatchEnded records one batch job of stream that ended in state (one of the State
// constants; any other value is recorded as StateUnknown). It adds rows to
// dsl_rows_total by kind and, for committed and failed batches only, observes dur in
// dsl_batch_duration_seconds: busy, up-to-date and retired jobs did no work worth
// timing and would drown the real batches in the histogram. Negative row counts are
// ignored because counters never decrease.
func (m *Metrics) BatchEnded(stream, state string, rows Rows, dur time.Duration) {
	if !knownStates[state] {
		state = StateUnknown
	}
	stream = labelValue(stream)
	m.batches.WithLabelValues(stream, state).Inc()
	for _, kind := range []struct {
		name  string
		count int64
	}{
		{"read", rows.Read},
		{"inserted", rows.Inserted},
		{"updated", rows.Updated},
		{"deleted", rows.Deleted},
		{"unchanged", rows.Unchanged},
	} {
		if kind.count >= 0 {
			m.rows.WithLabelValues(stream, kind.name).Add(float64(kind.count))
		}
	}
	if state == StateCommitted || state == StateFailed {
		m.duration.WithLabelValues(state).Observe(dur.Seconds())
	}
}

// ModelLoaded records an attempt to load the model at revision (a git commit or
// any other name of the model's version). A failed attempt (ok false) increments
// dsl_model_load_failures_total and sets dsl_model_load_failed to 1; dsl_model_info
// keeps naming the revision still running. A successful attempt sets
// dsl_model_load_failed to 0 and makes revision the only series of dsl_model_info.
func (m *Metrics) ModelLoaded(revision string, ok bool) {
	if !ok {
		m.loadFailures.Inc()
	}
	m.model.record(revision, ok)
}

// modelCollector exports dsl_model_info and dsl_model_load_failed from one piece of
// state under one lock, so a scrape never sees two revisions or none while a new
// model is being recorded.
type modelCollector struct {
	infoDesc   *prometheus.Desc
	failedDesc *prometheus.Desc

	mu       sync.Mutex
	loaded   bool
	revision string
	failed   bool
}

func newModelCollector(platformLabel prometheus.Labels) *modelCollector {
	return &modelCollector{
		infoDesc: prometheus.NewDesc("dsl_model_info",
			"Always 1; the revision label names the model revision the worker is running.",
			[]string{"revision"}, platformLabel),
		failedDesc: prometheus.NewDesc("dsl_model_load_failed",
			"1 when the last model load failed (the previous model keeps running), 0 otherwise.",
			nil, platformLabel),
	}
}

func (c *modelCollector) record(revision string, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.failed = !ok
	if ok {
		c.loaded = true
		c.revision = revision
	}
}

// Describe implements prometheus.Collector.
func (c *modelCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.infoDesc
	ch <- c.failedDesc
}

// Collect implements prometheus.Collector.
func (c *modelCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	loaded, revision, failed := c.loaded, c.revision, c.failed
	c.mu.Unlock()

	failedValue := 0.0
	if failed {
		failedValue = 1
	}
	ch <- prometheus.MustNewConstMetric(c.failedDesc, prometheus.GaugeValue, failedValue)
	if loaded {
		ch <- prometheus.MustNewConstMetric(c.infoDesc, prometheus.GaugeValue, 1, labelValue(revision))
	}
}

// labelValue returns s with any bytes that are not valid UTF-8 replaced by U+FFFD.
// Prometheus rejects (and the client library panics on) label values that are not
// UTF-8; names from a model or a store must never crash a worker through its metrics.
func labelValue(s string) string {
	return strings.ToValidUTF8(s, "\uFFFD")
}
