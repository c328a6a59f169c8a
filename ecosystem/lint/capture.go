package lint

import (
	"strings"

	"github.com/robfig/cron/v3"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/types"
)

// checkCaptureMissing implements CAPTURE_MISSING: every datastore says how
// it is captured, or no platform can ingest it. A store that a transformer
// writes but that lacks its capture is TRANSFORMER_OUTPUT_CAPTURE's finding.
func checkCaptureMissing(p *pass, r *reporter) {
	producers := p.producers()
	for _, s := range p.stores {
		if s.Store.Capture == nil && len(producers[s.Store.Name]) == 0 {
			r.report(s.Path(), s.Store.Pos, "datastore %q has no capture", s.Store.Name)
		}
	}
}

// needsSource reports whether a capture kind reads from a container.
func needsSource(k ecosystem.CaptureKind) bool {
	switch k {
	case ecosystem.SQLSnapshot, ecosystem.SQLWatermark, ecosystem.CDC, ecosystem.StreamingTopic:
		return true
	}
	return false
}

// checkCaptureSource implements CAPTURE_SOURCE_MISSING: SQL, CDC and
// streaming captures name the container they read.
func checkCaptureSource(p *pass, r *reporter) {
	for _, s := range p.stores {
		c := s.Store.Capture
		if c == nil || c.From != nil || !needsSource(c.Kind) {
			continue
		}
		d := r.diag(s.Path(), c.Pos, "the %s capture of datastore %q has no source", c.Kind, s.Store.Name)
		d.Hint = `give the database or broker to read, for example source = postgres("crm", host = "crm.acme.internal", database = "crm", locations = ["AWS:USA/us-east-1"])`
		r.add(d)
	}
}

// cronParser accepts the standard five fields (minute hour day-of-month
// month day-of-week) and the @hourly-style descriptors, as Kubernetes
// CronJobs and most schedulers do.
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// checkCron implements CRON_INVALID: every cron trigger, of a capture or of
// a transformer, has a schedule the standard parser accepts. Schedules are
// parsed once each, since large models repeat the same few.
func checkCron(p *pass, r *reporter) {
	parsed := map[string]error{}
	check := func(t *ecosystem.Trigger, where func() (path, owner string)) {
		if t == nil || t.Kind != ecosystem.CronTrigger {
			return
		}
		err, done := parsed[t.Cron]
		if !done {
			if strings.TrimSpace(t.Cron) == "" {
				err = errEmptySchedule
			} else {
				if _, err = cronParser.Parse(t.Cron); err == nil {
					err = checkCronSteps(t.Cron)
				}
			}
			parsed[t.Cron] = err
		}
		if err == nil {
			return
		}
		path, owner := where()
		d := r.diag(path, t.ArgPos("schedule"), "%s has an invalid cron schedule %q: %v", owner, t.Cron, err)
		d.Hint = `write five fields, minute hour day-of-month month day-of-week, for example "*/15 * * * *" (every 15 minutes) or "0 2 * * 1-5" (02:00 on weekdays)`
		r.add(d)
	}
	for _, s := range p.stores {
		if c := s.Store.Capture; c != nil {
			check(c.Trigger, func() (string, string) { return s.Path(), "the capture trigger of datastore " + quote(s.Store.Name) })
		}
	}
	for _, w := range p.workspaces {
		if t := w.Workspace.Transformer; t != nil {
			check(t.Trigger, func() (string, string) { return w.Path(), "the trigger of transformer " + quote(t.Name) })
		}
	}
}

type scheduleError string

func (e scheduleError) Error() string { return string(e) }

const errEmptySchedule = scheduleError("the schedule is empty")

// watermarkStores calls fn for each store captured as sql_watermark.
func watermarkStores(p *pass, fn func(s ecosystem.StoreRef, c *ecosystem.Capture)) {
	for _, s := range p.stores {
		if c := s.Store.Capture; c != nil && c.Kind == ecosystem.SQLWatermark {
			fn(s, c)
		}
	}
}

// checkWatermarkColumn implements WATERMARK_COLUMN_MISSING: an sql_watermark
// capture names its watermark column, and every dataset of the store has it,
// since one capture query per dataset filters on it.
func checkWatermarkColumn(p *pass, r *reporter) {
	watermarkStores(p, func(s ecosystem.StoreRef, c *ecosystem.Capture) {
		if c.WatermarkColumn == "" {
			d := r.diag(s.Path(), c.Pos, "the sql_watermark capture of datastore %q names no watermark column", s.Store.Name)
			d.Hint = `name the column whose value grows with each change, for example watermark = "updated_at"`
			r.add(d)
			return
		}
		for _, ds := range s.Store.Datasets {
			if ds.Column(c.WatermarkColumn) != nil {
				continue
			}
			d := r.diag(datasetPath(s, ds), ds.ArgPos("columns"), "dataset %q of datastore %q has no column %q, the watermark of its sql_watermark capture", ds.Name, s.Store.Name, c.WatermarkColumn)
			d.Hint = "add the watermark column " + quote(c.WatermarkColumn) + " to the dataset, or capture the store another way"
			d.Related = related(d.Related, c.ArgPos("watermark"), "watermark named here")
			r.add(d)
		}
	})
}

// checkWatermarkType implements WATERMARK_TYPE_MISMATCH: the watermark column
// has one type across the store's datasets, because the capture keeps one
// high-water mark per store and compares it with each dataset's column.
// Columns without a type are COLUMN_TYPE_MISSING's finding.
func checkWatermarkType(p *pass, r *reporter) {
	watermarkStores(p, func(s ecosystem.StoreRef, c *ecosystem.Capture) {
		if c.WatermarkColumn == "" {
			return
		}
		var first types.Type
		mixed := false
		for _, ds := range s.Store.Datasets {
			if col := ds.Column(c.WatermarkColumn); col != nil && col.Type != nil {
				if first == nil {
					first = col.Type
				} else if !types.Equal(first, col.Type) {
					mixed = true
				}
			}
		}
		if !mixed {
			return
		}
		// Group the datasets by type, in order of first appearance, for a
		// message that reads "timestamp in a, b; date in c".
		var order []types.Type
		byType := map[types.Type][]string{}
		var rel []ecosystem.Related
		for _, ds := range s.Store.Datasets {
			col := ds.Column(c.WatermarkColumn)
			if col == nil || col.Type == nil {
				continue
			}
			if _, seen := byType[col.Type]; !seen {
				order = append(order, col.Type)
			}
			byType[col.Type] = append(byType[col.Type], ds.Name)
			rel = related(rel, col.ArgPos("type"), "in dataset "+quote(ds.Name)+" it is "+col.Type.String())
		}
		parts := make([]string, len(order))
		for i, t := range order {
			parts[i] = t.String() + " in " + strings.Join(byType[t], ", ")
		}
		d := r.diag(s.Path(), c.ArgPos("watermark"), "the watermark column %q of datastore %q has different types: %s", c.WatermarkColumn, s.Store.Name, strings.Join(parts, "; "))
		d.Hint = "give the watermark column the same type in every dataset of the store"
		d.Related = rel
		r.add(d)
	})
}
