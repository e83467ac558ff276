package eventfile

import (
	"encoding/binary"
	"time"

	"github.com/goalkit/goalkit/internal/isodate"
)

// zones caches what parseTime computes again and again: the fixed-offset
// locations (so a time with an offset costs no allocation) and the day
// number of the last date. It belongs to one goroutine.
type zones struct {
	lastOff int
	last    *time.Location
	m       map[int]*time.Location
	// The last date parsed, as the words of its first eight bytes and its
	// last two (0 before the first: a date has '-' at 4), its day number
	// and whether its year is one of an event's (eventTime).
	date0    uint64
	date1    uint16
	lastDays int64
	yearOK   bool
}

func (z *zones) get(off int) *time.Location {
	if z.last != nil && z.lastOff == off {
		return z.last
	}
	loc, ok := z.m[off]
	if !ok {
		if z.m == nil {
			z.m = make(map[int]*time.Location)
		}
		loc = time.FixedZone("", off)
		if len(z.m) < 1024 {
			z.m[off] = loc
		}
	}
	z.lastOff, z.last = off, loc
	return loc
}

// timeProblem says why a text is not an RFC 3339 instant; timeOK when it is
// one. Only the cold path turns it into words (describe).
type timeProblem uint8

const (
	timeOK     timeProblem = iota
	timeForm               // not the grammar of RFC 3339 with an offset
	timeDate               // the grammar, but a day that does not exist
	timeClock              // the grammar, but a time of day that does not exist
	timeOffset             // the grammar, but an offset beyond ±23:59
	timeYears              // an instant, but an event's time outside the years of eventTime
)

// parseTime parses an RFC 3339 instant: YYYY-MM-DDTHH:MM:SS, an optional
// fraction of a second (.digits, truncated to nanoseconds) and Z or ±HH:MM
// (HH ≤ 23, MM ≤ 59); T and Z may be lower case, as RFC 3339 allows. It
// returns the same instant with the same offset as
// time.Parse(time.RFC3339Nano, s) of the upper-cased text, and accepts what
// it accepts less its leniencies (a one-digit hour, a comma before the
// fraction, offsets past 23:59). The location is UTC for Z and a fixed zone
// without a name otherwise: time.Parse would use time.Local when the offset
// matches it, which would make results depend on the machine. A text it
// refuses gets the reason (see timeProblem.describe).
func parseTime(b []byte, z *zones) (time.Time, timeProblem) {
	if len(b) < len("2006-01-02T15:04:05Z") ||
		b[4] != '-' || b[7] != '-' || b[10]|0x20 != 't' || b[13] != ':' || b[16] != ':' {
		return time.Time{}, timeForm
	}
	var days int64
	date0, date1 := binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint16(b[8:])
	if date0 == z.date0 && date1 == z.date1 {
		days = z.lastDays
	} else {
		y0, y1, y2, y3 := b[0]-'0', b[1]-'0', b[2]-'0', b[3]-'0'
		m0, m1, d0, d1 := b[5]-'0', b[6]-'0', b[8]-'0', b[9]-'0'
		if y0 > 9 || y1 > 9 || y2 > 9 || y3 > 9 || m0 > 9 || m1 > 9 || d0 > 9 || d1 > 9 {
			return time.Time{}, timeForm
		}
		year := int(y0)*1000 + int(y1)*100 + int(y2)*10 + int(y3)
		month, day := int(m0)*10+int(m1), int(d0)*10+int(d1)
		if month < 1 || month > 12 || day < 1 || day > isodate.DaysIn(year, month) {
			if !timeGrammar(b) {
				return time.Time{}, timeForm
			}
			return time.Time{}, timeDate
		}
		days = daysFromCivil(year, month, day)
		z.date0, z.date1, z.lastDays = date0, date1, days
		z.yearOK = year >= minEventYear && year <= maxEventYear
	}
	// HH:MM:SS as one word, whose colons were checked above: each byte of
	// it xor '0' (xor ':' for the colons, which become 0) must be below 10.
	c := binary.LittleEndian.Uint64(b[11:]) ^ 0x30303a30303a3030
	if (c|(c+0x0606060606060606))&0xf0f0f0f0f0f0f0f0 != 0 {
		return time.Time{}, timeForm
	}
	hour := int(c&0xff)*10 + int(c>>8&0xff)
	minute := int(c>>24&0xff)*10 + int(c>>32&0xff)
	sec := int(c>>48&0xff)*10 + int(c>>56)
	if hour > 23 || minute > 59 || sec > 59 {
		if !timeGrammar(b) {
			return time.Time{}, timeForm
		}
		return time.Time{}, timeClock
	}
	s := b[19:]
	nsec := 0
	if len(s) >= 2 && s[0] == '.' && isDigit(s[1]) {
		n := 1
		for n < len(s) && isDigit(s[n]) {
			n++
		}
		digits := s[1:n]
		if len(digits) > 9 {
			digits = digits[:9]
		}
		for _, c := range digits {
			nsec = nsec*10 + int(c-'0')
		}
		for i := len(digits); i < 9; i++ {
			nsec *= 10
		}
		s = s[n:]
	}
	off := 0
	loc := time.UTC
	switch {
	case len(s) == 1 && s[0]|0x20 == 'z':
	case len(s) == 6 && (s[0] == '+' || s[0] == '-') && s[3] == ':':
		a, b, c, d := s[1]-'0', s[2]-'0', s[4]-'0', s[5]-'0'
		if a > 9 || b > 9 || c > 9 || d > 9 {
			return time.Time{}, timeForm
		}
		hh, mm := int(a)*10+int(b), int(c)*10+int(d)
		if hh > 23 || mm > 59 {
			return time.Time{}, timeOffset
		}
		off = (hh*60 + mm) * 60
		if s[0] == '-' {
			off = -off
		}
		loc = z.get(off)
	default:
		return time.Time{}, timeForm
	}
	unix := days*86400 + int64(hour*3600+minute*60+sec) - int64(off)
	return time.Unix(unix, int64(nsec)).In(loc), timeOK
}

// eventTime parses an event's time: parseTime, refusing a year outside
// 1678–2261, as kpi.Event.Validate does (the stores keep instants as int64
// nanoseconds, which hold no other years: a later time would be kept as an
// earlier one). Validate reads the year in the time's own zone, which is
// the year b spells. Attribute times are not bounded.
func eventTime(b []byte, z *zones) (time.Time, timeProblem) {
	t, p := parseTime(b, z)
	// A time parsed leaves its date in z.
	if p == timeOK && !z.yearOK {
		return time.Time{}, timeYears
	}
	return t, p
}

// The years of an event's time (eventTime).
const (
	minEventYear = 1678
	maxEventYear = 2261
)

// timeGrammar reports whether b has the grammar of an RFC 3339 instant with
// an offset, ranges aside: a text with an impossible day is refused as such
// only when the rest of it is right.
func timeGrammar(b []byte) bool {
	const pattern = "dddd-dd-ddTdd:dd:dd"
	if len(b) < len(pattern) {
		return false
	}
	for i := range len(pattern) {
		switch c := b[i]; pattern[i] {
		case 'd':
			if !isDigit(c) {
				return false
			}
		case 'T':
			if c|0x20 != 't' {
				return false
			}
		default:
			if c != pattern[i] {
				return false
			}
		}
	}
	s := b[len(pattern):]
	if len(s) >= 2 && s[0] == '.' && isDigit(s[1]) {
		n := 1
		for n < len(s) && isDigit(s[n]) {
			n++
		}
		s = s[n:]
	}
	switch {
	case len(s) == 1:
		return s[0]|0x20 == 'z'
	case len(s) == 6:
		return (s[0] == '+' || s[0] == '-') && isDigit(s[1]) && isDigit(s[2]) && s[3] == ':' && isDigit(s[4]) && isDigit(s[5])
	}
	return false
}

// describe says what is wrong with b, which parseTime refused with p, after
// the quoted text: `"2025-02-30T11:25:00+03:00" is not a real date: February
// 2025 has 28 days`.
func (p timeProblem) describe(b []byte) string {
	num := func(i int) int { return int(b[i]-'0')*10 + int(b[i+1]-'0') }
	switch p {
	case timeDate:
		y, m, d := num(0)*100+num(2), num(5), num(8)
		return "is not a real date: " + isodate.Problem(y, m, d)
	case timeClock:
		switch {
		case num(11) > 23:
			return "is not a real time of day: hours are 00 to 23"
		case num(14) > 59:
			return "is not a real time of day: minutes are 00 to 59"
		}
		return "is not a real time of day: seconds are 00 to 59 (leap seconds are not supported)"
	case timeOffset:
		return "has an offset beyond ±23:59"
	case timeYears:
		return "is outside the years 1678–2261"
	}
	return notTime
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// daysFromCivil returns the number of days from 1970-01-01 to the date of the
// proleptic Gregorian calendar (H. Hinnant's algorithm).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := y - era*400
	mp := m + 9
	if m > 2 {
		mp = m - 3
	}
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}
