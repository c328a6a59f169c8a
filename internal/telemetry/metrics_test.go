package telemetry

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestBatchEndedCountsBatchesAndRowsByStreamStateAndKind(t *testing.T) {
	m := NewMetrics("lake")
	m.BatchEnded("orders", StateCommitted, Rows{Read: 10, Inserted: 4, Updated: 3, Deleted: 1, Unchanged: 2}, 1500*time.Millisecond)
	m.BatchEnded("orders", StateCommitted, Rows{Read: 5, Inserted: 5}, 250*time.Millisecond)
	m.BatchEnded("orders", StateBusy, Rows{}, time.Second)
	m.BatchEnded("customers", StateFailed, Rows{Read: 7}, 500*time.Millisecond)
	m.BatchEnded("customers", StateUpToDate, Rows{}, time.Millisecond)
	m.BatchEnded("gone", StateRetired, Rows{}, time.Millisecond)

	const want = `
# HELP dsl_batches_total Batch jobs ended, by stream and by how they ended (committed, failed, busy, up_to_date, retired).
# TYPE dsl_batches_total counter
dsl_batches_total{platform="lake",state="busy",stream="orders"} 1
dsl_batches_total{platform="lake",state="committed",stream="orders"} 2
dsl_batches_total{platform="lake",state="failed",stream="customers"} 1
dsl_batches_total{platform="lake",state="retired",stream="gone"} 1
dsl_batches_total{platform="lake",state="up_to_date",stream="customers"} 1
# HELP dsl_rows_total Rows handled by batches, by stream and kind (read, inserted, updated, deleted, unchanged).
# TYPE dsl_rows_total counter
dsl_rows_total{kind="deleted",platform="lake",stream="customers"} 0
dsl_rows_total{kind="deleted",platform="lake",stream="gone"} 0
dsl_rows_total{kind="deleted",platform="lake",stream="orders"} 1
dsl_rows_total{kind="inserted",platform="lake",stream="customers"} 0
dsl_rows_total{kind="inserted",platform="lake",stream="gone"} 0
dsl_rows_total{kind="inserted",platform="lake",stream="orders"} 9
dsl_rows_total{kind="read",platform="lake",stream="customers"} 7
dsl_rows_total{kind="read",platform="lake",stream="gone"} 0
dsl_rows_total{kind="read",platform="lake",stream="orders"} 15
dsl_rows_total{kind="unchanged",platform="lake",stream="customers"} 0
dsl_rows_total{kind="unchanged",platform="lake",stream="gone"} 0
dsl_rows_total{kind="unchanged",platform="lake",stream="orders"} 2
dsl_rows_total{kind="updated",platform="lake",stream="customers"} 0
dsl_rows_total{kind="updated",platform="lake",stream="gone"} 0
dsl_rows_total{kind="updated",platform="lake",stream="orders"} 3
`
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), "dsl_batches_total", "dsl_rows_total"); err != nil {
		t.Fatal(err)
	}
}

func TestBatchDurationIsObservedOnlyForCommittedAndFailedBatches(t *testing.T) {
	m := NewMetrics("lake")
	m.BatchEnded("orders", StateCommitted, Rows{}, 1500*time.Millisecond)
	m.BatchEnded("orders", StateCommitted, Rows{}, 250*time.Millisecond)
	m.BatchEnded("orders", StateFailed, Rows{}, 500*time.Millisecond)
	m.BatchEnded("orders", StateBusy, Rows{}, time.Hour)
	m.BatchEnded("orders", StateUpToDate, Rows{}, time.Hour)
	m.BatchEnded("orders", StateRetired, Rows{}, time.Hour)

	histograms := gatherHistograms(t, m, "dsl_batch_duration_seconds")
	if len(histograms) != 2 {
		t.Fatalf("histogram series by state = %v, want committed and failed only", keys(histograms))
	}
	for state, want := range map[string]struct {
		count uint64
		sum   float64
	}{
		StateCommitted: {2, 1.75},
		StateFailed:    {1, 0.5},
	} {
		got, found := histograms[state]
		if !found {
			t.Fatalf("no histogram for state %q", state)
		}
		if got.count != want.count || got.sum != want.sum {
			t.Errorf("state %q: count %d sum %v, want count %d sum %v", state, got.count, got.sum, want.count, want.sum)
		}
		if got.firstBucket != 0.01 || got.last != 1800 {
			t.Errorf("state %q: buckets from %v to %v, want from 0.01 s to 1800 s", state, got.firstBucket, got.last)
		}
	}
}

func TestBatchEndedFoldsUnknownStatesAndIgnoresNegativeRows(t *testing.T) {
	m := NewMetrics("lake")
	m.BatchEnded("orders", "exploded", Rows{Read: -3, Inserted: 2}, time.Second)

	const want = `
# HELP dsl_batches_total Batch jobs ended, by stream and by how they ended (committed, failed, busy, up_to_date, retired).
# TYPE dsl_batches_total counter
dsl_batches_total{platform="lake",state="unknown",stream="orders"} 1
`
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), "dsl_batches_total"); err != nil {
		t.Fatal(err)
	}
	if got := testutil.ToFloat64(m.rows.WithLabelValues("orders", "inserted")); got != 2 {
		t.Errorf("inserted rows = %v, want 2", got)
	}
	if got := testutil.ToFloat64(m.rows.WithLabelValues("orders", "read")); got != 0 {
		t.Errorf("read rows after a negative count = %v, want 0 (ignored)", got)
	}
}

func TestLabelValuesThatAreNotUTF8AreReplacedInsteadOfPanicking(t *testing.T) {
	m := NewMetrics("lake\xff")
	m.BatchEnded("ord\xffers", StateCommitted, Rows{Read: 1}, time.Second)
	m.ModelLoaded("rev\xfe", true)

	const want = `
# HELP dsl_batches_total Batch jobs ended, by stream and by how they ended (committed, failed, busy, up_to_date, retired).
# TYPE dsl_batches_total counter
dsl_batches_total{platform="lake` + "\uFFFD" + `",state="committed",stream="ord` + "\uFFFD" + `ers"} 1
# HELP dsl_model_info Always 1; the revision label names the model revision the worker is running.
# TYPE dsl_model_info gauge
dsl_model_info{platform="lake` + "\uFFFD" + `",revision="rev` + "\uFFFD" + `"} 1
`
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), "dsl_batches_total", "dsl_model_info"); err != nil {
		t.Fatal(err)
	}
}

func TestModelLoadedTracksTheRunningRevisionAndFailures(t *testing.T) {
	m := NewMetrics("lake")
	const help = `
# HELP dsl_model_info Always 1; the revision label names the model revision the worker is running.
# TYPE dsl_model_info gauge
# HELP dsl_model_load_failed 1 when the last model load failed (the previous model keeps running), 0 otherwise.
# TYPE dsl_model_load_failed gauge
# HELP dsl_model_load_failures_total Model loads that failed (the model did not lint or could not be read); the running model stayed.
# TYPE dsl_model_load_failures_total counter
`
	steps := []struct {
		name     string
		revision string
		ok       bool
		want     string
	}{
		{"before any load", "", false, `
dsl_model_load_failed{platform="lake"} 0
dsl_model_load_failures_total{platform="lake"} 0
`},
		{"first load", "r1", true, `
dsl_model_info{platform="lake",revision="r1"} 1
dsl_model_load_failed{platform="lake"} 0
dsl_model_load_failures_total{platform="lake"} 0
`},
		{"failed load keeps r1", "r2", false, `
dsl_model_info{platform="lake",revision="r1"} 1
dsl_model_load_failed{platform="lake"} 1
dsl_model_load_failures_total{platform="lake"} 1
`},
		{"next load replaces r1", "r3", true, `
dsl_model_info{platform="lake",revision="r3"} 1
dsl_model_load_failed{platform="lake"} 0
dsl_model_load_failures_total{platform="lake"} 1
`},
	}
	for i, step := range steps {
		if i > 0 {
			m.ModelLoaded(step.revision, step.ok)
		}
		err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(help+step.want),
			"dsl_model_info", "dsl_model_load_failed", "dsl_model_load_failures_total")
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
	}
}

func TestMetricsOfSeveralWorkersDoNotShareState(t *testing.T) {
	first := NewMetrics("lake")
	second := NewMetrics("lake")
	first.BatchEnded("orders", StateCommitted, Rows{Read: 1}, time.Second)

	if got := testutil.ToFloat64(first.batches.WithLabelValues("orders", StateCommitted)); got != 1 {
		t.Errorf("first worker's committed batches = %v, want 1", got)
	}
	count, err := testutil.GatherAndCount(second.Registry(), "dsl_batches_total")
	if err != nil {
		t.Fatal(err)
	}
	if count != 0 {
		t.Errorf("second worker has %d dsl_batches_total series, want 0", count)
	}
	if first.Platform() != "lake" {
		t.Errorf("Platform() = %q, want %q", first.Platform(), "lake")
	}
}

// histogramSummary is what the tests check of one histogram series.
type histogramSummary struct {
	count             uint64
	sum               float64
	firstBucket, last float64 // upper bounds of the first and last buckets
}

// gatherHistograms summarises the histograms of the family name by their state label.
func gatherHistograms(t *testing.T, m *Metrics, name string) map[string]histogramSummary {
	t.Helper()
	families, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	byState := map[string]histogramSummary{}
	for _, family := range families {
		if family.GetName() != name {
			continue
		}
		for _, metric := range family.GetMetric() {
			state := ""
			for _, pair := range metric.GetLabel() {
				if pair.GetName() == "state" {
					state = pair.GetValue()
				}
			}
			histogram := metric.GetHistogram()
			buckets := histogram.GetBucket()
			byState[state] = histogramSummary{
				count:       histogram.GetSampleCount(),
				sum:         histogram.GetSampleSum(),
				firstBucket: buckets[0].GetUpperBound(),
				last:        buckets[len(buckets)-1].GetUpperBound(),
			}
		}
	}
	return byState
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for key := range m {
		out = append(out, key)
	}
	return out
}
