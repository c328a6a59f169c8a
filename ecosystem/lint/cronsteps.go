package lint

import (
	"fmt"
	"strconv"
	"strings"
)

// cronField describes one of the five standard cron fields.
type cronField struct {
	name     string
	min, max int
	names    map[string]int // month and weekday names, upper case
}

var cronFields = [5]cronField{
	{name: "minute", min: 0, max: 59},
	{name: "hour", min: 0, max: 23},
	{name: "day-of-month", min: 1, max: 31},
	{name: "month", min: 1, max: 12, names: map[string]int{
		"JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6,
		"JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12}},
	{name: "day-of-week", min: 0, max: 6, names: map[string]int{
		"SUN": 0, "MON": 1, "TUE": 2, "WED": 3, "THU": 4, "FRI": 5, "SAT": 6}},
}

// checkCronSteps refuses steps the cron library accepts but that silently
// run another schedule than the one written: a step of zero, or a step
// larger than the span it divides ("*/61" or "*/60" minutes, "0 */24 * * *",
// "*/13" months, "59/10" minutes), which fires only at the span's start.
// A step of 1 means every value and is always fine. The error names the
// field, the value and the field's range. The library checks everything
// else, so parts it would refuse are left to it.
func checkCronSteps(spec string) error {
	spec = strings.TrimSpace(spec)
	// A time zone prefix ("CRON_TZ=Europe/Paris 0 9 * * *") changes when
	// the fields apply, not what they mean.
	if strings.HasPrefix(spec, "CRON_TZ=") || strings.HasPrefix(spec, "TZ=") {
		_, spec, _ = strings.Cut(spec, " ")
		spec = strings.TrimSpace(spec)
	}
	if strings.HasPrefix(spec, "@") {
		return nil
	}
	fields := strings.Fields(spec)
	if len(fields) != len(cronFields) {
		return nil
	}
	for i, field := range fields {
		f := cronFields[i]
		for _, part := range strings.Split(field, ",") {
			rng, stepText, ok := strings.Cut(part, "/")
			if !ok {
				continue
			}
			step, err := strconv.Atoi(stepText)
			if err != nil {
				continue
			}
			start, end := f.min, f.max
			if rng != "*" && rng != "?" {
				lo, hi, isRange := strings.Cut(rng, "-")
				if start, ok = f.value(lo); !ok {
					continue
				}
				if isRange {
					if end, ok = f.value(hi); !ok {
						continue
					}
				}
			}
			span := end - start
			switch {
			case step <= 0:
				return fmt.Errorf("the %s field %q has step %d: a step is at least 1", f.name, part, step)
			case step == 1 || span < 0 || step <= span:
				// A step of 1 is every value; a reversed range is the
				// library's to refuse.
			case span == 0:
				return fmt.Errorf("the %s field %q has step %d over the single value %d, so it fires only at %d; write %d alone, or a range the step fits in (%s values are %d-%d)",
					f.name, part, step, start, start, start, f.name, f.min, f.max)
			default:
				return fmt.Errorf("the %s field %q has step %d, wider than the range %d-%d it divides (%s values are %d-%d), so it fires only at %d; use a step from 1 to %d",
					f.name, part, step, start, end, f.name, f.min, f.max, start, span)
			}
		}
	}
	return nil
}

func (f cronField) value(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, true
	}
	n, ok := f.names[strings.ToUpper(s)]
	return n, ok
}
