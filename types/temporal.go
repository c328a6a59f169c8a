package types

import (
	"strconv"
	"strings"
	"sync"
	"time"

	// The embedded IANA database makes time-zone validation give the same
	// answer on every machine, including containers without /usr/share/zoneinfo.
	_ "time/tzdata"
)

// DateType is a calendar date without a time of day. Canonical syntax: date.
type DateType struct{}

// TimeType is a time of day without a date or zone. Canonical syntax: time.
type TimeType struct{}

// IntervalType is a duration (months, days and sub-day time). Canonical
// syntax: interval.
type IntervalType struct{}

// The parameterless temporal types.
var (
	Date     = DateType{}
	Time     = TimeType{}
	Interval = IntervalType{}
)

// Family returns FamilyDate.
func (DateType) Family() Family { return FamilyDate }

// Family returns FamilyTime.
func (TimeType) Family() Family { return FamilyTime }

// Family returns FamilyInterval.
func (IntervalType) Family() Family { return FamilyInterval }

// TimestampType is a date and time of day, either without a zone (a local
// "wall clock" timestamp) or in a time zone.
//
// Canonical syntax: timestamp (no zone), timestamp(tz=UTC),
// timestamp(tz=+05:30) (a fixed UTC offset, always with sign, hours and
// minutes) or timestamp(tz=Europe/Paris) (an IANA zone name, case-sensitive).
// The zone may also be written in double quotes. A zero offset, "utc" and "z"
// in any case all mean UTC. Aliases: datetime (no zone), timestamptz
// (timestamp(tz=UTC)). The zero value is a timestamp without a zone.
type TimestampType struct {
	zone string // "" = no zone; "UTC", "+05:30" or an IANA name
}

// Timestamp is the timestamp without a time zone.
var Timestamp = TimestampType{}

// NewTimestamp returns a timestamp in the given zone ("" for none): "UTC", a
// UTC offset such as "+05:30", or an IANA name such as "Europe/Paris". An
// unknown zone is a *ParamError.
func NewTimestamp(zone string) (TimestampType, error) {
	if zone == "" {
		return TimestampType{}, nil
	}
	z, reason := canonicalZone(zone)
	if reason != "" {
		return TimestampType{}, paramErr("timestamp", "tz", zone, reason)
	}
	return TimestampType{zone: z}, nil
}

// Family returns FamilyTimestamp.
func (TimestampType) Family() Family { return FamilyTimestamp }

// Zone returns the canonical zone ("UTC", "+05:30", "Europe/Paris"), or ""
// for a timestamp without a zone.
func (t TimestampType) Zone() string { return t.zone }

// Location returns the zone as a *time.Location, or nil when the timestamp
// has no zone (or, for a zero-value-constructed invalid zone, cannot load).
func (t TimestampType) Location() *time.Location {
	if t.zone == "" {
		return nil
	}
	loc, _ := loadZone(t.zone)
	return loc
}

// maxOffsetMinutes bounds fixed offsets to ±18:00, the widest any system accepts.
const maxOffsetMinutes = 18 * 60

// canonicalZone validates a zone and returns its canonical spelling, or a
// reason it is invalid.
func canonicalZone(s string) (string, string) {
	switch {
	case s == "":
		return "", "must not be empty"
	case strings.EqualFold(s, "utc") || strings.EqualFold(s, "z"):
		return "UTC", ""
	case s[0] == '+' || s[0] == '-':
		return canonicalOffset(s)
	}
	if reason := checkZoneName(s); reason != "" {
		return "", reason
	}
	if _, err := loadZone(s); err != nil {
		return "", "unknown time zone (expected an IANA name such as Europe/Paris, UTC or an offset such as +05:30)"
	}
	return s, ""
}

// canonicalOffset parses ±HH, ±HHMM or ±HH:MM into ±HH:MM; a zero offset is UTC.
func canonicalOffset(s string) (string, string) {
	const bad = "an offset must be written ±HH:MM with at most 18:00"
	digits := s[1:]
	var hh, mm string
	switch {
	case len(digits) == 2:
		hh, mm = digits, "00"
	case len(digits) == 4:
		hh, mm = digits[:2], digits[2:]
	case len(digits) == 5 && digits[2] == ':':
		hh, mm = digits[:2], digits[3:]
	default:
		return "", bad
	}
	h, ok1 := twoDigits(hh)
	m, ok2 := twoDigits(mm)
	if !ok1 || !ok2 || m > 59 || h*60+m > maxOffsetMinutes {
		return "", bad
	}
	if h == 0 && m == 0 {
		return "UTC", ""
	}
	return s[:1] + hh + ":" + mm, ""
}

func twoDigits(s string) (int, bool) {
	if len(s) != 2 || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' {
		return 0, false
	}
	return int(s[0]-'0')*10 + int(s[1]-'0'), true
}

// checkZoneName checks the shape of an IANA name before it reaches
// time.LoadLocation, which would otherwise also accept "Local" (machine
// dependent) and read files for arbitrary names.
func checkZoneName(s string) string {
	const bad = "not a time zone name (expected an IANA name such as Europe/Paris, UTC or an offset such as +05:30)"
	if len(s) > 64 || s == "Local" {
		return bad
	}
	c0 := s[0]
	if !(c0 >= 'A' && c0 <= 'Z' || c0 >= 'a' && c0 <= 'z') {
		return bad
	}
	prevSlash := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_', c == '+', c == '-':
			prevSlash = false
		case c == '/' && !prevSlash && i+1 < len(s):
			prevSlash = true
		default:
			return bad
		}
	}
	return ""
}

// zoneCache memoises loaded zones; time.LoadLocation reads and parses zone
// data on every call. Only successes are stored, so the cache is bounded by
// the size of the zone database.
var zoneCache sync.Map // canonical zone string -> *time.Location

func loadZone(z string) (*time.Location, error) {
	if v, ok := zoneCache.Load(z); ok {
		return v.(*time.Location), nil
	}
	var loc *time.Location
	switch {
	case z == "UTC":
		loc = time.UTC
	case z[0] == '+' || z[0] == '-':
		h, _ := strconv.Atoi(z[1:3])
		m, _ := strconv.Atoi(z[4:6])
		secs := (h*60 + m) * 60
		if z[0] == '-' {
			secs = -secs
		}
		loc = time.FixedZone(z, secs)
	default:
		l, err := time.LoadLocation(z)
		if err != nil {
			return nil, err
		}
		loc = l
	}
	zoneCache.Store(z, loc)
	return loc, nil
}
