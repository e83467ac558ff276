package sqlcore

import (
	"strings"
	"testing"
	"time"
)

// TestAttrTimeInstants checks that a time attribute comes back as the same
// instant from both encodings, whatever its zone's offset (local mean times
// before 1937 are offsets of whole seconds, which RFC 3339 cannot write), and
// that a time RFC 3339 cannot hold at all is refused when written instead of
// leaving a row that no read can decode.
func TestAttrTimeInstants(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Skip(err)
	}
	for _, at := range []time.Time{
		time.Date(1900, 1, 1, 12, 0, 0, 7, ams),                         // +00:19:32
		time.Date(2025, 3, 1, 10, 0, 0, 0, time.FixedZone("", 3600+59)), // +01:00:59
		time.Date(2025, 3, 1, 10, 0, 0, 0, time.FixedZone("", -(5*3600+1))),
		time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 0, 0, 0, time.FixedZone("", -3600)), // 10000 in UTC
		// Offsets of whole minutes that RFC 3339's two digits of hours
		// cannot write, or time.Parse does not read back.
		time.Date(2025, 3, 1, 10, 0, 0, 0, time.FixedZone("", 25*3600)),
		time.Date(2025, 3, 1, 10, 0, 0, 0, time.FixedZone("", -(24*3600+60))),
		time.Date(2025, 3, 1, 10, 0, 0, 0, time.FixedZone("", 100*3600)),
	} {
		in := map[string]any{"t": at}
		js, err := encodeAttrs(in)
		if err != nil {
			t.Fatalf("%v: %v", at, err)
		}
		out, err := decodeAttrs(js, false)
		if err != nil {
			t.Fatalf("%v: decode %s: %v", at, js, err)
		}
		if got := out["t"].(time.Time); !got.Equal(at) {
			t.Errorf("attrs: %v came back as %v (%s)", at, got, js)
		}
		typed, err := encodeTyped(in)
		if err != nil {
			t.Fatalf("%v: %v", at, err)
		}
		back, err := decodeTyped(typed)
		if err != nil {
			t.Fatalf("%v: decode %s: %v", at, typed, err)
		}
		if got := back["t"].(time.Time); !got.Equal(at) {
			t.Errorf("typed: %v came back as %v (%s)", at, got, typed)
		}
	}
	for _, at := range []time.Time{
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		in := map[string]any{"t": at}
		want := `attribute "t": time ` + at.UTC().Format(time.RFC3339Nano) + ` is outside the years 0000–9999`
		if _, err := encodeAttrs(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("attrs %v: got %v, want %s", at, err, want)
		}
		if _, err := encodeTyped(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("typed %v: got %v, want %s", at, err, want)
		}
	}
}
