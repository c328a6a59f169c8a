package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/spf13/pflag"

	"github.com/datasurface/datasurface-go/internal/safetext"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform"
)

func init() {
	register(&command{
		name:    "run",
		usage:   "[flags] MODEL_DIR",
		summary: "Run the pipelines of a sql platform: move the sources' data into its merge store and keep the consumers' views, once (--once) or as the triggers fire until stopped.",
		exitHelp: "Exit codes: 0 every batch committed (or, without --once, stopped by Ctrl-C or SIGTERM), " +
			"1 a batch did not commit or the model has errors (an uncommitted batch is resumed by the next run), 2 usage or load failure.",
		dirArgs: 1,
		setup:   runRun,
	})
}

func runRun(fs *pflag.FlagSet) runFunc {
	var pf platformFlags
	pf.register(fs)
	once := fs.Bool("once", false, "run one batch of every stream (or of --stream) and exit, whatever the triggers")
	stream := fs.String("stream", "", "run only this stream: a datastore's name, or STORE.DATASET for a store ingested dataset by dataset")
	fs.StringVar(&pf.lineage, "lineage", "", "emit OpenLineage run events (START, COMPLETE, FAIL) of every batch: to an http(s):// endpoint, or appended as JSON lines to a file")
	format := textOrJSONFlag(fs)
	return func(ctx context.Context, e *env, args []string) int {
		c := lookup("run")
		asJSON, code, ok := textOrJSON(c, e, *format)
		if !ok {
			return code
		}
		if len(args) != 1 {
			return usageError(e, c, "want one model folder, got %d arguments", len(args))
		}
		t, code, ok := openSQLPlatform(ctx, e, c, &pf, args[0], true, discardLogger())
		if !ok {
			return code
		}
		defer func() {
			if err := t.close(); err != nil {
				errorf(e, "dsl run: --lineage: %v\n", err)
			}
		}()
		opts := sqlplatform.RunOptions{Stream: *stream}
		var progress *progressLine
		if !asJSON && isTerminal(e, e.stderr) {
			progress = &progressLine{w: e.stderr}
			opts.Progress = progress.update
		}
		out := &runPrinter{e: e, t: t, asJSON: asJSON, progress: progress}
		if *once {
			return out.once(ctx, opts)
		}
		return out.continuously(ctx, opts)
	}
}

// runPrinter prints what dsl run does, as text for people or as JSON.
type runPrinter struct {
	e        *env
	t        *sqlTarget
	asJSON   bool
	progress *progressLine
	// cmd is the command its messages name: "run" when empty (dsl trigger
	// --run prints its batches with it too).
	cmd string
}

// name is the command the printer's messages name.
func (r *runPrinter) name() string {
	if r.cmd == "" {
		return "run"
	}
	return r.cmd
}

// once runs one batch of each selected stream and prints the report.
func (r *runPrinter) once(ctx context.Context, opts sqlplatform.RunOptions) int {
	if !r.asJSON {
		fmt.Fprintln(r.e.stdout, r.t.describe())
	}
	rep, err := r.t.platform.RunOnce(ctx, r.t.pipeline, opts)
	r.progress.clear()
	if rep == nil {
		errorf(r.e, "dsl %s: %v\n", r.name(), err)
		return exitFindings
	}
	if r.asJSON {
		if err := writeJSON(r.e.stdout, runReportJSON(rep)); err != nil {
			errorf(r.e, "dsl %s: %v\n", r.name(), err)
			return exitUsage
		}
	} else {
		for _, b := range rep.Batches {
			r.printBatch(b, false)
		}
		for _, tr := range rep.Transforms {
			r.printTransform(tr)
		}
		r.printViews(rep.Batches)
	}
	for _, b := range rep.Failed() {
		r.explainFailure(b)
	}
	for _, tr := range rep.Transforms {
		if tr.Err != nil {
			errorf(r.e, "dsl %s: %v\nIts output stays as its last good run left it, and what depends on it did not run.\n", r.name(), tr.Err)
		}
	}
	if err != nil || len(rep.Failed()) > 0 {
		return exitFindings
	}
	return exitClean
}

// continuously runs the streams as their triggers fire until ctx is
// cancelled, printing each batch as it ends: a line of text, or a JSON
// object per line.
func (r *runPrinter) continuously(ctx context.Context, opts sqlplatform.RunOptions) int {
	if !r.asJSON {
		fmt.Fprintln(r.e.stdout, r.t.describe())
		fmt.Fprintln(r.e.stdout, "running the streams as their triggers fire; Ctrl-C stops (an interrupted batch is resumed by the next run)")
	}
	views := map[string]bool{}
	err := r.t.platform.RunContinuously(ctx, r.t.pipeline, opts, func(b sqlplatform.BatchReport) {
		r.progress.clear()
		if r.asJSON {
			if err := writeJSON(r.e.stdout, batchJSON(b)); err != nil {
				errorf(r.e, "dsl run: %v\n", err)
			}
		} else {
			r.printBatch(b, true)
			// Name the views the first time a stream's batch commits.
			var fresh []sqlplatform.BatchReport
			if b.Err == nil && !views[b.Stream] {
				views[b.Stream] = true
				fresh = append(fresh, b)
			}
			r.printViews(fresh)
		}
		// A failed batch is retried at its stream's next time, so it is
		// reported and the run goes on.
		if b.Err != nil {
			r.explainFailure(b)
		}
	})
	r.progress.clear()
	if err != nil {
		errorf(r.e, "dsl %s: %v\n", r.name(), err)
		return exitFindings
	}
	if !r.asJSON {
		fmt.Fprintln(r.e.stdout, "stopped")
	}
	return exitClean
}

// printBatch prints one batch: a line for the stream, then one per dataset
// (when the stream has several, or always for a run that ends).
func (r *runPrinter) printBatch(b sqlplatform.BatchReport, stamped bool) {
	w := r.e.stdout
	prefix := ""
	if stamped {
		prefix = time.Now().UTC().Format(time.RFC3339) + " "
	}
	stream := safetext.Line(b.Stream)
	switch {
	case b.Busy:
		fmt.Fprintf(w, "%s%s: skipped: another runner is running a batch of this stream\n", prefix, stream)
		return
	case b.UpToDate:
		fmt.Fprintf(w, "%s%s: %s\n", prefix, stream, b.Summary())
		return
	case b.Err != nil && b.Batch == 0:
		fmt.Fprintf(w, "%s%s: failed before a batch started\n", prefix, stream)
		return
	case b.Err != nil:
		fmt.Fprintf(w, "%s%s: batch %d not committed (it reached %s)\n", prefix, stream, b.Batch, b.State)
		return
	}
	resumed := ""
	if b.Resumed {
		resumed = " (resumed)"
	}
	fmt.Fprintf(w, "%s%s: batch %d%s committed in %s: %s\n", prefix, stream, b.Batch, resumed, roundDuration(b.Total), countsText(b.Counts))
	if len(b.Datasets) < 2 && stamped {
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, d := range b.Datasets {
		fmt.Fprintf(tw, "  %s\t%s\n", safetext.Line(d.Dataset), countsText(d.Counts))
	}
	_ = tw.Flush()
}

// printTransform prints what a run did with one transformer.
func (r *runPrinter) printTransform(tr sqlplatform.TransformReport) {
	w := r.e.stdout
	head := fmt.Sprintf("%s (%s)", safetext.Line(tr.Node), safetext.Line(tr.Transformer))
	switch {
	case tr.Err != nil:
		fmt.Fprintf(w, "%s: failed\n", head)
	case !tr.Ran:
		fmt.Fprintf(w, "%s: nothing new since its last run\n", head)
	default:
		var parts []string
		for _, ds := range slices.Sorted(maps.Keys(tr.Written)) {
			parts = append(parts, fmt.Sprintf("%d rows to %s", tr.Written[ds], safetext.Line(ds)))
		}
		if len(parts) == 0 {
			parts = []string{"no rows"}
		}
		fmt.Fprintf(w, "%s: ran in %s, wrote %s\n", head, roundDuration(tr.Took), strings.Join(parts, ", "))
	}
}

// countsText says what a batch did to rows.
func countsText(c sqlplatform.Counts) string {
	return fmt.Sprintf("%d read, %d inserted, %d updated, %d deleted, %d unchanged", c.Read, c.Inserted, c.Updated, c.Deleted, c.Unchanged)
}

// printViews lists the views of the committed batches, sorted by name,
// and shows how to query one.
func (r *runPrinter) printViews(batches []sqlplatform.BatchReport) {
	var views []sqlplatform.ViewRef
	for _, b := range batches {
		if b.Err == nil {
			views = append(views, b.Views...)
		}
	}
	if len(views) == 0 {
		return
	}
	slices.SortFunc(views, func(a, b sqlplatform.ViewRef) int { return strings.Compare(a.Name, b.Name) })
	views = slices.CompactFunc(views, func(a, b sqlplatform.ViewRef) bool { return a.Name == b.Name })
	w := r.e.stdout
	fmt.Fprintln(w, "\nQuery these views in the merge store:")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	example := ""
	for _, v := range views {
		what := "the current rows of"
		if v.Kind == sqlplatform.ViewHistory {
			what = "every version (dsl_batch_in, dsl_batch_out) of"
		} else if example == "" {
			example = v.Name
		}
		fmt.Fprintf(tw, "  %s\t%s %s.%s, for %s/%s\n", safetext.Line(v.Name), what,
			safetext.Line(v.Store), safetext.Line(v.Dataset), safetext.Line(v.Workspace), safetext.Line(v.Group))
	}
	_ = tw.Flush()
	if path, ok := strings.CutPrefix(r.t.store, "sqlite:"); ok && example != "" {
		fmt.Fprintf(w, "for example: sqlite3 %s 'SELECT * FROM \"%s\"'\n", safetext.Line(path), safetext.Line(example))
	}
}

// explainFailure prints why a batch did not commit, and what to do, on
// stderr.
func (r *runPrinter) explainFailure(b sqlplatform.BatchReport) {
	switch {
	case b.Busy:
		errorf(r.e, "dsl %s: %v\n", r.name(), b.Err)
	case b.Batch == 0:
		errorf(r.e, "dsl %s: %v\n", r.name(), b.Err)
	default:
		errorf(r.e, "dsl %s: %v\nThe batch stays uncommitted and the merge tables and views are as before it: the next dsl run resumes it, or dsl reset %s --stream %s discards it.\n",
			r.name(), b.Err, r.t.commandArgs(), b.Stream)
	}
}

// roundDuration rounds a duration for people: milliseconds below a
// second, hundredths of a second above.
func roundDuration(d time.Duration) time.Duration {
	if d < time.Second {
		return d.Round(time.Millisecond)
	}
	return d.Round(10 * time.Millisecond)
}

// progressLine draws a batch's progress on one terminal line, at most ten
// times a second, and clears it when the batch ends. A nil *progressLine
// draws nothing.
type progressLine struct {
	w     io.Writer
	mu    sync.Mutex
	last  time.Time
	phase string
	shown bool
}

func (p *progressLine) update(pr sqlplatform.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	phase := pr.Stream + "\x00" + pr.Dataset + "\x00" + pr.Phase
	if phase == p.phase && now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.phase, p.last, p.shown = phase, now, true
	what := pr.Phase
	if pr.Phase == sqlplatform.PhaseStaging {
		what = fmt.Sprintf("staging, %d rows read", pr.Rows)
	}
	// \r returns to the start of the line and \x1b[K clears it.
	fmt.Fprintf(p.w, "\r\x1b[K%s batch %d: %s: %s", safetext.Line(pr.Stream), pr.Batch, safetext.Line(pr.Dataset), what)
}

func (p *progressLine) clear() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.shown = false
	}
}

// The JSON forms of dsl run's reports: a run with --once prints one
// runJSON object, a run without it one batchReportJSON object per line.
type runJSON struct {
	Platform    string             `json:"platform"`
	Milestoning string             `json:"milestoning"`
	Store       string             `json:"store"`
	StoreFrom   string             `json:"store_from"`
	Batches     []batchReportJSON  `json:"batches"`
	Transforms  []transformRunJSON `json:"transforms"`
}

type transformRunJSON struct {
	Node        string           `json:"node"`
	Transformer string           `json:"transformer"`
	Ran         bool             `json:"ran"`
	Written     map[string]int64 `json:"written"`
	Seconds     float64          `json:"seconds"`
	Error       string           `json:"error,omitempty"`
}

type batchReportJSON struct {
	Stream   string `json:"stream"`
	Batch    int64  `json:"batch"`
	State    string `json:"state,omitempty"`
	Resumed  bool   `json:"resumed"`
	Busy     bool   `json:"busy"`
	UpToDate bool   `json:"up_to_date"`
	sqlplatform.Counts
	Datasets       []datasetReportJSON   `json:"datasets"`
	StagingSeconds float64               `json:"staging_seconds"`
	MergingSeconds float64               `json:"merging_seconds"`
	TotalSeconds   float64               `json:"total_seconds"`
	Views          []sqlplatform.ViewRef `json:"views"`
	Error          string                `json:"error,omitempty"`
}

type datasetReportJSON struct {
	Dataset string `json:"dataset"`
	Table   string `json:"table"`
	sqlplatform.Counts
}

func runReportJSON(rep *sqlplatform.Report) runJSON {
	out := runJSON{Platform: rep.Platform, Milestoning: string(rep.Milestoning), Store: rep.Store, StoreFrom: rep.StoreFrom,
		Batches: make([]batchReportJSON, len(rep.Batches))}
	for i, b := range rep.Batches {
		out.Batches[i] = batchJSON(b)
	}
	out.Transforms = make([]transformRunJSON, len(rep.Transforms))
	for i, tr := range rep.Transforms {
		j := transformRunJSON{Node: tr.Node, Transformer: tr.Transformer, Ran: tr.Ran, Written: tr.Written, Seconds: tr.Took.Seconds()}
		if j.Written == nil {
			j.Written = map[string]int64{}
		}
		if tr.Err != nil {
			j.Error = tr.Err.Error()
		}
		out.Transforms[i] = j
	}
	return out
}

func batchJSON(b sqlplatform.BatchReport) batchReportJSON {
	out := batchReportJSON{Stream: b.Stream, Batch: b.Batch, State: string(b.State), Resumed: b.Resumed, Busy: b.Busy, UpToDate: b.UpToDate, Counts: b.Counts,
		Datasets:       make([]datasetReportJSON, len(b.Datasets)),
		StagingSeconds: b.Staging.Seconds(), MergingSeconds: b.Merging.Seconds(), TotalSeconds: b.Total.Seconds(),
		Views: b.Views}
	if out.Views == nil {
		out.Views = []sqlplatform.ViewRef{}
	}
	for i, d := range b.Datasets {
		out.Datasets[i] = datasetReportJSON{Dataset: d.Dataset, Table: d.Table, Counts: d.Counts}
	}
	if b.Err != nil {
		out.Error = b.Err.Error()
	}
	return out
}

// writeJSON writes v as one line of JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return errors.New("writing JSON: " + err.Error())
	}
	return nil
}
