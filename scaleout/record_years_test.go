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
