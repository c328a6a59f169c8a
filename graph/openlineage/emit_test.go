package openlineage_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datasurface/datasurface-go/graph/openlineage"
)

// sampleEvents returns the START, COMPLETE and FAIL of a batch of the tiny
// model.
func sampleEvents(t *testing.T) []openlineage.RunEvent {
	t.Helper()
	m, r := broker(t, tinyModel, "")
	runs := &openlineage.Runs{Ecosystem: m.Name, Pipeline: r.Pipeline("Laptop")}
	job := openlineage.StreamJob("Shop")
	s, err1 := runs.Start(job, 1, at)
	c, err2 := runs.Complete(job, 1, at, map[string]openlineage.Stats{"orders": {Rows: 3}})
	f, err3 := runs.Fail(job, 2, at, io.ErrUnexpectedEOF)
	for _, err := range []error{err1, err2, err3} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return []openlineage.RunEvent{s, c, f}
}

// TestFileEmitterConcurrent appends from many goroutines through two
// emitters on one file (as two processes would) and checks that every line
// is one whole event.
func TestFileEmitterConcurrent(t *testing.T) {
	events := sampleEvents(t)
	path := filepath.Join(t.TempDir(), "lineage.jsonl")
	if err := os.WriteFile(path, []byte(`{"earlier":"line"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var emitters []openlineage.Emitter
	for range 2 {
		e, err := openlineage.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := e.(*openlineage.FileEmitter); !ok {
			t.Fatalf("Open(%q) = %T, want a file emitter", path, e)
		}
		emitters = append(emitters, e)
	}
	const workers, each = 8, 50
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				if err := emitters[w%2].Emit(context.Background(), events[i%len(events)]); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	for _, e := range emitters {
		if err := e.Close(); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	lines, types := 0, map[string]int{}
	for sc.Scan() {
		lines++
		if lines == 1 {
			continue // the line that was there before: appended to, not replaced
		}
		var ev struct {
			EventType string `json:"eventType"`
			Run       struct {
				RunID string `json:"runId"`
			} `json:"run"`
		}
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil || ev.Run.RunID == "" {
			t.Fatalf("line %d is not a whole event (%v): %.200s", lines, err, sc.Text())
		}
		types[ev.EventType]++
	}
	if lines != 1+workers*each {
		t.Errorf("%d lines, want %d", lines, 1+workers*each)
	}
	if types["START"] == 0 || types["COMPLETE"] == 0 || types["FAIL"] == 0 {
		t.Errorf("event types %v", types)
	}
	if err := emitters[0].Emit(context.Background(), events[0]); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("Emit after Close: %v", err)
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := openlineage.Open(""); err == nil {
		t.Error("Open(\"\") is not an error")
	}
	if _, err := openlineage.Open(filepath.Join(t.TempDir(), "missing", "lineage.jsonl")); err == nil {
		t.Error("a file in a missing folder opens")
	}
	if _, err := openlineage.Open("http://"); err == nil || !strings.Contains(err.Error(), "not an http(s) URL") {
		t.Errorf("Open(http://) = %v", err)
	}
	e, err := openlineage.Open("HTTPS://lineage.example/api/v1/lineage")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := e.(*openlineage.HTTPEmitter); !ok {
		t.Errorf("Open(HTTPS://...) = %T, want an HTTP emitter", e)
	}
}

// TestHTTPEmitter posts events to a test server: 2xx is success, anything
// else an error that names the status but neither the API key nor the
// URL's secrets.
func TestHTTPEmitter(t *testing.T) {
	events := sampleEvents(t)
	var mu sync.Mutex
	var got []map[string]any
	status := http.StatusCreated
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" || r.Header.Get("Authorization") != "Bearer s3cret-key" {
			t.Errorf("request %s, Content-Type %q, Authorization %q", r.Method, r.Header.Get("Content-Type"), r.Header.Get("Authorization"))
		}
		var ev map[string]any
		if err := json.NewDecoder(r.Body).Decode(&ev); err != nil {
			t.Errorf("body: %v", err)
		}
		got = append(got, ev)
		w.WriteHeader(status)
		if status >= 300 {
			io.WriteString(w, `{"code":422,"message":"bad event"}`)
		}
	}))
	defer srv.Close()
	url := strings.Replace(srv.URL, "http://", "http://user:pw@", 1) + "/api/v1/lineage?token=qs-secret"
	e, err := openlineage.Open(url, openlineage.WithAPIKey("s3cret-key"))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	for _, ev := range events {
		if err := e.Emit(context.Background(), ev); err != nil {
			t.Fatalf("a 201 answer: %v", err)
		}
	}
	if len(got) != 3 || got[0]["eventType"] != "START" || got[2]["eventType"] != "FAIL" {
		t.Errorf("the server got %d events: %v", len(got), got)
	}

	mu.Lock()
	status = http.StatusUnprocessableEntity
	mu.Unlock()
	err = e.Emit(context.Background(), events[0])
	if err == nil {
		t.Fatal("a 422 answer is not an error")
	}
	msg := err.Error()
	if !strings.Contains(msg, "422") || !strings.Contains(msg, "bad event") || !strings.Contains(msg, "/api/v1/lineage") {
		t.Errorf("error %q does not say what the server answered", msg)
	}
	for _, secret := range []string{"s3cret-key", "pw", "qs-secret"} {
		if strings.Contains(msg, secret) {
			t.Errorf("error %q shows the secret %q", msg, secret)
		}
	}
}

// TestHTTPEmitterTimeout: a server that does not answer in time is an error,
// and so is one that cannot be reached; neither shows the URL's secrets.
func TestHTTPEmitterTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	ev := sampleEvents(t)[0]
	e, err := openlineage.Open(srv.URL+"/?key=qs-secret", openlineage.WithTimeout(50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Emit(context.Background(), ev); err == nil || strings.Contains(err.Error(), "qs-secret") {
		t.Errorf("a server that does not answer: %v", err)
	}

	closed := httptest.NewServer(http.NotFoundHandler())
	addr := closed.URL
	closed.Close()
	e2, err := openlineage.Open(addr + "/?key=qs-secret")
	if err != nil {
		t.Fatal(err)
	}
	if err := e2.Emit(context.Background(), ev); err == nil || strings.Contains(err.Error(), "qs-secret") {
		t.Errorf("a server that is gone: %v", err)
	}
}
