package value

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Date is a day of the proleptic Gregorian calendar. Canonical dates are
// valid days of years 1 to 9999 (the range every supported database
// holds). Dates are comparable with ==.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the calendar day of t's own wall clock.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// Time returns midnight at the start of the day, in UTC.
func (d Date) Time() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// Valid reports whether d is a real day of years 1 to 9999 (not 30
// February, not year 0).
func (d Date) Valid() bool {
	return d.Year >= 1 && d.Year <= 9999 && DateOf(d.Time()) == d
}

// String returns the ISO 8601 form, YYYY-MM-DD.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// ParseDate reads YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date: write YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// TimeOfDay is a time of day without date or zone: the time elapsed since
// midnight. Canonical values are whole microseconds from 0 to just below
// 24 hours.
type TimeOfDay time.Duration

// Day is the length of a day; canonical times of day are below it.
const Day = TimeOfDay(24 * time.Hour)

// Valid reports whether t is a canonical time of day.
func (t TimeOfDay) Valid() bool {
	return t >= 0 && t < Day && time.Duration(t)%time.Microsecond == 0
}

// String returns HH:MM:SS with a fraction only when the time has one
// (15:04:05.25).
func (t TimeOfDay) String() string {
	d := time.Duration(t)
	neg := d < 0
	if neg {
		d = -d
	}
	h := d / time.Hour
	m := d % time.Hour / time.Minute
	s := d % time.Minute / time.Second
	frac := d % time.Second
	out := fmt.Sprintf("%02d:%02d:%02d", h, m, s)
	if frac != 0 {
		out += strings.TrimRight(fmt.Sprintf(".%09d", frac), "0")
	}
	if neg {
		out = "-" + out
	}
	return out
}

// ParseTimeOfDay reads HH:MM[:SS[.fraction]] with up to nine fraction
// digits; the hour may be 24 only as 24:00:00, which is refused later by
// Check like every time outside the day.
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	bad := fmt.Errorf("%q is not a time of day: write HH:MM:SS with an optional fraction, like 13:45:00.5", s)
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, bad
	}
	sec, frac := "0", ""
	if len(parts) == 3 {
		sec, frac, _ = strings.Cut(parts[2], ".")
		if strings.Contains(parts[2], ".") && frac == "" {
			return 0, bad
		}
	}
	h, err1 := strconv.Atoi(parts[0])
	m, err2 := strconv.Atoi(parts[1])
	sc, err3 := strconv.Atoi(sec)
	if err1 != nil || err2 != nil || err3 != nil || len(parts[1]) != 2 || len(sec) > 2 ||
		h < 0 || h > 24 || m > 59 || sc > 59 || m < 0 || sc < 0 || len(frac) > 9 || !allDigits(frac) || !allDigits(parts[0]) {
		return 0, bad
	}
	ns, _ := strconv.Atoi((frac + "000000000")[:9])
	return TimeOfDay(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sc)*time.Second + time.Duration(ns)), nil
}

// Interval is a duration as SQL databases hold it: months, days and
// microseconds, kept apart because a month and a day have no fixed length
// (PostgreSQL's model). Intervals are comparable with ==; 1 month and 30
// days are different values.
type Interval struct {
	Months int32
	Days   int32
	Micros int64
}

// String returns the ISO 8601 duration as PostgreSQL's iso_8601 style
// writes it, each component with its own sign: P1Y2M3DT4H5M6.5S,
// P-1M2D, PT-0.000001S, and PT0S for the zero interval.
func (iv Interval) String() string {
	var b strings.Builder
	b.WriteByte('P')
	if y, m := iv.Months/12, iv.Months%12; y != 0 || m != 0 {
		if y != 0 {
			fmt.Fprintf(&b, "%dY", y)
		}
		if m != 0 {
			fmt.Fprintf(&b, "%dM", m)
		}
	}
	if iv.Days != 0 {
		fmt.Fprintf(&b, "%dD", iv.Days)
	}
	if iv.Micros != 0 || b.Len() == 1 {
		b.WriteByte('T')
		us := iv.Micros
		sign := ""
		if us < 0 {
			sign = "-"
		}
		abs := uint64(us)
		if us < 0 {
			abs = uint64(-(us + 1)) + 1
		}
		h := abs / 3600e6
		m := abs / 60e6 % 60
		s := abs / 1e6 % 60
		f := abs % 1e6
		if h != 0 {
			fmt.Fprintf(&b, "%s%dH", sign, h)
		}
		if m != 0 {
			fmt.Fprintf(&b, "%s%dM", sign, m)
		}
		if s != 0 || f != 0 || (h == 0 && m == 0) {
			fmt.Fprintf(&b, "%s%d", sign, s)
			if f != 0 {
				b.WriteString(strings.TrimRight(fmt.Sprintf(".%06d", f), "0"))
			}
			b.WriteByte('S')
		}
	}
	return b.String()
}

// ParseInterval reads an interval in the ISO 8601 form String writes
// (components may carry their own sign; weeks "W" count as 7 days; seconds
// may have up to six fraction digits) or in PostgreSQL's default output
// style ("1 year 2 mons -3 days 04:05:06.5", "-00:00:01", "00:00:00").
func ParseInterval(s string) (Interval, error) {
	if strings.HasPrefix(s, "P") {
		return parseISOInterval(s)
	}
	return parsePostgresInterval(s)
}

func intervalErr(s string) error {
	return fmt.Errorf("%q is not an interval: write an ISO 8601 duration such as P1Y2M3DT4H5M6.5S", s)
}

// parseISOInterval reads P[nY][nM][nW][nD][T[nH][nM][n[.f]S]].
func parseISOInterval(s string) (Interval, error) {
	var iv Interval
	rest := s[1:]
	if rest == "" {
		return iv, intervalErr(s)
	}
	inTime := false
	var months, days, micros int64
	for rest != "" {
		if rest[0] == 'T' {
			if inTime {
				return iv, intervalErr(s)
			}
			inTime = true
			rest = rest[1:]
			if rest == "" {
				return iv, intervalErr(s)
			}
			continue
		}
		i := 0
		if i < len(rest) && (rest[i] == '-' || rest[i] == '+') {
			i++
		}
		for i < len(rest) && (rest[i] >= '0' && rest[i] <= '9' || rest[i] == '.') {
			i++
		}
		if i == len(rest) || i == 0 {
			return iv, intervalErr(s)
		}
		num, unit := rest[:i], rest[i]
		rest = rest[i+1:]
		if unit == 'S' && inTime {
			us, ok := parseSeconds(num)
			if micros, ok = addChecked(micros, us, ok); !ok {
				return iv, intervalErr(s)
			}
			continue
		}
		n, err := strconv.ParseInt(num, 10, 64)
		if err != nil {
			return iv, intervalErr(s)
		}
		var part int64
		ok := true
		switch {
		case !inTime && unit == 'Y':
			part, ok = mulChecked(n, 12, true)
			months, ok = addChecked(months, part, ok)
		case !inTime && unit == 'M':
			months, ok = addChecked(months, n, true)
		case !inTime && unit == 'W':
			part, ok = mulChecked(n, 7, true)
			days, ok = addChecked(days, part, ok)
		case !inTime && unit == 'D':
			days, ok = addChecked(days, n, true)
		case inTime && unit == 'H':
			part, ok = mulChecked(n, 3600e6, true)
			micros, ok = addChecked(micros, part, ok)
		case inTime && unit == 'M':
			part, ok = mulChecked(n, 60e6, true)
			micros, ok = addChecked(micros, part, ok)
		default:
			ok = false
		}
		if !ok {
			return iv, intervalErr(s)
		}
	}
	return makeInterval(s, months, days, micros)
}

// parseSeconds reads [-]digits[.up to 6 digits] as microseconds.
func parseSeconds(num string) (int64, bool) {
	neg := strings.HasPrefix(num, "-")
	num = strings.TrimLeft(num, "+-")
	whole, frac, _ := strings.Cut(num, ".")
	if whole == "" || len(frac) > 6 || !allDigits(whole) || !allDigits(frac) || len(whole) > 12 {
		return 0, false
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	f, _ := strconv.ParseInt((frac + "000000")[:6], 10, 64)
	us := w*1e6 + f
	if neg {
		us = -us
	}
	return us, true
}

// parsePostgresInterval reads PostgreSQL's "postgres" interval style:
// "N year(s) N mon(s) N day(s) [-]HH:MM:SS[.f]", any part omitted.
func parsePostgresInterval(s string) (Interval, error) {
	f := strings.Fields(s)
	if len(f) == 0 {
		return Interval{}, intervalErr(s)
	}
	var months, days, micros int64
	for i := 0; i < len(f); i++ {
		if strings.Contains(f[i], ":") {
			neg := strings.HasPrefix(f[i], "-")
			parts := strings.Split(strings.TrimLeft(f[i], "+-"), ":")
			if len(parts) != 3 || !allDigits(parts[0]) || !allDigits(parts[1]) || parts[0] == "" || parts[1] == "" {
				return Interval{}, intervalErr(s)
			}
			h, err1 := strconv.ParseInt(parts[0], 10, 64)
			m, err2 := strconv.ParseInt(parts[1], 10, 64)
			sec, ok := parseSeconds(parts[2])
			hus, ok := mulChecked(h, 3600e6, ok && err1 == nil && err2 == nil && m < 60)
			rest := m*60e6 + sec
			var us int64
			if neg {
				// The most negative interval's magnitude is one more
				// than the most positive one's: add the parts negated.
				us, ok = addChecked(-hus, -rest, ok)
			} else {
				us, ok = addChecked(hus, rest, ok)
			}
			if micros, ok = addChecked(micros, us, ok); !ok {
				return Interval{}, intervalErr(s)
			}
			continue
		}
		if i+1 >= len(f) {
			return Interval{}, intervalErr(s)
		}
		n, err := strconv.ParseInt(f[i], 10, 32)
		if err != nil {
			return Interval{}, intervalErr(s)
		}
		switch strings.TrimSuffix(f[i+1], "s") {
		case "year":
			months += n * 12
		case "mon":
			months += n
		case "day":
			days += n
		default:
			return Interval{}, intervalErr(s)
		}
		i++
	}
	return makeInterval(s, months, days, micros)
}

// addChecked returns a+b and ok, or ok false when ok was false already or
// the sum overflows 64 bits.
func addChecked(a, b int64, ok bool) (int64, bool) {
	sum := a + b
	if !ok || (b > 0 && sum < a) || (b < 0 && sum > a) {
		return 0, false
	}
	return sum, true
}

// mulChecked returns a*b and ok, or ok false when ok was false already or
// the product overflows 64 bits.
func mulChecked(a, b int64, ok bool) (int64, bool) {
	if !ok {
		return 0, false
	}
	p := a * b
	if a != 0 && (p/a != b || a == -1 && b == math.MinInt64) {
		return 0, false
	}
	return p, true
}

// makeInterval checks that the parts fit an Interval's fields.
func makeInterval(s string, months, days, micros int64) (Interval, error) {
	if months != int64(int32(months)) || days != int64(int32(days)) {
		return Interval{}, fmt.Errorf("interval %q is out of range: months and days must each fit in 32 bits", s)
	}
	return Interval{Months: int32(months), Days: int32(days), Micros: micros}, nil
}

// Timestamp limits: canonical timestamps are in years 1 to 9999.
var (
	minTimestamp = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTimestamp = time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC)
)

// TimestampLayout is the text form of a timestamp without zone (and, with a
// trailing "Z", of an instant in UTC) that the sql platform writes:
// ISO 8601 with a space, microseconds only when there are any.
const TimestampLayout = "2006-01-02 15:04:05.999999"

// ParseTimestamp reads "YYYY-MM-DD[ T]HH:MM[:SS[.f]]" with an optional zone
// suffix ("Z", "+05:30", "+0530", "+05"). It returns the reading and
// whether a zone was given; with a zone the result is the instant in UTC,
// without one the wall clock written as if in UTC. A date alone is
// midnight.
func ParseTimestamp(s string) (time.Time, bool, error) {
	bad := fmt.Errorf("%q is not a timestamp: write YYYY-MM-DD HH:MM:SS[.ffffff] with an optional zone such as Z or +05:30", s)
	if len(s) < 10 {
		return time.Time{}, false, bad
	}
	d, err := ParseDate(s[:10])
	if err != nil {
		return time.Time{}, false, bad
	}
	rest := s[10:]
	if rest == "" {
		return d.Time(), false, nil
	}
	if rest[0] != ' ' && rest[0] != 'T' {
		return time.Time{}, false, bad
	}
	rest = rest[1:]
	clock, zone := rest, ""
	if i := strings.IndexAny(rest, "Z+-"); i >= 0 {
		clock, zone = rest[:i], rest[i:]
	}
	tod, err := ParseTimeOfDay(clock)
	if err != nil {
		return time.Time{}, false, bad
	}
	t := d.Time().Add(time.Duration(tod))
	if zone == "" {
		return t, false, nil
	}
	off, ok := parseOffset(zone)
	if !ok {
		return time.Time{}, false, bad
	}
	return t.Add(-time.Duration(off) * time.Second), true, nil
}

// parseOffset reads Z, ±HH, ±HHMM or ±HH:MM[:SS] as seconds east of UTC.
func parseOffset(z string) (int, bool) {
	if z == "Z" {
		return 0, true
	}
	sign := 1
	if z[0] == '-' {
		sign = -1
	}
	digits := strings.ReplaceAll(z[1:], ":", "")
	if !allDigits(digits) || (len(digits) != 2 && len(digits) != 4 && len(digits) != 6) {
		return 0, false
	}
	h, _ := strconv.Atoi(digits[:2])
	m, s := 0, 0
	if len(digits) >= 4 {
		m, _ = strconv.Atoi(digits[2:4])
	}
	if len(digits) == 6 {
		s, _ = strconv.Atoi(digits[4:6])
	}
	if h > 18 || m > 59 || s > 59 {
		return 0, false
	}
	return sign * (h*3600 + m*60 + s), true
}

// Timestamp returns t as a canonical timestamp: its reading in UTC. For a
// column with a zone that is the instant; a zone-less column holds
// wall-clock readings written as if in UTC, so a driver's time.Time for a
// zone-less column (in UTC already) keeps its reading, and a value that
// carries another zone is read in UTC.
func Timestamp(t time.Time) time.Time {
	return t.UTC()
}
