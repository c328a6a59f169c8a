package sqlplatform

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/internal/safetext"
)

// Mirrors (docs/SQL_PLATFORM.md, "Mirrors"): a platform declared with the
// option "mirror_of": "Primary" does not read the sources. Each of its
// streams reads the current rows of the same store's merge tables on the
// primary platform, as a snapshot, and keeps them with batches of its own:
// a live subscriber whose live state equals the primary's. It sees only
// what the primary committed (a merge is one transaction), catches up over
// any number of the primary's batches in one batch, seeds itself from the
// primary's latest state on its first run, and runs no batch while the
// primary has committed nothing since its last one.

const optionMirrorOf = "mirror_of"

// WithPrimary gives a mirror platform (one declared with "mirror_of") the
// primary platform it copies: the program that runs both binds both. The
// command line does it from the model.
func WithPrimary(primary *Platform) Option { return func(s *settings) { s.primary = primary } }

// MirrorOf returns the name of the platform this one mirrors, "" for a
// platform that reads its sources.
func (p *Platform) MirrorOf() string { return p.set.mirrorOf }

// mirrorSource opens the primary's merge store as the source of a mirror's
// batch, and returns it with a function closing it.
func (b *batchRun) mirrorSource(ctx context.Context) (*Source, *Platform, func(), error) {
	p := b.r.p
	primary := p.set.primary
	if primary == nil || primary.name != p.set.mirrorOf {
		return nil, nil, nil, fmt.Errorf("platform %s mirrors platform %s, but the program running it did not give it that platform: bind both and pass WithPrimary (dsl run does it from the model)", p.name, p.set.mirrorOf)
	}
	pst, err := primary.openStore(ctx, false)
	if errors.Is(err, errNoStore) {
		return nil, nil, nil, fmt.Errorf("platform %s mirrors platform %s, whose merge store does not exist yet: run %s first", p.name, primary.name, primary.name)
	}
	if err != nil {
		return nil, nil, nil, err
	}
	src := &Source{DB: pst.db, Dialect: pst.d, Name: primary.name, Where: "the merge store of platform " + safetext.Line(primary.name)}
	return src, primary, func() { _ = pst.db.Close() }, nil
}

// mirrorFilter restricts a mirror's read of the primary's merge table to
// its current rows.
func mirrorFilter(primary *Platform, src *Source) *sourceFilter {
	if primary.set.milestoning != ecosystem.Forensic {
		return nil
	}
	return &sourceFilter{where: " WHERE " + src.Dialect.QuoteIdent(colBatchOut) + " = " + strconv.FormatInt(LiveBatch, 10)}
}

// primaryBatch reads the primary's latest committed batch of the stream, 0
// when it has none (or no store yet).
func (r *runner) primaryBatch(ctx context.Context, stream string) (int64, error) {
	primary := r.p.set.primary
	if primary == nil {
		return 0, nil
	}
	pst, err := primary.openStore(ctx, false)
	if errors.Is(err, errNoStore) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	defer pst.db.Close()
	if phys, err := pst.d.TableColumns(ctx, pst.db, batchesTable); err != nil || phys == nil {
		return 0, err
	}
	last, err := lastCommitted(ctx, pst.db, pst.d, stream)
	if err != nil || last == nil {
		return 0, err
	}
	return last.batch, nil
}

// mirrorUpToDate reports whether a mirror stream has copied the primary's
// latest committed batch already, so that a run has nothing to do.
func (r *runner) mirrorUpToDate(ctx context.Context, s *stream) (bool, int64, error) {
	pb, err := r.primaryBatch(ctx, s.name)
	if err != nil || pb == 0 {
		return false, 0, err
	}
	last, err := latestBatch(ctx, r.st.db, r.st.d, s.name)
	if err != nil || last == nil || last.state != Committed {
		return false, 0, err
	}
	for _, dr := range last.datasets {
		if dr.MirroredBatch != pb {
			return false, 0, nil
		}
	}
	return len(last.datasets) > 0, last.batch, nil
}

// mirrorStreams makes a mirror's streams snapshots of the primary's current
// rows, whatever the capture the primary runs: the trigger stays, the
// capture kind becomes a snapshot.
func mirrorStreams(streams []*stream) {
	for _, s := range streams {
		c := ecosystem.Capture{Kind: ecosystem.SQLSnapshot}
		if s.capture != nil {
			c = *s.capture
			c.Kind = ecosystem.SQLSnapshot
		}
		s.capture = &c
	}
}
