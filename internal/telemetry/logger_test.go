package telemetry

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
)

func TestJSONLoggerWritesOneObjectPerRecordWithTheCallersAttributes(t *testing.T) {
	var out bytes.Buffer
	logger, err := NewLogger(&out, "json", "info")
	if err != nil {
		t.Fatal(err)
	}
	logger.With(AttrPlatform, "lake").Info("batch committed", AttrStream, "orders", AttrBatch, 42)
	logger.Warn("model not loaded", AttrRevision, "abc123")

	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d lines, want 2:\n%s", len(lines), out.String())
	}
	var first, second map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatalf("first record is not JSON: %v\n%s", err, lines[0])
	}
	if err := json.Unmarshal([]byte(lines[1]), &second); err != nil {
		t.Fatalf("second record is not JSON: %v\n%s", err, lines[1])
	}
	for key, want := range map[string]any{"msg": "batch committed", "level": "INFO", "platform": "lake", "stream": "orders", "batch": 42.0} {
		if first[key] != want {
			t.Errorf("first record %s = %#v, want %#v", key, first[key], want)
		}
	}
	if _, ok := first["time"]; !ok {
		t.Error("first record has no time")
	}
	if second["level"] != "WARN" || second["revision"] != "abc123" || second["platform"] != nil {
		t.Errorf("second record = %v, want level WARN, revision abc123 and no platform", second)
	}
}

func TestTextLoggerIsTheDefaultFormat(t *testing.T) {
	for _, format := range []string{"text", "auto", "TEXT"} {
		var out bytes.Buffer
		logger, err := NewLogger(&out, format, "info")
		if err != nil {
			t.Fatalf("format %q: %v", format, err)
		}
		logger.Info("batch committed", AttrStream, "orders")
		got := out.String()
		if !strings.Contains(got, `msg="batch committed" stream=orders`) || json.Valid([]byte(got)) {
			t.Errorf("format %q wrote %q, want a key=value text record", format, got)
		}
	}
}

func TestLoggerDropsRecordsBelowItsLevel(t *testing.T) {
	for level, wantDebug := range map[string]bool{"debug": true, "DEBUG": true, "info": false, "warn": false, "error": false} {
		var out bytes.Buffer
		logger, err := NewLogger(&out, "json", level)
		if err != nil {
			t.Fatalf("level %q: %v", level, err)
		}
		logger.Debug("debug record")
		logger.Error("error record")
		if got := strings.Contains(out.String(), "debug record"); got != wantDebug {
			t.Errorf("level %q: debug record written = %v, want %v", level, got, wantDebug)
		}
		if !strings.Contains(out.String(), "error record") {
			t.Errorf("level %q: error record not written", level)
		}
	}
	var out bytes.Buffer
	logger, err := NewLogger(&out, "json", "warn")
	if err != nil {
		t.Fatal(err)
	}
	logger.Info("info record")
	logger.Warn("warn record")
	if strings.Contains(out.String(), "info record") || !strings.Contains(out.String(), "warn record") {
		t.Errorf("level warn wrote %q, want the warn record only", out.String())
	}
}

func TestNewLoggerRejectsUnknownFormatsAndLevels(t *testing.T) {
	cases := []struct {
		format, level string
		want          []string
	}{
		{"xml", "info", []string{`"xml"`, "auto", "text", "json"}},
		{"", "info", []string{`""`, "json"}},
		{"json", "verbose", []string{`"verbose"`, "debug", "info", "warn", "error"}},
		{"json", "", []string{`""`, "debug"}},
	}
	for _, c := range cases {
		logger, err := NewLogger(&bytes.Buffer{}, c.format, c.level)
		if err == nil || logger != nil {
			t.Errorf("NewLogger(%q, %q) = %v, %v; want an error", c.format, c.level, logger, err)
			continue
		}
		for _, part := range c.want {
			if !strings.Contains(err.Error(), part) {
				t.Errorf("NewLogger(%q, %q) error %q does not mention %s", c.format, c.level, err, part)
			}
		}
	}
	if _, err := NewLogger(nil, "json", "info"); err == nil {
		t.Error("NewLogger with a nil writer succeeded, want an error")
	}
}

// TestAtLeast: the quieter logger drops the records below its level and
// keeps the attributes of the logger it wraps.
func TestAtLeast(t *testing.T) {
	var buf bytes.Buffer
	l, err := NewLogger(&buf, FormatJSON, "debug")
	if err != nil {
		t.Fatal(err)
	}
	q := AtLeast(l.With(AttrPlatform, "Lake"), slog.LevelWarn)
	q.Info("routine")
	q.Warn("look", AttrStream, "S")
	out := buf.String()
	if strings.Contains(out, "routine") || !strings.Contains(out, `"msg":"look"`) || !strings.Contains(out, `"platform":"Lake"`) {
		t.Errorf("AtLeast(warn) wrote %q; want only the warning, with the platform", out)
	}
}
