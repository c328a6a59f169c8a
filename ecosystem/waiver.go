package ecosystem

import "time"

// Waiver accepts the findings of one rule under one model path, for a reason,
// until an expiry date. It lives in the part of the model it waives, so the
// owner of that part reviews it.
type Waiver struct {
	Rule string `json:"rule"`
	// Path is a model path; the waiver covers findings at it or under it.
	Path    string    `json:"path"`
	Reason  string    `json:"reason"`
	Expires time.Time `json:"expires"`
	Source
}

// Covers reports whether the waiver applies to a finding of rule at path.
func (w *Waiver) Covers(rule, path string) bool {
	return w.Rule == rule && PathHasPrefix(path, w.Path)
}

// Expired reports whether the waiver has expired at now. A waiver is valid
// through the whole of its expiry day (UTC).
func (w *Waiver) Expired(now time.Time) bool {
	return !now.UTC().Before(w.Expires.UTC().AddDate(0, 0, 1))
}

// Ref returns the reference recorded on the diagnostics the waiver covers.
func (w *Waiver) Ref() *WaiverRef {
	return &WaiverRef{Path: w.Path, Reason: w.Reason, Expires: w.Expires.UTC().Format(time.DateOnly), Pos: w.Pos}
}
