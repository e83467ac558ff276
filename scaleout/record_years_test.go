package scaleout_test

import (
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
)

// A valid event with a time attribute that JSON cannot write (a year past
// 9999 or before 0, which a store takes) is refused by Records naming the
// event and the attribute; the error was Go's "json: error calling
// MarshalJSON for type *time.Time", which named neither. The years at the
// edges are written and read back.
func TestRecordsTimeAttributeYears(t *testing.T) {
	at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	ev := func(v time.Time) kpi.Event {
		return kpi.Event{ID: "deal-9", Kind: "won", Time: at, Attrs: map[string]any{"signed": v}}
	}
	for _, v := range []time.Time{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-1, 12, 31, 0, 0, 0, 0, time.UTC)} {
		e := ev(v)
		if err := e.Validate(); err != nil {
			t.Fatalf("the event is not valid: %v", err)
		}
		_, err := scaleout.Records("b", at, []kpi.Event{ev(at), e}, 2)
		if err == nil || !strings.HasPrefix(err.Error(), `event 1: event "deal-9": attribute "signed": time `) || !strings.Contains(err.Error(), "outside the years 0 to 9999") {
			t.Fatalf("year %d: %v", v.Year(), err)
		}
	}
	for _, v := range []time.Time{time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)} {
		e := ev(v)
		data, err := scaleout.EncodeEvent(&e)
		if err != nil {
			t.Fatalf("year %d: %v", v.Year(), err)
		}
		back, err := scaleout.DecodeEvent(data)
		if err != nil || !back.Attrs["signed"].(time.Time).Equal(v) {
			t.Fatalf("year %d: read back %v, %v", v.Year(), back.Attrs["signed"], err)
		}
	}
}

// A publish's instant outside the years a Known may be in is refused as
// the publish's; the error blamed the first event's Known, which the host
// had not set. An instant with no event to stamp is refused too, and the
// zero instant (no stamps) is taken.
func TestRecordsInstantOutsideTheYears(t *testing.T) {
	e := kpi.Event{ID: "deal-1", Kind: "won", Time: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)}
	for _, at := range []time.Time{time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC)} {
		for _, evs := range [][]kpi.Event{{e}, nil} {
			_, err := scaleout.Records("b", at, evs, 2)
			if want := "records: the publish's instant " + at.Format(time.RFC3339) + " is outside the years 1678 to 2261"; err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Fatalf("at %s, %d events: %v, want %q", at, len(evs), err, want)
			}
		}
	}
	if _, err := scaleout.Records("b", time.Time{}, []kpi.Event{e}, 2); err != nil {
		t.Fatal(err)
	}
}

// A publish's instant in the last nanoseconds of the years a Known may be
// in stamps its first events and is refused at the first whose stamp (the
// instant plus its index in the batch, in nanoseconds) passes them, naming
// the publish's instant and the index; the error blamed that event's
// Known, 2262-01-01T00:00:00Z, which the host had not set. An event that
// carries its own Known takes no stamp and passes.
func TestRecordsStampPastTheYears(t *testing.T) {
	at := time.Date(2261, 12, 31, 23, 59, 59, 999_999_999, time.UTC)
	e := kpi.Event{ID: "deal-1", Kind: "won", Time: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)}
	own := e
	own.ID, own.Known = "deal-2", time.Date(2025, 3, 2, 0, 0, 0, 0, time.UTC)
	if recs, err := scaleout.Records("b", at, []kpi.Event{e, own}, 2); err != nil || len(recs) != 2 {
		t.Fatalf("an instant whose only stamp is in the years: %d records, %v", len(recs), err)
	}
	_, err := scaleout.Records("b", at, []kpi.Event{e, own, e}, 2)
	want := "records: event 2: the publish's instant 2261-12-31T23:59:59.999999999Z plus the event's index in the batch (2 ns)"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("%v, want %q", err, want)
	}
}
