package sqlplatform

import (
	"fmt"
	"time"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// RunOptions say what RunOnce and Run do.
type RunOptions struct {
	// Stream limits the run to one stream ("Store", or "Store.dataset" for
	// a store ingested dataset by dataset); empty runs every stream.
	Stream string
	// Event limits the run to the streams whose capture has the trigger
	// external(Event) (with Stream, that stream, which must be one of
	// them); an event no stream has is an error wrapping ErrUnknownEvent.
	// RunOnce records the event first (see Trigger).
	Event string
	// Progress, when set, is called as a batch moves: when a phase starts
	// and every few thousand rows of staging. It is called from the
	// goroutine running the batch and must return quickly.
	Progress func(Progress)
}

// The phases a Progress report names.
const (
	PhaseStaging = "staging"
	PhaseMerging = "merging"
)

// Progress reports how far a batch has come.
type Progress struct {
	Stream  string
	Batch   int64
	Dataset string
	// Phase is PhaseStaging or PhaseMerging.
	Phase string
	// Rows is the number of rows staged so far (staging only).
	Rows int64
}

// Report is what RunOnce did: one BatchReport per stream it ran, in the
// order it ran them (the pipeline's order).
type Report struct {
	Platform    string
	Milestoning ecosystem.Milestoning
	// Store is the merge store, as people may see it (no password), and
	// StoreFrom says where the choice came from.
	Store     string
	StoreFrom string
	Batches   []BatchReport
	// Transforms are the transformers the run considered, in the order it
	// did (see TransformReport.Ran).
	Transforms []TransformReport
}

// Failed returns the batches that ended in an error, busy streams included.
func (r *Report) Failed() []BatchReport {
	var out []BatchReport
	for _, b := range r.Batches {
		if b.Err != nil {
			out = append(out, b)
		}
	}
	return out
}

// BatchReport is what one run of one stream did.
type BatchReport struct {
	Stream string
	// Batch is the batch's number; 0 when the run could not start one.
	Batch int64
	// State is the state the batch reached: Committed when it is done.
	State BatchState
	// Resumed says the run finished a batch an earlier run left
	// uncommitted (same number, staged again unless INGESTED and intact).
	Resumed bool
	// Busy says another runner was running a batch of the stream, so this
	// run did nothing (Err wraps ErrStreamBusy).
	Busy bool
	// UpToDate says, on a mirror, that the stream's latest batch (Batch)
	// copied the primary's latest committed batch already: the run did
	// nothing.
	UpToDate bool
	// Datasets are the stream's datasets with what the batch did to each
	// (merge table, counts), sorted by name.
	Datasets []DatasetReport
	// Counts are the totals over the datasets.
	Counts
	// Staging, Merging and Total are how long the phases took.
	Staging, Merging, Total time.Duration
	// Views are the consumer views of the stream's datasets: what to query.
	Views []ViewRef
	// Err is why the batch did not commit; nil when it did. The batch stays
	// uncommitted and the next run finishes it.
	Err error
}

// DatasetReport is what a batch did to one dataset.
type DatasetReport struct {
	Dataset string
	// Table is the dataset's merge table.
	Table string
	Counts
}

// Summary is one line saying what the batch did, for people:
// "batch 3: 1000 read, 5 inserted, 2 updated, 1 deleted, 992 unchanged".
func (b BatchReport) Summary() string {
	switch {
	case b.Busy:
		return "skipped: " + ErrStreamBusy.Error()
	case b.UpToDate:
		return fmt.Sprintf("batch %d is up to date with the primary: nothing new", b.Batch)
	case b.Err != nil && b.Batch == 0:
		return "failed before a batch started"
	case b.Err != nil:
		return fmt.Sprintf("batch %d: %s, not committed", b.Batch, b.State)
	}
	return fmt.Sprintf("batch %d: %d read, %d inserted, %d updated, %d deleted, %d unchanged",
		b.Batch, b.Read, b.Inserted, b.Updated, b.Deleted, b.Unchanged)
}

// StreamStatus is where one stream stands, as Status reads it from the
// merge store.
type StreamStatus struct {
	Stream   string
	Datasets []string
	// Capture is the capture kind, Trigger the trigger ("cron */5 * * * *")
	// or "" when the capture has none.
	Capture ecosystem.CaptureKind
	Trigger string
	// Batch is the stream's latest batch, 0 when it never ran; State its
	// state and Attempts the runs that worked on it.
	Batch    int64
	State    BatchState
	Attempts int64
	// Counts are what the latest batch did (zero until it commits, apart
	// from Read once staged).
	Counts
	// Started and Updated are when the latest batch started and last
	// changed state or failed.
	Started, Updated time.Time
	// LastCommitted is the latest committed batch (0 when none) and
	// CommittedAt when it committed; the stream's data is as of then.
	LastCommitted int64
	CommittedAt   time.Time
	// Error is the latest batch's last error while it is uncommitted: ""
	// when none.
	Error string
	// Pending are the external events recorded for the stream that no
	// committed batch has consumed yet (see Trigger), by event name.
	Pending []PendingEvent
	// WaitsOn, for a stream that ingests a transformer's output, names the
	// transform node that writes it and the streams that transformer reads
	// ("transform:Workspace", then the input streams, sorted): the nodes
	// whose failure stops it.
	WaitsOn []string
	// Views are what consumers query.
	Views []ViewRef
}

// PendingEvent is an external event waiting for a stream's batch.
type PendingEvent struct {
	Event string `json:"event"`
	// Count is how many times it was fired since a batch last consumed it
	// (one batch consumes them all), and Since when the first of them was.
	Count int64     `json:"count"`
	Since time.Time `json:"since"`
}
