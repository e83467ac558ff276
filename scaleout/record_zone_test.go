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
		data, err := scaleout.EncodeEvent(&e)
		if err != nil {
			t.Fatal(err)
		}
		got, err := scaleout.DecodeEvent(data)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Time.Equal(at) || !got.Known.Equal(at.Add(time.Hour)) || !got.Attrs["t"].(time.Time).Equal(at) {
			t.Errorf("%v: came back as time %v, known %v, attribute %v (%s)", at, got.Time, got.Known, got.Attrs["t"], data)
		}
	}
}
