package sqlplatform

import (
	"context"
	"strings"
	"time"

	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/graph/openlineage"
)

// Lineage (docs/SQL_PLATFORM.md, "Lineage"): with WithLineage, every batch
// emits OpenLineage run events: START once its number is known (again, with
// the same run ID, when a later run resumes it), then COMPLETE with the rows
// it wrote per dataset, or FAIL with its error. The run ID is derived from
// the ecosystem, platform, stream and batch number, so the events of a
// batch resumed by another process join up.
//
// Lineage is observation, not data: an event that cannot be delivered is
// logged as a warning and the batch goes on. Errors of the platform never
// hold a secret (see Credentials), so FAIL's message may carry them.

// lineageEmitTimeout bounds the delivery of one event, so a slow lineage
// endpoint cannot hold a batch (and its stream lock) for long.
const lineageEmitTimeout = 10 * time.Second

// lineageSettings are WithLineage's arguments.
type lineageSettings struct {
	ecosystem string
	emitter   openlineage.Emitter
}

// WithLineage makes every batch emit OpenLineage run events to em (see
// openlineage.Open for a JSON-lines file or an HTTP endpoint). ecosystem is
// the model's name, for the events' namespaces. The caller closes em after
// the platform's last run.
func WithLineage(ecosystem string, em openlineage.Emitter) Option {
	return func(s *settings) {
		if em == nil {
			s.lineage = nil
			return
		}
		s.lineage = &lineageSettings{ecosystem: ecosystem, emitter: em}
	}
}

// lineageRuns builds the run events of one pipeline, or is nil when the
// platform emits none.
func (p *Platform) lineageRuns(pl *graph.Pipeline) *openlineage.Runs {
	if p.set.lineage == nil {
		return nil
	}
	return &openlineage.Runs{Ecosystem: p.set.lineage.ecosystem, Pipeline: pl}
}

// emitLineage builds one event with build and delivers it, logging what
// fails. It does nothing when the platform emits no lineage.
func (r *runner) emitLineage(ctx context.Context, stream string, batch int64, build func(job string) (openlineage.RunEvent, error)) {
	r.emitJob(ctx, openlineage.StreamJob(stream), batch, build)
}

// emitJob builds one event of run number run of a job (a stream's ingest
// node or a transform node) and delivers it, logging what fails.
func (r *runner) emitJob(ctx context.Context, job string, run int64, build func(job string) (openlineage.RunEvent, error)) {
	if r.runs == nil || run == 0 {
		return
	}
	ev, err := build(job)
	if err == nil {
		// Delivered even when ctx is cancelled: a FAIL after an interrupt
		// is still worth telling.
		ectx, cancel := context.WithTimeout(context.WithoutCancel(ctx), lineageEmitTimeout)
		err = r.p.set.lineage.emitter.Emit(ectx, ev)
		cancel()
	}
	if err != nil {
		r.log.Warn("emitting an OpenLineage event", "job", job, "run", run, "err", err)
	}
}

// lineageStart emits a batch's START event.
func (r *runner) lineageStart(ctx context.Context, stream string, batch int64) {
	r.emitLineage(ctx, stream, batch, func(job string) (openlineage.RunEvent, error) {
		return r.runs.Start(job, batch, time.Now())
	})
}

// lineageEnd emits a batch's COMPLETE event with the rows it wrote to each
// dataset, or its FAIL event. A run that started no batch, or found the
// stream busy, emits nothing.
func (r *runner) lineageEnd(ctx context.Context, rep BatchReport) {
	if rep.Busy {
		return
	}
	r.emitLineage(ctx, rep.Stream, rep.Batch, func(job string) (openlineage.RunEvent, error) {
		if rep.Err != nil {
			return r.runs.Fail(job, rep.Batch, time.Now(), rep.Err)
		}
		written := make(map[string]openlineage.Stats, len(rep.Datasets))
		for _, d := range rep.Datasets {
			written[d.Dataset] = openlineage.Stats{Rows: d.Inserted + d.Updated + d.Deleted}
		}
		return r.runs.Complete(job, rep.Batch, time.Now(), written)
	})
}

// lineageTransform emits a transformer run's START (done false) or its
// COMPLETE with the rows written per output dataset, or FAIL.
func (r *runner) lineageTransform(ctx context.Context, node string, run int64, done bool, written map[string]int64, failure error) {
	r.emitJob(ctx, node, run, func(job string) (openlineage.RunEvent, error) {
		switch {
		case !done:
			return r.runs.Start(job, run, time.Now())
		case failure != nil:
			return r.runs.Fail(job, run, time.Now(), failure)
		}
		stats := make(map[string]openlineage.Stats, len(written))
		for key, n := range written {
			// Keyed by dataset name, as Runs names outputs.
			_, name, _ := strings.Cut(key, ".")
			stats[name] = openlineage.Stats{Rows: n}
		}
		return r.runs.Complete(job, run, time.Now(), stats)
	})
}
