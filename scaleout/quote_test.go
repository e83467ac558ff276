package scaleout_test

import (
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
)

// The errors of a record quote an event's id and its attribute's name and
// text cut short: an id of 100 KB made an error of 100 KB, two of them one
// of 200 KB.
func TestRecordErrorsQuoteShort(t *testing.T) {
	long := strings.Repeat("x", 100<<10)
	at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	short := func(what string, err error, want string) {
		t.Helper()
		if err == nil || !strings.Contains(err.Error(), want) || len(err.Error()) > 1000 {
			t.Errorf("%s: an error of %d bytes (want at most 1000, saying %s): %.400v", what, len(errText(err)), want, err)
		}
	}
	e := kpi.Event{ID: long, Kind: "call", Time: at, Actor: "u1", Attrs: map[string]any{long: "a" + long + "\xff"}}
	_, err := scaleout.EncodeEvent(&e)
	short("an attribute not UTF-8", err, "is not valid UTF-8")
	e = kpi.Event{ID: long, Kind: "call", Time: at, Actor: "u1", Known: at}
	e2 := e
	e2.Actor = "u2"
	_, err = scaleout.Records("b", at, []kpi.Event{e, e2}, 2)
	short("two versions known at one instant", err, "known at the same instant")
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// Of several attributes a record refuses, the least name is told, every
// time; the map's order chose one.
func TestRecordErrorsNameTheLeastAttribute(t *testing.T) {
	at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	e := kpi.Event{ID: "e1", Kind: "call", Time: at, Actor: "u1", Attrs: map[string]any{
		"z": "\xff", "m": time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), "c": "\xfe", "y": "\xfd", "k": "ok"}}
	data := `{"id":"e1","kind":"call","time":"2025-03-01T00:00:00Z","actor":"u1","attrs":{"z":{},"m":{"s":"a","i":1},"c":{},"y":{},"k":{"s":"ok"}}}`
	for range 50 {
		_, err := scaleout.EncodeEvent(&e)
		if want := `event "e1": attribute "c": "\xfe" is not valid UTF-8`; errText(err) != want {
			t.Fatalf("EncodeEvent: got %v, want %s", err, want)
		}
		_, err = scaleout.DecodeEvent([]byte(data))
		if want := `event record "e1": attribute "c": want exactly one of s, i, d, b, t`; errText(err) != want {
			t.Fatalf("DecodeEvent: got %v, want %s", err, want)
		}
	}
}
