package worker

import (
	"regexp"
	"testing"
)

// riverID is the form River accepts for a periodic job's ID
// (rivercommon.UserSpecifiedIDOrKindRE), and its length limit.
var riverID = regexp.MustCompile(`\A[\w][\w\-\[\]<>\/.·:+]+\z`)

const riverIDMax = 128

// FuzzPeriodicID: whatever a stream is called and whatever its schedule
// says, its periodic job's ID is one River accepts, and two schedules of
// one stream get two IDs.
func FuzzPeriodicID(f *testing.F) {
	f.Add("cron", "Shop", "*/5 * * * *")
	f.Add("every", "Shop.orders", "1m0s")
	f.Add("events", "", "5s")
	f.Add("cron", "Crème brûlée ☕ \"x\"\n", "@every 1s")
	f.Add("cron", "a very long store name that goes on and on and on and on and on and on and on and on and on", "0 3 * * *")
	f.Fuzz(func(t *testing.T, kind, stream, schedule string) {
		if kind == "" || !riverID.MatchString(kind+"x") {
			t.Skip("kinds are the worker's own words")
		}
		id := periodicID(kind, stream, schedule)
		if !riverID.MatchString(id) || len(id) >= riverIDMax {
			t.Fatalf("periodicID(%q, %q, %q) = %q: River refuses it", kind, stream, schedule, id)
		}
		if other := periodicID(kind, stream, schedule+" "); other == id {
			t.Fatalf("two schedules of stream %q share the ID %q", stream, id)
		}
	})
}
