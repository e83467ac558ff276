package eventfile

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// An event's time must be of the years 1678–2261 (kpi.Event.Validate: the
// store keeps instants as int64 nanoseconds). The reader took any RFC 3339
// year, and into an empty memory store (Load's usual path, every way it
// fills one) nothing else checked it: a deal of 3000-01-01 was kept as
// one of 1830-11-23, and one of 1600-01-01 as one of 2184-07-20, counted
// in those periods; into a store that holds events (whose Import
// validates each version) the same file was refused. Such a line is bad,
// named with its line, and nothing of the file is applied; a time in the
// last minutes of 2261 with an offset that puts it in 2262 is refused as
// Validate refuses it, and the first and last instants are taken.
func TestLoadRefusesAnEventTimeOutsideTheYears(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct{ time, err string }{
		{"3000-01-01T00:00:00Z", `f:2: time: "3000-01-01T00:00:00Z" is outside the years 1678–2261`},
		{"1600-01-01T00:00:00Z", `f:2: time: "1600-01-01T00:00:00Z" is outside the years 1678–2261`},
		{"2262-01-01T00:00:00+00:02", `f:2: time: "2262-01-01T00:00:00+00:02" is outside the years 1678–2261`},
		{"1677-12-31T23:59:59-00:01", `f:2: time: "1677-12-31T23:59:59-00:01" is outside the years 1678–2261`},
		{"2261-12-31T23:59:59.999999999Z", ""},
		{"1678-01-01T00:00:00Z", ""},
	} {
		for _, f := range []Format{CSV, NDJSON} {
			in := "id,kind,time,actor\na,k," + c.time + ",u\n"
			if f == NDJSON {
				in = `{"id":"x","kind":"k","time":"2025-01-01T00:00:00Z","actor":"u"}` + "\n" +
					`{"id":"a","kind":"k","time":"` + c.time + `","actor":"u"}` + "\n"
			}
			s := memory.New(time.UTC)
			err := Load(ctx, s, strings.NewReader(in), "f", Options{Format: f})
			if errText(err) != c.err {
				t.Errorf("%s, %s: %v, want %q", f, c.time, err, c.err)
			}
			if c.err != "" {
				if s.Len() != 0 {
					t.Errorf("%s, %s: a refused file left %d events", f, c.time, s.Len())
				}
				continue
			}
			e, ok := s.Get("a")
			want, _ := time.Parse(time.RFC3339Nano, c.time)
			if !ok || !e.Time.Equal(want) {
				t.Errorf("%s, %s: kept as %v, %v", f, c.time, e.Time, ok)
			}
			if err := (&kpi.Event{ID: "a", Kind: "k", Actor: "u", Time: want}).Validate(); err != nil {
				t.Errorf("%s: taken, but Validate refuses it: %v", c.time, err)
			}
		}
	}
}

// The writer refuses an event time that no reader loads (outside the years
// 1678–2261, read in the zone the file spells: the time's own, or UTC when
// its offset is not whole minutes), naming the event; it took the years
// 0000–9999 and wrote files Load refused. What it writes at the edges loads.
func TestWriterRefusesAnEventTimeOutsideTheYears(t *testing.T) {
	plus2 := time.FixedZone("", 120)
	plus30s := time.FixedZone("", 30) // not whole minutes: written in UTC
	for _, c := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC), `eventfile: event "a": time 1600-01-01 00:00:00 +0000 UTC is outside the years 1678–2261`},
		{time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), `eventfile: event "a": time 3000-01-01 00:00:00 +0000 UTC is outside the years 1678–2261`},
		{time.Date(2262, 1, 1, 0, 1, 0, 0, plus2), `eventfile: event "a": time 2262-01-01 00:01:00 +0002 +0002 is outside the years 1678–2261`},
		{time.Date(1677, 12, 31, 23, 59, 0, 0, time.UTC), `eventfile: event "a": time 1677-12-31 23:59:00 +0000 UTC is outside the years 1678–2261`},
		{time.Date(1678, 1, 1, 0, 0, 0, 0, time.UTC), ""},
		{time.Date(2261, 12, 31, 23, 59, 59, 999999999, time.UTC), ""},
		// 2262 in its own zone, 2261 as written (in UTC).
		{time.Date(2262, 1, 1, 0, 0, 15, 0, plus30s), ""},
		// 1678 in its own zone, 1677 as written, which is told.
		{time.Date(1678, 1, 1, 0, 0, 10, 0, plus30s), `eventfile: event "a": time 1678-01-01 00:00:10 +0000 +0000 (written 1677-12-31T23:59:40Z) is outside the years 1678–2261`},
	} {
		for _, f := range []Format{CSV, NDJSON} {
			e, werr, lerr := writeAndLoad(t, f, nil, kpi.Event{ID: "a", Kind: "k", Actor: "u", Time: c.at}, Options{Format: f})
			switch {
			case errText(werr) != c.want:
				t.Errorf("%s, %v: %v, want %q", f, c.at, werr, c.want)
			case werr != nil:
			case lerr != nil:
				t.Errorf("%s, %v: written, but Load refuses it: %v", f, c.at, lerr)
			case !e.Time.Equal(c.at):
				t.Errorf("%s, %v: read back as %v", f, c.at, e.Time)
			}
		}
	}
}

// The writer refuses a time attribute whose year, as written, is outside
// 0000–9999: the year of the zone the file spells, UTC when the offset is
// not whole minutes or a day or more. It judged the year in the time's own
// zone, and wrote 9999-12-31T23:59:45 at -00:00:30 as 10000-01-01T00:00:15Z
// and 0000-01-01T00:00:10 at +00:00:30 as -0001-12-31T23:59:40Z, which no
// reader loads: the whole file was refused. What it writes at the edges
// loads, the same instant.
func TestWriterRefusesAnAttributeTimeOutsideTheYears(t *testing.T) {
	minus30s, plus30s := time.FixedZone("", -30), time.FixedZone("", 30)
	minus25h := time.FixedZone("", -25*3600)
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		t    time.Time
		want string
	}{
		// Written in UTC, the year the file would spell is told too: the
		// time in its own zone is of the years.
		{time.Date(9999, 12, 31, 23, 59, 45, 0, minus30s), `eventfile: event "a": attribute "due": time 9999-12-31 23:59:45 +0000 +0000 (written 10000-01-01T00:00:15Z) is outside the years 0000 to 9999`},
		{time.Date(0, 1, 1, 0, 0, 10, 0, plus30s), `eventfile: event "a": attribute "due": time 0000-01-01 00:00:10 +0000 +0000 (written -0001-12-31T23:59:40Z) is outside the years 0000 to 9999`},
		{time.Date(9999, 12, 31, 0, 0, 0, 0, minus25h), `eventfile: event "a": attribute "due": time 9999-12-31 00:00:00 -2500 -2500 (written 10000-01-01T01:00:00Z) is outside the years 0000 to 9999`},
		{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), `eventfile: event "a": attribute "due": time 10000-01-01 00:00:00 +0000 UTC is outside the years 0000 to 9999`},
		{time.Date(9999, 12, 31, 23, 59, 15, 0, minus30s), ""},
		{time.Date(0, 1, 1, 0, 0, 45, 0, plus30s), ""},
		{time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC), ""},
		{time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), ""},
	} {
		for _, f := range []Format{CSV, NDJSON} {
			e, werr, lerr := writeAndLoad(t, f, []string{"due"}, kpi.Event{ID: "a", Kind: "k", Actor: "u", Time: at, Attrs: map[string]any{"due": c.t}},
				Options{Format: f, Attributes: map[string]kpi.AttrType{"due": kpi.AttrTime}})
			switch {
			case errText(werr) != c.want:
				t.Errorf("%s, %v: %v, want %q", f, c.t, werr, c.want)
			case werr != nil:
			case lerr != nil:
				t.Errorf("%s, %v: written, but Load refuses it: %v", f, c.t, lerr)
			case !e.Attrs["due"].(time.Time).Equal(c.t):
				t.Errorf("%s, %v: read back as %v", f, c.t, e.Attrs["due"])
			}
		}
	}
}

// writeAndLoad writes e alone as f, attributes in order, and, when the
// writer takes it, loads what it wrote into a memory store with opt: it
// returns the writer's error, or the event of e's id read back and the
// error of Load.
func writeAndLoad(t *testing.T, f Format, order []string, e kpi.Event, opt Options) (back kpi.Event, werr, lerr error) {
	t.Helper()
	var buf strings.Builder
	w := NewWriter(&buf, f, order)
	if werr = w.Write(&e); werr != nil {
		return kpi.Event{}, werr, nil
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	s := memory.New(time.UTC)
	if lerr = Load(context.Background(), s, strings.NewReader(buf.String()), "f", opt); lerr != nil {
		return kpi.Event{}, nil, lerr
	}
	back, _ = s.Get(e.ID)
	return back, nil, nil
}
