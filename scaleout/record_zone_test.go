package scaleout_test

import (
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
)

// TestEventRoundTripWholeSecondOffsets checks that a record keeps the
// instants of an event whose zone's offset has seconds (local mean times
// before 1937, such as Amsterdam's +00:19:32), which RFC 3339 cannot write:
// its time, Known and time attributes come back as the same instants.
func TestEventRoundTripWholeSecondOffsets(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Skip(err)
	}
	for _, at := range []time.Time{
		time.Date(1900, 1, 1, 12, 0, 0, 7, ams),
		time.Date(2025, 3, 1, 10, 0, 0, 0, time.FixedZone("", -(3*3600+17))),
	} {
		e := kpi.Event{ID: "1", Kind: "won", Time: at, Actor: "anna", Known: at.Add(time.Hour), Attrs: map[string]any{"t": at}}
		got, data := roundTrip(t, e)
		if !got.Time.Equal(at) || !got.Known.Equal(at.Add(time.Hour)) || !got.Attrs["t"].(time.Time).Equal(at) {
			t.Errorf("%v: came back as time %v, known %v, attribute %v (%s)", at, got.Time, got.Known, got.Attrs["t"], data)
		}
	}
}

// TestEncodeEventNotUTF8 checks that a record refuses a string attribute
// JSON cannot carry (bytes that are not UTF-8 would reach the workers as
// U+FFFD, another value) instead of publishing another value.
func TestEncodeEventNotUTF8(t *testing.T) {
	e := kpi.Event{ID: "1", Kind: "won", Time: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), Attrs: map[string]any{"source": "caf\xe9"}}
	data, err := scaleout.EncodeEvent(&e)
	want := `event "1": attribute "source": "caf\xe9" is not valid UTF-8`
	if err == nil || err.Error() != want {
		t.Fatalf("got %s, %v; want the error %s", data, err, want)
	}
	if _, err := scaleout.Records("b", time.Time{}, []kpi.Event{e}, 2); err == nil {
		t.Fatal("Records accepted the event")
	}
}
