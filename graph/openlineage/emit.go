package openlineage

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Emitter sends OpenLineage events somewhere. Implementations are safe for
// concurrent use.
type Emitter interface {
	// Emit sends one event. An error says the event was not delivered.
	Emit(ctx context.Context, e Event) error
	// Close releases the emitter; Emit must not be called afterwards.
	Close() error
}

// Option configures the emitter Open returns.
type Option func(*options)

type options struct {
	timeout time.Duration
	apiKey  string
	client  *http.Client
}

// DefaultTimeout bounds each HTTP request of an HTTP emitter.
const DefaultTimeout = 10 * time.Second

// WithTimeout bounds each HTTP request (default DefaultTimeout); it does not
// apply to files.
func WithTimeout(d time.Duration) Option { return func(o *options) { o.timeout = d } }

// WithAPIKey makes an HTTP emitter send "Authorization: Bearer KEY", as
// OpenLineage's HTTP transport does. The key never appears in an error.
func WithAPIKey(key string) Option { return func(o *options) { o.apiKey = key } }

// WithHTTPClient makes an HTTP emitter use client (its Timeout is then
// client's own).
func WithHTTPClient(client *http.Client) Option { return func(o *options) { o.client = client } }

// Open returns the emitter for target: an HTTP emitter when target starts
// with "http://" or "https://" (any letter case), posting each event to
// that URL (the full endpoint, such as http://marquez:5000/api/v1/lineage);
// otherwise a JSON-lines file emitter appending to the file at that path,
// created when missing.
func Open(target string, opts ...Option) (Emitter, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	lower := strings.ToLower(target)
	switch {
	case target == "":
		return nil, errors.New("openlineage: no target: want an http(s):// URL or a file path")
	case strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://"):
		return NewHTTPEmitter(target, opts...)
	}
	return OpenFile(target)
}

// FileEmitter appends events to a file as JSON lines: one event per line,
// each written with one write call, so that lines from concurrent
// goroutines (serialized by a lock) and from other processes appending to
// the same file (O_APPEND) never interleave.
type FileEmitter struct {
	mu   sync.Mutex
	f    *os.File
	path string
}

// OpenFile opens (creating when missing) the file at path for appending
// events.
func OpenFile(path string) (*FileEmitter, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("openlineage: open the lineage file: %w", err)
	}
	return &FileEmitter{f: f, path: path}, nil
}

// NewFileEmitter appends events to f, which the emitter then owns and
// closes.
func NewFileEmitter(f *os.File) *FileEmitter { return &FileEmitter{f: f, path: f.Name()} }

// Emit appends e as one line.
func (w *FileEmitter) Emit(ctx context.Context, e Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("openlineage: encode the %s: %w", e.Kind(), err)
	}
	line = append(line, '\n')
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return fmt.Errorf("openlineage: the lineage file %s is closed", w.path)
	}
	if _, err := w.f.Write(line); err != nil {
		return fmt.Errorf("openlineage: write the %s to %s: %w", e.Kind(), w.path, err)
	}
	return nil
}

// Close closes the file; closing twice is not an error.
func (w *FileEmitter) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return nil
	}
	err := w.f.Close()
	w.f = nil
	return err
}

// HTTPEmitter posts each event as JSON to an endpoint. A response other
// than 2xx is an error naming the status; errors name the endpoint without
// its user information, query or fragment, and never the API key.
type HTTPEmitter struct {
	url    string
	shown  string // the URL as errors show it
	apiKey string
	client *http.Client
}

// NewHTTPEmitter returns an emitter posting to endpoint, which must be an
// absolute http or https URL.
func NewHTTPEmitter(endpoint string, opts ...Option) (*HTTPEmitter, error) {
	o := options{timeout: DefaultTimeout}
	for _, opt := range opts {
		opt(&o)
	}
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" { // Parse lower-cases the scheme
		return nil, fmt.Errorf("openlineage: %q is not an http(s) URL with a host, such as http://localhost:5000/api/v1/lineage", safeURL(endpoint))
	}
	client := o.client
	if client == nil {
		client = &http.Client{Timeout: o.timeout}
	}
	return &HTTPEmitter{url: endpoint, shown: safeURL(endpoint), apiKey: o.apiKey, client: client}, nil
}

// Emit posts e and waits for the response.
func (h *HTTPEmitter) Emit(ctx context.Context, e Event) error {
	body, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("openlineage: encode the %s: %w", e.Kind(), err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("openlineage: post the %s to %s: cannot make the request", e.Kind(), h.shown)
	}
	req.Header.Set("Content-Type", "application/json")
	if h.apiKey != "" {
		req.Header.Set("Authorization", "Bearer "+h.apiKey)
	}
	resp, err := h.client.Do(req)
	if err != nil {
		// A *url.Error repeats the full URL; keep only what went wrong.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("openlineage: post the %s to %s: %w", e.Kind(), h.shown, err)
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20)) // let the connection be reused
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		msg := fmt.Sprintf("openlineage: %s refused the %s: %s", h.shown, e.Kind(), resp.Status)
		if s := printable(snippet); s != "" {
			msg += ": " + s
		}
		return errors.New(msg)
	}
	return nil
}

// Close releases idle connections.
func (h *HTTPEmitter) Close() error {
	h.client.CloseIdleConnections()
	return nil
}

// safeURL shows a URL without what may hold a secret: user information,
// the query and the fragment.
func safeURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "the lineage URL"
	}
	u.User, u.RawQuery, u.Fragment, u.RawFragment = nil, "", "", ""
	return u.String()
}

// printable cuts a response body to one short line of printable text.
func printable(b []byte) string {
	if !utf8.Valid(b) {
		return ""
	}
	s := strings.Join(strings.Fields(string(b)), " ")
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "..."
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// WriteLines writes events to w as JSON lines, one event per line, in the
// order given: the format of the file emitter and of `dsl export --format
// openlineage`.
func WriteLines(w io.Writer, events ...Event) error {
	var buf bytes.Buffer
	for _, e := range events {
		line, err := json.Marshal(e)
		if err != nil {
			return fmt.Errorf("openlineage: encode the %s: %w", e.Kind(), err)
		}
		buf.Write(line)
		buf.WriteByte('\n')
	}
	_, err := w.Write(buf.Bytes())
	return err
}
