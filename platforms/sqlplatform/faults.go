package sqlplatform

import (
	"sync"
)

// The fault points of a batch, in the order a batch passes them. Tests arm
// them (armFault) to fail or panic there and prove that the next run ends
// in the state of an uninterrupted run (docs/SQL_PLATFORM.md, "Streams and
// batches").
const (
	faultStarted     = "started"      // the batch is recorded STARTED
	faultStagingRows = "staging.rows" // mid-staging, after a dataset's first row went to the store
	faultStaged      = "staged"       // every dataset staged, not yet INGESTED
	faultIngested    = "ingested"     // the INGESTED mark is committed
	faultMergeSchema = "merge.schema" // in the merge transaction, after its DDL
	faultMergeRows   = "merge.rows"   // in the merge transaction, after the merge statements
	faultMergeCommit = "merge.commit" // in the merge transaction, after the COMMITTED mark, before COMMIT
	faultCommitted   = "committed"    // after COMMIT, before the staging tables are dropped
	faultCleanedUp   = "cleaned"      // after the staging tables are dropped
)

// faultPoints lists every fault point, in batch order.
var faultPoints = []string{
	faultStarted, faultStagingRows, faultStaged, faultIngested,
	faultMergeSchema, faultMergeRows, faultMergeCommit, faultCommitted, faultCleanedUp,
}

// faults holds the armed fault, if any. Production code never arms one;
// a disarmed faultPoint costs one mutex round trip.
var faults struct {
	mu   sync.Mutex
	hook func(point string) error
}

// faultPoint returns the error an armed test fault injects at point (or
// panics, if the fault says so); nil otherwise.
func faultPoint(point string) error {
	faults.mu.Lock()
	hook := faults.hook
	faults.mu.Unlock()
	if hook == nil {
		return nil
	}
	return hook(point)
}

// armFault sets the hook every fault point calls; nil disarms. For tests.
func armFault(hook func(point string) error) {
	faults.mu.Lock()
	faults.hook = hook
	faults.mu.Unlock()
}

// ddlObserver, when set by a test, sees every DDL statement the platform
// runs, so a test can assert that an unchanged model runs none.
var ddlObserver struct {
	mu sync.Mutex
	f  func(stmt string)
}

func observeDDL(stmt string) {
	ddlObserver.mu.Lock()
	f := ddlObserver.f
	ddlObserver.mu.Unlock()
	if f != nil {
		f(stmt)
	}
}

// setDDLObserver sets (nil: clears) the DDL observer. For tests.
func setDDLObserver(f func(stmt string)) {
	ddlObserver.mu.Lock()
	ddlObserver.f = f
	ddlObserver.mu.Unlock()
}
