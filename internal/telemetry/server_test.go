package telemetry

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// startServer starts s on a free loopback port and shuts it down when the test ends.
func startServer(t *testing.T, s *Server) string {
	t.Helper()
	addr, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Shutdown(context.Background()); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	})
	return "http://" + addr.String()
}

// fetch does one request on a fresh connection and returns the status and body.
func fetch(t *testing.T, method, url string) (int, string) {
	t.Helper()
	status, body, err := tryFetch(method, url)
	if err != nil {
		t.Fatal(err)
	}
	return status, body
}

func tryFetch(method, url string) (int, string, error) {
	request, err := http.NewRequest(method, url, nil)
	if err != nil {
		return 0, "", err
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	response, err := client.Do(request)
	if err != nil {
		return 0, "", err
	}
	defer response.Body.Close()
	body, err := io.ReadAll(response.Body)
	return response.StatusCode, string(body), err
}

func TestHealthzAnswersOKWhileRunning(t *testing.T) {
	base := startServer(t, NewServer("127.0.0.1:0", NewMetrics("lake"), nil))
	if status, body := fetch(t, http.MethodGet, base+"/healthz"); status != http.StatusOK || body != "ok\n" {
		t.Errorf("GET /healthz = %d %q, want 200 \"ok\\n\"", status, body)
	}
	if status, _ := fetch(t, http.MethodPost, base+"/healthz"); status != http.StatusMethodNotAllowed {
		t.Errorf("POST /healthz = %d, want 405", status)
	}
	if status, _ := fetch(t, http.MethodGet, base+"/nothing-here"); status != http.StatusNotFound {
		t.Errorf("GET /nothing-here = %d, want 404", status)
	}
}

func TestReadyzFollowsTheReadinessCheck(t *testing.T) {
	var mu sync.Mutex
	var notReady error
	var hadDeadline bool
	ready := func(ctx context.Context) error {
		mu.Lock()
		defer mu.Unlock()
		_, hadDeadline = ctx.Deadline()
		return notReady
	}
	base := startServer(t, NewServer("127.0.0.1:0", NewMetrics("lake"), ready))

	if status, body := fetch(t, http.MethodGet, base+"/readyz"); status != http.StatusOK || body != "ok\n" {
		t.Errorf("GET /readyz when ready = %d %q, want 200 \"ok\\n\"", status, body)
	}
	mu.Lock()
	notReady = errors.New("merge store unreachable: dial tcp 10.0.0.5:5432: connection refused")
	mu.Unlock()
	status, body := fetch(t, http.MethodGet, base+"/readyz")
	if status != http.StatusServiceUnavailable || body != "not ready: "+notReady.Error()+"\n" {
		t.Errorf("GET /readyz when not ready = %d %q, want 503 with the check's error", status, body)
	}
	mu.Lock()
	defer mu.Unlock()
	if !hadDeadline {
		t.Error("the readiness check's context had no deadline")
	}
}

func TestReadyzWithoutCheckIsAlwaysReady(t *testing.T) {
	base := startServer(t, NewServer("127.0.0.1:0", nil, nil))
	if status, _ := fetch(t, http.MethodGet, base+"/readyz"); status != http.StatusOK {
		t.Errorf("GET /readyz without a check = %d, want 200", status)
	}
	if status, _ := fetch(t, http.MethodGet, base+"/metrics"); status != http.StatusNotFound {
		t.Errorf("GET /metrics without metrics = %d, want 404", status)
	}
}

func TestMetricsEndpointServesTheWorkersMetrics(t *testing.T) {
	m := NewMetrics("lake")
	m.BatchEnded("orders", StateCommitted, Rows{Read: 12}, time.Second)
	m.SetQueueSource(func(ctx context.Context) (map[string]int64, error) {
		return map[string]int64{"available": 4}, nil
	})
	base := startServer(t, NewServer("127.0.0.1:0", m, nil))

	status, body := fetch(t, http.MethodGet, base+"/metrics")
	if status != http.StatusOK {
		t.Fatalf("GET /metrics = %d, want 200; body:\n%s", status, body)
	}
	for _, line := range []string{
		`dsl_batches_total{platform="lake",state="committed",stream="orders"} 1`,
		`dsl_rows_total{kind="read",platform="lake",stream="orders"} 12`,
		`dsl_batch_duration_seconds_count{platform="lake",state="committed"} 1`,
		`dsl_queue_jobs{platform="lake",state="available"} 4`,
		`dsl_model_load_failures_total{platform="lake"} 0`,
	} {
		if !containsLine(body, line) {
			t.Errorf("GET /metrics lacks the line %s", line)
		}
	}
}

func TestMetricsEndpointSurvivesAFailingSourceAndLogsIt(t *testing.T) {
	m := NewMetrics("lake")
	m.BatchEnded("orders", StateCommitted, Rows{Read: 1}, time.Second)
	m.SetLagSource(func(ctx context.Context) (map[string]time.Duration, error) {
		return nil, errors.New("store unreachable")
	})
	var logs lockedBuffer
	logger, err := NewLogger(&logs, FormatJSON, "info")
	if err != nil {
		t.Fatal(err)
	}
	s := NewServer("127.0.0.1:0", m, nil)
	s.SetLogger(logger)
	base := startServer(t, s)

	status, body := fetch(t, http.MethodGet, base+"/metrics")
	if status != http.StatusOK {
		t.Fatalf("GET /metrics with a failing lag source = %d, want 200; body:\n%s", status, body)
	}
	for _, line := range []string{
		`dsl_batches_total{platform="lake",state="committed",stream="orders"} 1`,
		`dsl_scrape_source_up{platform="lake",source="stream_lag"} 0`,
	} {
		if !containsLine(body, line) {
			t.Errorf("GET /metrics lacks the line %s", line)
		}
	}
	if strings.Contains(body, "dsl_stream_lag_seconds{") {
		t.Error("GET /metrics serves dsl_stream_lag_seconds although its source failed")
	}
	if logged := logs.String(); !strings.Contains(logged, "store unreachable") || !strings.Contains(logged, `"component":"metrics"`) {
		t.Errorf("log = %q, want an error record naming the source's error", logged)
	}
}

func TestShutdownStopsServingAndWaitsForRequestsInFlight(t *testing.T) {
	entered := make(chan struct{})
	release := make(chan struct{})
	ready := func(ctx context.Context) error {
		close(entered)
		<-release
		return nil
	}
	s := NewServer("127.0.0.1:0", nil, ready)
	addr, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + addr.String()

	type answer struct {
		status int
		err    error
	}
	inFlight := make(chan answer, 1)
	go func() {
		status, _, err := tryFetch(http.MethodGet, base+"/readyz")
		inFlight <- answer{status, err}
	}()
	<-entered
	shutdown := make(chan error, 1)
	go func() { shutdown <- s.Shutdown(context.Background()) }()
	close(release)

	if got := <-inFlight; got.err != nil || got.status != http.StatusOK {
		t.Errorf("request in flight during Shutdown = %d, %v; want 200", got.status, got.err)
	}
	if err := <-shutdown; err != nil {
		t.Errorf("Shutdown = %v, want nil", err)
	}
	if _, _, err := tryFetch(http.MethodGet, base+"/healthz"); err == nil {
		t.Error("GET /healthz after Shutdown succeeded, want a connection error")
	}
	if _, err := s.Start(); err == nil {
		t.Error("Start after Shutdown succeeded, want an error")
	}
	if err := s.Shutdown(context.Background()); err != nil {
		t.Errorf("second Shutdown = %v, want nil", err)
	}
}

func TestShutdownWithExpiredContextCutsRequestsOff(t *testing.T) {
	entered := make(chan struct{})
	ready := func(ctx context.Context) error {
		close(entered)
		<-ctx.Done() // released when the connection is closed
		return ctx.Err()
	}
	s := NewServer("127.0.0.1:0", nil, ready)
	addr, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	inFlight := make(chan error, 1)
	go func() {
		_, _, err := tryFetch(http.MethodGet, "http://"+addr.String()+"/readyz")
		inFlight <- err
	}()
	<-entered
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Shutdown(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Shutdown with a cancelled context = %v, want context.Canceled", err)
	}
	<-inFlight // the request ends one way or another once its connection is closed
}

func TestStartErrors(t *testing.T) {
	first := NewServer("127.0.0.1:0", nil, nil)
	addr, err := first.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer first.Shutdown(context.Background())

	if _, err := first.Start(); err == nil || !strings.Contains(err.Error(), "already started") {
		t.Errorf("second Start = %v, want an already-started error", err)
	}
	taken := addr.String()
	if _, err := NewServer(taken, nil, nil).Start(); err == nil || !strings.Contains(err.Error(), taken) {
		t.Errorf("Start on a taken address = %v, want an error naming %s", err, taken)
	}
	if err := NewServer(taken, nil, nil).Shutdown(context.Background()); err != nil {
		t.Errorf("Shutdown of a server never started = %v, want nil", err)
	}
}

func containsLine(body, line string) bool {
	for _, got := range strings.Split(body, "\n") {
		if got == line {
			return true
		}
	}
	return false
}

// lockedBuffer is a bytes.Buffer safe to write from the server's goroutines and read
// from the test.
type lockedBuffer struct {
	mu     sync.Mutex
	buffer bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buffer.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buffer.String()
}
