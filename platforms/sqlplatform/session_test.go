package sqlplatform

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// TestStreamsDescribeTheChain: Streams lists every stream in run order with
// what a scheduler outside the platform needs: triggers, the transformer
// run before each output stream, the streams feeding it, and priorities.
func TestStreamsDescribeTheChain(t *testing.T) {
	text := strings.Replace(chainModel("live"), `capture = sql_snapshot(source = sqlite("src", database = "src.db"))`,
		`capture = sql_snapshot(source = sqlite("src", database = "src.db"), trigger = cron("*/5 * * * *"))`, 1)
	text = strings.Replace(text, `transformer("Count", code = go_code("count"), output = "Stats")`,
		`transformer("Count", code = go_code("count"), output = "Stats", trigger = external("recount"))`, 1)
	_, pl := buildPipeline(t, text)
	got, err := Streams(pl)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, s := range got {
		lines = append(lines, fmt.Sprintf("%s %s cron=%q event=%q transformer=%q after=%v priority=%v", s.Name, s.Capture, s.Cron, s.Event, s.Transformer, s.After, s.Priority))
	}
	want := []string{
		`Shop sql_snapshot cron="*/5 * * * *" event="" transformer="" after=[] priority=normal`,
		`Caps transformer_output cron="" event="" transformer="transform:Capitalize" after=[Shop] priority=normal`,
		`Stats transformer_output cron="" event="recount" transformer="transform:Counting" after=[Caps] priority=normal`,
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("Streams:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	high := strings.Replace(text, `workspace("Reports", container = platform_managed(),`, `workspace("Reports", priority = "critical", container = platform_managed(),`, 1)
	_, pl = buildPipeline(t, high)
	got, err = Streams(pl)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range got {
		if s.Priority != ecosystem.PriorityCritical {
			t.Errorf("stream %s has priority %v; want critical: the critical workspace depends on it", s.Name, s.Priority)
		}
	}
}

// TestSessionRunsStreams: a Session runs streams one at a time over its
// open store, the transformer first for an output stream; an unknown stream
// is an error IsUnknownStream recognises; LastCommits and PendingEvents read
// the store.
func TestSessionRunsStreams(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storeTarget) {
		h := chainHarness(t, st, map[string]TransformFunc{"upper": upper, "count": count})
		h.set(keyed, row(1, "apple", 1.0), row(2, "banana", nil))
		ctx := context.Background()
		s, err := h.p.Open(ctx, h.pl, true)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := s.Ping(ctx); err != nil {
			t.Fatal(err)
		}
		before := time.Now().Add(-time.Second)
		for _, name := range []string{"Shop", "Caps", "Stats"} {
			if rep := s.RunStream(ctx, name); rep.Err != nil || rep.Batch != 1 || rep.State != Committed {
				t.Fatalf("RunStream(%s) = batch %d %s, %v", name, rep.Batch, rep.State, rep.Err)
			}
		}
		expectRows(t, "counts", h.counts(), `"A" | 1`, `"B" | 1`)
		rep := s.RunStream(ctx, "Nope")
		if !IsUnknownStream(rep.Err) || !strings.Contains(rep.Err.Error(), "Shop, Caps, Stats") {
			t.Errorf("RunStream(Nope) = %v; want an unknown-stream error listing the streams", rep.Err)
		}
		last, err := s.LastCommits(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(last) != 3 || last["Stats"].Before(before) || last["Stats"].After(time.Now().Add(time.Second)) {
			t.Errorf("LastCommits = %v; want the three streams, just now", last)
		}
		if ev, err := s.PendingEvents(ctx); err != nil || len(ev) != 0 {
			t.Errorf("PendingEvents = %v, %v; want none", ev, err)
		}
	})
}
