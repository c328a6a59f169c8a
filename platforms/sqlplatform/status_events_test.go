package sqlplatform

import (
	"context"
	"testing"
)

// TestStatusPendingEvents: Status lists, per stream, the external events
// no batch has consumed yet, with how often each was fired and since when;
// a batch that consumes them clears the list.
func TestStatusPendingEvents(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storeTarget) {
		h := triggerHarness(t, st)
		h.set(keyed, row(1, "a", 1.5))
		fire(t, h.p, h.pl, "shop_ready", "Shop")
		fire(t, h.p, h.pl, "shop_ready", "Shop")
		ctx := context.Background()
		status, err := h.p.Status(ctx, h.pl)
		if err != nil {
			t.Fatal(err)
		}
		pending := map[string][]PendingEvent{}
		for _, s := range status {
			pending[s.Stream] = s.Pending
		}
		if p := pending["Shop"]; len(p) != 1 || p[0].Event != "shop_ready" || p[0].Count != 2 || p[0].Since.IsZero() {
			t.Fatalf("Shop's pending events: %+v", p)
		}
		if len(pending["Depot"]) != 0 || len(pending["Mill"]) != 0 {
			t.Fatalf("pending events of other streams: %+v", pending)
		}
		if _, err := h.p.RunOnce(ctx, h.pl, RunOptions{Event: "shop_ready"}); err != nil {
			t.Fatal(err)
		}
		if status, err = h.p.Status(ctx, h.pl); err != nil {
			t.Fatal(err)
		}
		for _, s := range status {
			if len(s.Pending) != 0 {
				t.Fatalf("stream %s still has pending events after its batch: %+v", s.Stream, s.Pending)
			}
		}
	})
}
