package telemetry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// ReadyTimeout bounds one call of the readiness check behind /readyz. Kubernetes'
// default probe timeout is 1 s, but a probe that waits longer must still get an
// answer rather than a hung connection.
const ReadyTimeout = 5 * time.Second

// Server serves a worker's operational endpoints over HTTP:
//
//   - GET /metrics: m's registry in the Prometheus exposition format.
//   - GET /healthz: 200 "ok" while the process runs (liveness).
//   - GET /readyz: 200 "ok" when the readiness check returns nil, otherwise 503 with
//     the check's error text (readiness).
//
// Other methods on these paths get 405; other paths get 404.
type Server struct {
	addr    string
	metrics *Metrics
	ready   func(context.Context) error

	handlerOnce sync.Once
	handler     http.Handler

	mu       sync.Mutex
	logger   *slog.Logger
	started  bool
	stopped  bool
	server   *http.Server
	served   chan struct{} // closed when Serve has returned
	serveErr error         // what Serve returned, unless the server was shut down
}

// NewServer returns a server that will listen on addr (host:port; ":0" picks a free
// port) once started. m supplies /metrics (nil leaves /metrics out). ready is the
// readiness check behind /readyz: it is called once per request with a context that
// expires after ReadyTimeout, and its error text is sent to the client verbatim, so
// it must never contain secrets (callers scrub DSNs before returning). A nil ready
// means always ready.
func NewServer(addr string, m *Metrics, ready func(context.Context) error) *Server {
	return &Server{addr: addr, metrics: m, ready: ready}
}

// SetLogger makes s log errors (a failed /metrics gather, HTTP server errors) to
// logger instead of discarding them. Call it before Start or Handler.
func (s *Server) SetLogger(logger *slog.Logger) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logger = logger
}

// Handler returns the handler serving /metrics, /healthz and /readyz, for tests or
// for mounting the endpoints on another server. Start uses the same handler.
func (s *Server) Handler() http.Handler {
	s.handlerOnce.Do(func() { s.handler = s.newHandler() })
	return s.handler
}

func (s *Server) newHandler() http.Handler {
	logger := s.currentLogger()
	mux := http.NewServeMux()
	if s.metrics != nil {
		registry := s.metrics.Registry()
		mux.Handle("GET /metrics", promhttp.InstrumentMetricHandler(registry,
			promhttp.HandlerFor(registry, promhttp.HandlerOpts{
				ErrorLog: printlnLogger{logger},
				// One failing source must not cost the scrape every other metric.
				ErrorHandling: promhttp.ContinueOnError,
				Registry:      registry,
			})))
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeText(w, http.StatusOK, "ok")
	})
	mux.HandleFunc("GET /readyz", s.serveReady)
	return mux
}

func (s *Server) serveReady(w http.ResponseWriter, r *http.Request) {
	if s.ready == nil {
		writeText(w, http.StatusOK, "ok")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), ReadyTimeout)
	defer cancel()
	if err := s.ready(ctx); err != nil {
		writeText(w, http.StatusServiceUnavailable, "not ready: "+err.Error())
		return
	}
	writeText(w, http.StatusOK, "ok")
}

// writeText writes one line of plain text with the given status.
func writeText(w http.ResponseWriter, status int, text string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, strings.TrimRight(text, "\n")+"\n")
}

// Start listens on the server's address, serves in a background goroutine and
// returns the address actually bound (useful with ":0"). A server starts at most
// once; starting it again, or after Shutdown, is an error.
func (s *Server) Start() (net.Addr, error) {
	handler := s.Handler() // before taking s.mu: building the handler reads the logger under it
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started || s.stopped {
		return nil, fmt.Errorf("telemetry: the server for %q was already started or shut down; create a new one with NewServer", s.addr)
	}
	listener, err := net.Listen("tcp", s.addr)
	if err != nil {
		return nil, fmt.Errorf("telemetry: listening on %q for /metrics, /healthz and /readyz: %w; choose a free host:port", s.addr, err)
	}
	s.server = &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		// Long enough for the slowest scrape: sources time out after ScrapeSourceTimeout.
		WriteTimeout: 30 * time.Second,
		IdleTimeout:  2 * time.Minute,
	}
	if s.logger != nil {
		s.server.ErrorLog = slog.NewLogLogger(s.logger.Handler(), slog.LevelError)
	}
	s.started = true
	s.served = make(chan struct{})
	go s.serve(listener)
	return listener.Addr(), nil
}

func (s *Server) serve(listener net.Listener) {
	err := s.server.Serve(listener)
	s.mu.Lock()
	if !errors.Is(err, http.ErrServerClosed) {
		s.serveErr = err
	}
	s.mu.Unlock()
	close(s.served)
}

// Shutdown stops the server gracefully: it stops listening at once, lets requests in
// flight finish until ctx ends, then closes their connections. It returns ctx's error
// when requests were cut off, or the error that stopped serving early, if any.
// Shutting down a server that never started, or twice, does nothing.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	server, served, started := s.server, s.served, s.started
	s.stopped = true
	s.mu.Unlock()
	if !started {
		return nil
	}
	err := server.Shutdown(ctx)
	if err != nil {
		// Requests still in flight when ctx ended: cut them off.
		_ = server.Close()
	}
	<-served // Serve returns as soon as Shutdown or Close is called.
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		return fmt.Errorf("telemetry: shutting down the server on %q: %w", s.addr, err)
	}
	if s.serveErr != nil {
		return fmt.Errorf("telemetry: the server on %q had stopped serving: %w", s.addr, s.serveErr)
	}
	return nil
}

func (s *Server) currentLogger() *slog.Logger {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logger
}

// printlnLogger adapts a slog logger to the Println interface promhttp logs through;
// a nil logger discards.
type printlnLogger struct{ logger *slog.Logger }

// Println implements promhttp.Logger.
func (l printlnLogger) Println(v ...any) {
	if l.logger == nil {
		return
	}
	l.logger.Error(strings.TrimSuffix(fmt.Sprintln(v...), "\n"), AttrComponent, "metrics")
}
