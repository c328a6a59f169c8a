package render

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// schedule is when an Airflow DAG runs: a five-field cron in a time zone,
// a fixed interval, or never by itself (triggered from outside).
type schedule struct {
	// cron is a five-field cron expression, "" for an interval or none.
	cron string
	// timezone is the cron's time zone (the model's TZ= or CRON_TZ=
	// prefix), "UTC" when it has none.
	timezone string
	// every is the interval of "@every D", 0 otherwise.
	every time.Duration
}

// manual is the schedule of the DAG of streams no schedule runs.
var manual = schedule{timezone: "UTC"}

// descriptors are the cron descriptors the model accepts (robfig/cron),
// as five-field expressions: Airflow knows only some of them, and by
// other names.
var descriptors = map[string]string{
	"@yearly":   "0 0 1 1 *",
	"@annually": "0 0 1 1 *",
	"@monthly":  "0 0 1 * *",
	"@weekly":   "0 0 * * 0",
	"@daily":    "0 0 * * *",
	"@midnight": "0 0 * * *",
	"@hourly":   "0 * * * *",
}

// parseSchedule reads a trigger's cron spec as the platform does
// (cron.ParseStandard: five fields or a descriptor, an optional TZ= or
// CRON_TZ= prefix) into the schedule Airflow gets. Specs that mean the same
// ("@daily" and "0 0 * * *") give the same schedule, so their streams
// share a DAG.
func parseSchedule(spec string) (schedule, error) {
	if _, err := cron.ParseStandard(spec); err != nil {
		return schedule{}, fmt.Errorf("cron %q: %v", spec, err)
	}
	s := schedule{timezone: "UTC"}
	rest := strings.TrimSpace(spec)
	for _, prefix := range []string{"CRON_TZ=", "TZ="} {
		if tz, ok := strings.CutPrefix(rest, prefix); ok {
			s.timezone, rest, _ = strings.Cut(tz, " ")
			rest = strings.TrimSpace(rest)
		}
	}
	fields := strings.Fields(rest)
	switch {
	case len(fields) == 2 && fields[0] == "@every":
		d, err := time.ParseDuration(fields[1])
		if err != nil {
			return schedule{}, fmt.Errorf("cron %q: %v", spec, err)
		}
		// robfig/cron runs an interval in whole seconds, at least one.
		s.every = max(d.Truncate(time.Second), time.Second)
		s.timezone = "UTC"
	case len(fields) == 1 && descriptors[fields[0]] != "":
		s.cron = descriptors[fields[0]]
	case len(fields) == 5:
		s.cron = strings.Join(fields, " ")
	default:
		return schedule{}, fmt.Errorf("cron %q: not a five-field cron or a descriptor such as @hourly", spec)
	}
	return s, nil
}

// key is the schedule's identity, for grouping and for the DAG's id.
func (s schedule) key() string {
	switch {
	case s.every > 0:
		return fmt.Sprintf("every %d", int64(s.every/time.Second))
	case s.cron != "":
		return s.timezone + " " + s.cron
	}
	return "manual"
}

// dagSuffix ends the id of the schedule's DAG: "manual", "every_300s", or
// "cron_" and a hash of the cron and its time zone (a cron has characters
// an id cannot hold, and the hash keeps the id when other schedules come
// and go).
func (s schedule) dagSuffix() string {
	switch {
	case s.every > 0:
		return fmt.Sprintf("every_%ds", int64(s.every/time.Second))
	case s.cron != "":
		return "cron_" + shortHash(s.key())
	}
	return "manual"
}

// describe says when the schedule runs, for the DAG's description.
func (s schedule) describe() string {
	switch {
	case s.every > 0:
		return "every " + s.every.String()
	case s.cron != "":
		return "on cron " + s.cron + " (" + s.timezone + ")"
	}
	return "when triggered from outside (an external event, or no trigger in the model)"
}
