package telemetry

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// ScrapeSourceTimeout bounds each call of a lag or queue source during a scrape. A
// store that does not answer in time costs its own metric, not the whole scrape:
// Prometheus' default scrape timeout is 10 s, and the other metrics must still make it.
const ScrapeSourceTimeout = 5 * time.Second

// SetLagSource installs the function that reports, at scrape time, how long ago each
// stream last committed a batch (map key: stream name). Streams that never committed
// must be left out of the map. The values become dsl_stream_lag_seconds. The
// function gets a context that expires after ScrapeSourceTimeout; on error (or
// timeout) dsl_stream_lag_seconds is reported to Prometheus as invalid for that
// scrape, dsl_scrape_source_up{source="stream_lag"} is 0, and every other metric is
// served as usual. A nil function removes the source.
func (m *Metrics) SetLagSource(source func(ctx context.Context) (map[string]time.Duration, error)) {
	if source == nil {
		m.lag.set(nil)
		return
	}
	m.lag.set(func(ctx context.Context) (map[string]float64, error) {
		lags, err := source(ctx)
		if err != nil {
			return nil, err
		}
		values := make(map[string]float64, len(lags))
		for stream, lag := range lags {
			values[stream] = lag.Seconds()
		}
		return values, nil
	})
}

// SetQueueSource installs the function that reports, at scrape time, how many jobs
// the platform's queue holds in each job state (map key: the queue's state name, e.g.
// "available", "running", "retryable"). The values become dsl_queue_jobs. Timeout,
// errors and nil behave as for SetLagSource, with source="queue".
func (m *Metrics) SetQueueSource(source func(ctx context.Context) (map[string]int64, error)) {
	if source == nil {
		m.queue.set(nil)
		return
	}
	m.queue.set(func(ctx context.Context) (map[string]float64, error) {
		depths, err := source(ctx)
		if err != nil {
			return nil, err
		}
		values := make(map[string]float64, len(depths))
		for state, depth := range depths {
			values[state] = float64(depth)
		}
		return values, nil
	})
}

// readFunc reads one labelled gauge family at scrape time: label value to value.
type readFunc func(ctx context.Context) (map[string]float64, error)

// sourceCollector is a prometheus.Collector that asks a readFunc for its values on
// every scrape, so that numbers owned by the store (lag, queue depth) are exported
// as they are at that moment rather than as a worker last saw them. It also exports
// dsl_scrape_source_up, because an invalid metric only shows up in the scraper's
// error log, while an alert needs a series.
type sourceCollector struct {
	name    string
	desc    *prometheus.Desc
	upDesc  *prometheus.Desc
	timeout time.Duration

	mu   sync.Mutex
	read readFunc
}

func newSourceCollector(platformLabel prometheus.Labels, name string, desc *prometheus.Desc) *sourceCollector {
	upLabels := prometheus.Labels{"source": name}
	for key, value := range platformLabel {
		upLabels[key] = value
	}
	return &sourceCollector{
		name: name,
		desc: desc,
		upDesc: prometheus.NewDesc("dsl_scrape_source_up",
			"1 when the scrape-time read of the source (stream_lag, queue) succeeded, 0 when it failed or timed out.",
			nil, upLabels),
		timeout: ScrapeSourceTimeout,
	}
}

func (c *sourceCollector) set(read readFunc) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.read = read
}

func (c *sourceCollector) current() readFunc {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.read
}

// Describe implements prometheus.Collector.
func (c *sourceCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.desc
	ch <- c.upDesc
}

// Collect implements prometheus.Collector. Without a source it exports nothing.
func (c *sourceCollector) Collect(ch chan<- prometheus.Metric) {
	read := c.current()
	if read == nil {
		return
	}
	values, err := c.call(read)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, fmt.Errorf("telemetry: reading %s at scrape time: %w", c.name, err))
		ch <- prometheus.MustNewConstMetric(c.upDesc, prometheus.GaugeValue, 0)
		return
	}
	for _, key := range slices.Sorted(maps.Keys(values)) {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, values[key], labelValue(key))
	}
	ch <- prometheus.MustNewConstMetric(c.upDesc, prometheus.GaugeValue, 1)
}

// call runs read with a context that expires after c.timeout, and gives up waiting
// at that moment even if read ignores its context (a driver stuck in a dial), so a
// hung store never hangs the scrape. A read that finishes later is discarded.
func (c *sourceCollector) call(read readFunc) (map[string]float64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	type result struct {
		values map[string]float64
		err    error
	}
	done := make(chan result, 1) // buffered: a late read must not block forever
	go func() {
		values, err := read(ctx)
		done <- result{values, err}
	}()
	select {
	case r := <-done:
		if r.err != nil && ctx.Err() != nil {
			// The read gave up because its time ran out: say so, as when it ignores ctx.
			return nil, fmt.Errorf("no answer within %s: %w", c.timeout, r.err)
		}
		return r.values, r.err
	case <-ctx.Done():
		return nil, fmt.Errorf("no answer within %s: %w", c.timeout, ctx.Err())
	}
}
