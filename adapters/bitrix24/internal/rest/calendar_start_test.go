package rest

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// TestCalendarEventStartsAt reads an event's start without
// DATE_FROM_TS_UTC, from DATE_FROM in the portal's locale format and the
// zone's offset or name. Riga's row is the reference page's example
// (calendar.event.get: 17:59 at +2 is 15:59 UTC, Unix 1733932740, as its
// DATE_FROM_TS_UTC says); 18:00 at +4 (14400 s) is 14:00 UTC.
func TestCalendarEventStartsAt(t *testing.T) {
	riga := time.Unix(1733932740, 0)
	saratov := time.Date(2025, 10, 31, 14, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name        string
		ev          CalendarEvent
		at          time.Time
		same, known bool
	}{
		{"timestamp", CalendarEvent{FromUnix: 1733932740, DateFrom: "nonsense"}, riga, true, true},
		{"timestamp, another start", CalendarEvent{FromUnix: 1733932740}, riga.Add(time.Second), false, true},
		{"am/pm with offset", CalendarEvent{DateFrom: "12/11/2024 05:59:00 pm", TZOffsetFrom: "7200"}, riga, true, true},
		{"am/pm, an hour out", CalendarEvent{DateFrom: "12/11/2024 05:59:00 pm", TZOffsetFrom: "7200"}, riga.Add(time.Hour), false, true},
		{"am/pm with the zone's name", CalendarEvent{DateFrom: "12/11/2024 05:59:00 PM", TZFrom: "Europe/Riga"}, riga, true, true},
		{"day first", CalendarEvent{DateFrom: "31.10.2025 18:00:00", TZOffsetFrom: "14400"}, saratov, true, true},
		{"day first, a day out", CalendarEvent{DateFrom: "31.10.2025 18:00:00", TZOffsetFrom: "14400"}, saratov.AddDate(0, 0, 1), false, true},
		{"day first with slashes", CalendarEvent{DateFrom: "31/10/2025 18:00:00", TZOffsetFrom: "14400"}, saratov, true, true},
		{"year first, no seconds", CalendarEvent{DateFrom: "2025-10-31 18:00", TZOffsetFrom: "14400"}, saratov, true, true},
		{"no zone", CalendarEvent{DateFrom: "31.10.2025 18:00:00"}, saratov, false, false},
		{"no date", CalendarEvent{TZOffsetFrom: "14400"}, saratov, false, false},
		{"unknown format", CalendarEvent{DateFrom: "Fri Oct 31 2025 18:00:00", TZOffsetFrom: "14400"}, saratov, false, false},
	} {
		same, known := tc.ev.StartsAt(tc.at)
		if same != tc.same || known != tc.known {
			t.Errorf("%s: StartsAt = %v, %v; want %v, %v", tc.name, same, known, tc.same, tc.known)
		}
	}
}

// TestCalendarEventStartsAtProperty: an event whose DATE_FROM is its start
// written in any of the portal's formats, in a zone of any offset, starts
// at that instant (to the minute where the format has no seconds), and at
// no instant a minute or more away.
func TestCalendarEventStartsAtProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		at := time.Unix(rapid.Int64Range(0, 4102444800).Draw(t, "unix"), 0)
		off := 900 * rapid.IntRange(-48, 56).Draw(t, "offset in quarter hours")
		layout := rapid.SampledFrom(dateFromLayouts).Draw(t, "layout")
		ev := CalendarEvent{DateFrom: at.In(time.FixedZone("", off)).Format(layout), TZOffsetFrom: strconv.Itoa(off)}
		if rapid.Bool().Draw(t, "upper-case AM/PM") {
			ev.DateFrom = strings.ToUpper(ev.DateFrom)
		}
		if !strings.Contains(layout, ":05") {
			at = at.Truncate(time.Minute)
		}
		if same, known := ev.StartsAt(at); !same || !known {
			t.Fatalf("%q at %+d s: StartsAt(%v) = %v, %v", ev.DateFrom, off, at.UTC(), same, known)
		}
		d := time.Duration(rapid.Int64Range(1, 60*24*400).Draw(t, "minutes away")) * time.Minute
		if rapid.Bool().Draw(t, "earlier") {
			d = -d
		}
		if same, _ := ev.StartsAt(at.Add(d)); same {
			t.Fatalf("%q at %+d s: starts at %v, %v away too", ev.DateFrom, off, at.Add(d).UTC(), d)
		}
	})
}
