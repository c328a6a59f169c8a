package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/pflag"

	"github.com/datasurface/datasurface-go/internal/safetext"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/worker"
)

func init() {
	register(&command{
		name:     "status",
		usage:    "[flags] MODEL_DIR",
		summary:  "Show where each stream of a sql platform stands: its latest batch, that batch's state and counts, its last error, and its latest committed batch.",
		exitHelp: "Exit codes: 0 the status was read (whatever it says), 2 usage or load failure, or the merge store could not be read.",
		dirArgs:  1,
		setup:    runStatus,
	})
}

func runStatus(fs *pflag.FlagSet) runFunc {
	var pf platformFlags
	pf.register(fs)
	format := textOrJSONFlag(fs)
	return func(ctx context.Context, e *env, args []string) int {
		c := lookup("status")
		asJSON, code, ok := textOrJSON(c, e, *format)
		if !ok {
			return code
		}
		if len(args) != 1 {
			return usageError(e, c, "want one model folder, got %d arguments", len(args))
		}
		t, code, ok := openSQLPlatform(ctx, e, c, &pf, args[0], false, discardLogger())
		if !ok {
			return code
		}
		streams, err := t.platform.Status(ctx, t.pipeline)
		if err != nil {
			errorf(e, "dsl status: %v\n", err)
			return exitUsage
		}
		jobs, err := worker.QueueStatus(ctx, t.platform)
		if err != nil {
			errorf(e, "dsl status: %v\n", err)
			return exitUsage
		}
		queued := queuedJobs(streams, jobs)
		if asJSON {
			if err := writeJSON(e.stdout, statusJSON(t, streams, queued)); err != nil {
				errorf(e, "dsl status: %v\n", err)
				return exitUsage
			}
			return exitClean
		}
		printStatus(e, t, streams, queued)
		return exitClean
	}
}

// printStatus prints a table of the streams, then a paragraph for each
// stream whose latest batch is not committed.
func printStatus(e *env, t *sqlTarget, streams []sqlplatform.StreamStatus, queued map[string]worker.StreamJob) {
	w := e.stdout
	fmt.Fprintln(w, t.describe())
	if len(streams) == 0 {
		fmt.Fprintln(w, "no streams: no dataset of the model is ingested by this platform (no workspace group reads one through it)")
		return
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STREAM\tCAPTURE\tTRIGGER\tBATCH\tSTATE\tLAST COMMITTED\tLAG\tREAD\tINSERTED\tUPDATED\tDELETED\tUNCHANGED")
	now := time.Now()
	for _, s := range streams {
		trigger := s.Trigger
		if trigger == "" {
			trigger = "-"
		}
		if s.Batch == 0 {
			fmt.Fprintf(tw, "%s\t%s\t%s\t-\tnever ran\t-\t-\t-\t-\t-\t-\t-\n", safetext.Line(s.Stream), s.Capture, safetext.Line(trigger))
			continue
		}
		committed, lag := "-", "-"
		if s.LastCommitted > 0 {
			committed = fmt.Sprintf("%d at %s", s.LastCommitted, s.CommittedAt.UTC().Format(time.DateTime+"Z"))
			lag = streamLag(now, s.CommittedAt).String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\n", safetext.Line(s.Stream), s.Capture, safetext.Line(trigger),
			s.Batch, s.State, committed, lag, s.Read, s.Inserted, s.Counts.Updated, s.Deleted, s.Unchanged)
	}
	_ = tw.Flush()
	for _, s := range streams {
		if len(s.WaitsOn) > 0 {
			fmt.Fprintf(w, "\n%s: written by %s, which reads %s: it runs after them and stops when they fail.\n",
				safetext.Line(s.Stream), safetext.Line(s.WaitsOn[0]), safetext.Line(strings.Join(s.WaitsOn[1:], ", ")))
		}
		for _, ev := range s.Pending {
			fmt.Fprintf(w, "\n%s: event %s waits (fired %d %s since %s): a running dsl run, or dsl trigger %s --run %s, runs the stream.\n",
				safetext.Line(s.Stream), safetext.Line(ev.Event), ev.Count, pluralWord(ev.Count, "time"), ev.Since.UTC().Format(time.DateTime+"Z"),
				safetext.Line(t.commandArgs()), safetext.Line(ev.Event))
		}
		if j, ok := queued[s.Stream]; ok {
			printJob(w, s.Stream, j)
		}
		if s.Batch == 0 || s.State == sqlplatform.Committed {
			continue
		}
		fmt.Fprintf(w, "\n%s: batch %d is %s, not committed, after %d %s (last change %s).\n",
			safetext.Line(s.Stream), s.Batch, s.State, s.Attempts, pluralWord(s.Attempts, "attempt"), s.Updated.UTC().Format(time.DateTime+"Z"))
		if s.Error != "" {
			fmt.Fprintf(w, "  last error: %s\n", safetext.Line(s.Error))
		}
		fmt.Fprintf(w, "  The next dsl run resumes it; dsl reset %s --stream %s discards it.\n", safetext.Line(t.commandArgs()), safetext.Line(s.Stream))
	}
}

// queuedJobs keeps, per stream, the job dsl worker's queue holds for it
// (see worker.QueueStatus), leaving out a dead job from before the
// stream's latest commit: the stream has recovered since.
func queuedJobs(streams []sqlplatform.StreamStatus, jobs []worker.StreamJob) map[string]worker.StreamJob {
	committed := map[string]time.Time{}
	for _, s := range streams {
		committed[s.Stream] = s.CommittedAt
	}
	out := map[string]worker.StreamJob{}
	for _, j := range jobs {
		if j.State == worker.Dead && j.At.Before(committed[j.Stream]) {
			continue
		}
		out[j.Stream] = j
	}
	return out
}

// printJob says where a stream's job stands in the worker queue when that
// needs attention: retrying or dead.
func printJob(w io.Writer, stream string, j worker.StreamJob) {
	switch j.State {
	case worker.Dead:
		fmt.Fprintf(w, "\n%s: its queue job %d is dead after %s failed, the last at %s; the workers do not retry it.\n",
			safetext.Line(stream), j.JobID, plural(j.Attempt, "attempt"), j.At.UTC().Format(time.DateTime+"Z"))
		fmt.Fprintf(w, "  Fix the cause; the stream's next trigger queues a new job, which resumes the batch.\n")
	case "retryable":
		fmt.Fprintf(w, "\n%s: its queue job %d failed attempt %d of %d and is retried at %s.\n",
			safetext.Line(stream), j.JobID, j.Attempt, j.MaxAttempts, j.At.UTC().Format(time.DateTime+"Z"))
	default:
		return
	}
	if j.LastError != "" {
		fmt.Fprintf(w, "  last error: %s\n", safetext.Line(j.LastError))
	}
}

// streamLag is how old a stream's data is: the time since its latest
// committed batch committed, in whole seconds (never negative, whatever
// the clocks of the machines sharing a store say).
func streamLag(now, committed time.Time) time.Duration {
	return max(now.Sub(committed), 0).Truncate(time.Second)
}

func pluralWord(n int64, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// The JSON form of dsl status.
type statusReportJSON struct {
	Platform    string             `json:"platform"`
	Milestoning string             `json:"milestoning"`
	Store       string             `json:"store"`
	StoreFrom   string             `json:"store_from"`
	Streams     []streamStatusJSON `json:"streams"`
}

type streamStatusJSON struct {
	Stream   string   `json:"stream"`
	Datasets []string `json:"datasets"`
	Capture  string   `json:"capture"`
	Trigger  string   `json:"trigger,omitempty"`
	Batch    int64    `json:"batch"`
	State    string   `json:"state,omitempty"`
	Attempts int64    `json:"attempts"`
	sqlplatform.Counts
	// The times are named *_at: the counts hold "updated".
	StartedAt     *time.Time `json:"started_at,omitempty"`
	ChangedAt     *time.Time `json:"changed_at,omitempty"`
	LastCommitted int64      `json:"last_committed"`
	CommittedAt   *time.Time `json:"committed_at,omitempty"`
	// LagSeconds is the time since CommittedAt, absent before a commit.
	LagSeconds *float64                   `json:"lag_seconds,omitempty"`
	Error      string                     `json:"error,omitempty"`
	Views      []sqlplatform.ViewRef      `json:"views"`
	Pending    []sqlplatform.PendingEvent `json:"pending_events"`
	WaitsOn    []string                   `json:"waits_on,omitempty"`
	// Job is the stream's job in dsl worker's queue, absent when none.
	Job *jobJSON `json:"job,omitempty"`
}

// jobJSON is a stream's queue job in dsl status --format json.
type jobJSON struct {
	ID          int64     `json:"id"`
	State       string    `json:"state"`
	Attempt     int       `json:"attempt"`
	MaxAttempts int       `json:"max_attempts"`
	At          time.Time `json:"at"`
	LastError   string    `json:"last_error,omitempty"`
}

func statusJSON(t *sqlTarget, streams []sqlplatform.StreamStatus, queued map[string]worker.StreamJob) statusReportJSON {
	out := statusReportJSON{Platform: t.platform.Name(), Milestoning: string(t.platform.Milestoning()), Store: t.store, StoreFrom: t.storeFrom,
		Streams: make([]streamStatusJSON, len(streams))}
	at := func(tm time.Time) *time.Time {
		if tm.IsZero() {
			return nil
		}
		u := tm.UTC()
		return &u
	}
	now := time.Now()
	for i, s := range streams {
		j := streamStatusJSON{Stream: s.Stream, Datasets: s.Datasets, Capture: string(s.Capture), Trigger: s.Trigger, Batch: s.Batch,
			State: string(s.State), Attempts: s.Attempts, Counts: s.Counts, StartedAt: at(s.Started), ChangedAt: at(s.Updated),
			LastCommitted: s.LastCommitted, CommittedAt: at(s.CommittedAt), Error: s.Error, Views: s.Views}
		if s.LastCommitted > 0 {
			lag := streamLag(now, s.CommittedAt).Seconds()
			j.LagSeconds = &lag
		}
		if j.Views == nil {
			j.Views = []sqlplatform.ViewRef{}
		}
		if j.Datasets == nil {
			j.Datasets = []string{}
		}
		j.Pending = s.Pending
		j.WaitsOn = s.WaitsOn
		if q, ok := queued[s.Stream]; ok {
			j.Job = &jobJSON{ID: q.JobID, State: q.State, Attempt: q.Attempt, MaxAttempts: q.MaxAttempts, At: q.At.UTC(), LastError: q.LastError}
		}
		if j.Pending == nil {
			j.Pending = []sqlplatform.PendingEvent{}
		}
		out.Streams[i] = j
	}
	return out
}
