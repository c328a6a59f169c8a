package telemetry

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

const sourceHelp = `
# HELP dsl_queue_jobs Jobs in the platform's queue, by job state.
# TYPE dsl_queue_jobs gauge
# HELP dsl_scrape_source_up 1 when the scrape-time read of the source (stream_lag, queue) succeeded, 0 when it failed or timed out.
# TYPE dsl_scrape_source_up gauge
# HELP dsl_stream_lag_seconds Seconds since the stream's last committed batch; streams that never committed are absent.
# TYPE dsl_stream_lag_seconds gauge
`

func TestSourcesAreReadOnEveryScrape(t *testing.T) {
	m := NewMetrics("lake")
	var lagCalls, queueCalls atomic.Int64
	m.SetLagSource(func(ctx context.Context) (map[string]time.Duration, error) {
		n := lagCalls.Add(1)
		return map[string]time.Duration{"orders": time.Duration(n) * 90 * time.Second, "customers": 1500 * time.Millisecond}, nil
	})
	m.SetQueueSource(func(ctx context.Context) (map[string]int64, error) {
		n := queueCalls.Add(1)
		return map[string]int64{"available": 3 * n, "running": 1}, nil
	})

	// Each scrape sees the sources' answer of that moment: the first scrape is the
	// sources' first call, the second their second.
	for scrape, want := range []string{`
dsl_queue_jobs{platform="lake",state="available"} 3
dsl_queue_jobs{platform="lake",state="running"} 1
dsl_scrape_source_up{platform="lake",source="queue"} 1
dsl_scrape_source_up{platform="lake",source="stream_lag"} 1
dsl_stream_lag_seconds{platform="lake",stream="customers"} 1.5
dsl_stream_lag_seconds{platform="lake",stream="orders"} 90
`, `
dsl_queue_jobs{platform="lake",state="available"} 6
dsl_queue_jobs{platform="lake",state="running"} 1
dsl_scrape_source_up{platform="lake",source="queue"} 1
dsl_scrape_source_up{platform="lake",source="stream_lag"} 1
dsl_stream_lag_seconds{platform="lake",stream="customers"} 1.5
dsl_stream_lag_seconds{platform="lake",stream="orders"} 180
`} {
		err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(sourceHelp+want),
			"dsl_queue_jobs", "dsl_scrape_source_up", "dsl_stream_lag_seconds")
		if err != nil {
			t.Fatalf("scrape %d: %v", scrape+1, err)
		}
	}
	if lagCalls.Load() != 2 || queueCalls.Load() != 2 {
		t.Errorf("sources called lag=%d queue=%d times for 2 scrapes, want 2 each", lagCalls.Load(), queueCalls.Load())
	}
}

func TestNoSourceMeansNoSourceSeries(t *testing.T) {
	m := NewMetrics("lake")
	m.SetLagSource(func(ctx context.Context) (map[string]time.Duration, error) {
		return map[string]time.Duration{"orders": time.Second}, nil
	})
	m.SetLagSource(nil)
	count, err := testutil.GatherAndCount(m.Registry(), "dsl_stream_lag_seconds", "dsl_queue_jobs", "dsl_scrape_source_up")
	if err != nil {
		t.Fatal(err)
	}
	if count != 0 {
		t.Errorf("%d source series without sources, want 0", count)
	}
}

func TestFailingSourceIsInvalidButOtherMetricsAreGathered(t *testing.T) {
	m := NewMetrics("lake")
	m.BatchEnded("orders", StateCommitted, Rows{Read: 1}, time.Second)
	m.SetLagSource(func(ctx context.Context) (map[string]time.Duration, error) {
		return nil, errors.New("store unreachable")
	})
	m.SetQueueSource(func(ctx context.Context) (map[string]int64, error) {
		return map[string]int64{"available": 2}, nil
	})

	got := gather(m)
	if got.err == nil || !strings.Contains(got.err.Error(), "stream_lag") || !strings.Contains(got.err.Error(), "store unreachable") {
		t.Fatalf("Gather error = %v, want one naming stream_lag and the source's error", got.err)
	}
	for _, name := range []string{"dsl_batches_total", "dsl_queue_jobs", "dsl_scrape_source_up", "go_goroutines"} {
		if !got.families[name] {
			t.Errorf("%s missing from a gather with a failing lag source", name)
		}
	}
	if got.families["dsl_stream_lag_seconds"] {
		t.Error("dsl_stream_lag_seconds gathered although its source failed")
	}
	if got.up["stream_lag"] != 0 || got.up["queue"] != 1 {
		t.Errorf("dsl_scrape_source_up = %v, want stream_lag 0 and queue 1", got.up)
	}
}

func TestSlowSourceTimesOutEvenIfItIgnoresItsContext(t *testing.T) {
	m := NewMetrics("lake")
	m.lag.timeout = 20 * time.Millisecond
	m.queue.timeout = 20 * time.Millisecond
	release := make(chan struct{})
	defer close(release)
	var lagHadDeadline atomic.Bool
	m.SetLagSource(func(ctx context.Context) (map[string]time.Duration, error) {
		_, ok := ctx.Deadline()
		lagHadDeadline.Store(ok)
		<-release // ignores ctx, like a driver stuck in a dial
		return map[string]time.Duration{"orders": time.Second}, nil
	})
	m.SetQueueSource(func(ctx context.Context) (map[string]int64, error) {
		<-ctx.Done() // honours ctx
		return nil, ctx.Err()
	})

	got := gather(m)
	if got.err == nil || strings.Count(got.err.Error(), "no answer within 20ms") != 2 {
		t.Fatalf("Gather error = %v, want a timeout of both sources", got.err)
	}
	var errs prometheus.MultiError
	if !errors.As(got.err, &errs) || len(errs) != 2 {
		t.Fatalf("Gather error = %#v, want a prometheus.MultiError of 2", got.err)
	}
	for _, err := range errs {
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("source error %v does not wrap context.DeadlineExceeded", err)
		}
	}
	if !lagHadDeadline.Load() {
		t.Error("the lag source's context had no deadline")
	}
	if got.up["stream_lag"] != 0 || got.up["queue"] != 0 || len(got.up) != 2 {
		t.Errorf("dsl_scrape_source_up = %v, want 0 for both sources", got.up)
	}
	if !got.families["dsl_model_load_failed"] {
		t.Error("dsl_model_load_failed missing from a gather whose sources timed out")
	}
}

// gathered is what one Gather of a worker's registry returned, as the tests check it.
type gathered struct {
	families map[string]bool    // names of the families gathered
	up       map[string]float64 // dsl_scrape_source_up by source label
	err      error
}

func gather(m *Metrics) gathered {
	families, err := m.Registry().Gather()
	result := gathered{families: map[string]bool{}, up: map[string]float64{}, err: err}
	for _, family := range families {
		result.families[family.GetName()] = true
		if family.GetName() != "dsl_scrape_source_up" {
			continue
		}
		for _, metric := range family.GetMetric() {
			for _, pair := range metric.GetLabel() {
				if pair.GetName() == "source" {
					result.up[pair.GetValue()] = metric.GetGauge().GetValue()
				}
			}
		}
	}
	return result
}
