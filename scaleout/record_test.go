package scaleout_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/shopspring/decimal"
)

// roundTrip encodes e as a log record and decodes it back, failing the
// test on an error; it returns the event and its record.
func roundTrip(t *testing.T, e kpi.Event) (kpi.Event, []byte) {
	t.Helper()
	data, err := scaleout.EncodeEvent(&e)
	if err != nil {
		t.Fatal(err)
	}
	got, err := scaleout.DecodeEvent(data)
	if err != nil {
		t.Fatal(err)
	}
	return got, data
}

func TestEventRoundTrip(t *testing.T) {
	at := time.Date(2025, 3, 10, 12, 0, 0, 7, time.UTC)
	for _, e := range []kpi.Event{
		{ID: "1", Kind: "won", Time: at, Actor: "anna", Amount: decimalOf(1500), Currency: "RUB", Known: at.Add(time.Hour),
			Attrs: map[string]any{"s": "web", "i": int64(3), "d": decimal.RequireFromString("1.50"), "b": true, "t": at}},
		{ID: "2", Deleted: true},
		{ID: "3", Kind: "call", Time: at},
	} {
		got, _ := roundTrip(t, e)
		if !got.Time.Equal(e.Time) || !got.Known.Equal(e.Known) {
			t.Fatalf("%s: times %v %v, want %v %v", e.ID, got.Time, got.Known, e.Time, e.Known)
		}
		got.Time, got.Known, e.Time, e.Known = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		if ts, ok := got.Attrs["t"].(time.Time); ok && ts.Equal(at) {
			got.Attrs["t"], e.Attrs["t"] = nil, nil
		}
		if !reflect.DeepEqual(got, e) {
			t.Fatalf("round trip:\n got %#v\nwant %#v", got, e)
		}
	}
}

func TestDecodeEventErrors(t *testing.T) {
	for in, want := range map[string]string{
		`{"id":"1","kind":"won","time":"2025-03-10T12:00:00Z","attrs":{"x":{"s":"a","i":1}}}`: `event record "1": attribute "x": want exactly one of s, i, d, b, t`,
		`{"id":"1","kind":"won"}`:           `event record: event "1" has no time`,
		`{"id":"1","kind":"won","extra":1}`: `event record: json: unknown field "extra"`,
		`{"id":"1","deleted":true} {}`:      `event record: data after the event`,
		`{"id":"1","deleted":true}}`:        `event record: data after the event`,
		`{"id":"1","deleted":true} ]`:       `event record: data after the event`,
		`{"id":"a\u0001","deleted":true}`:   `event record: event id "a\x01" has a control character (U+0001)`,
	} {
		_, err := scaleout.DecodeEvent([]byte(in))
		if err == nil || err.Error() != want {
			t.Errorf("%s: err = %v, want %s", in, err, want)
		}
	}
}

func FuzzDecodeEvent(f *testing.F) {
	f.Add([]byte(`{"id":"1","kind":"won","time":"2025-03-10T12:00:00Z","amount":"1.5","attrs":{"x":{"d":"2"}}}`))
	f.Add([]byte(`{"id":"2","deleted":true,"known":"2025-03-10T12:00:00Z"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := scaleout.DecodeEvent(data)
		if err != nil {
			return
		}
		// What decodes encodes, and decodes again to the same record.
		again, err := scaleout.EncodeEvent(&e)
		if err != nil {
			t.Fatalf("a decoded event does not encode: %v", err)
		}
		e2, err := scaleout.DecodeEvent(again)
		if err != nil {
			t.Fatalf("an encoded event does not decode: %v", err)
		}
		third, _ := scaleout.EncodeEvent(&e2)
		if string(third) != string(again) {
			t.Fatalf("not stable:\n%s\n%s", again, third)
		}
	})
}

func TestParseAssignment(t *testing.T) {
	a, err := scaleout.ParseAssignment("1/3")
	if err != nil || !reflect.DeepEqual(a.Owned(7), []int{1, 4}) {
		t.Fatalf("1/3: %v %v", a.Owned(7), err)
	}
	// An assignment ParseAssignment refuses owns none: the zero one, and
	// one of no workers, owned every partition, as 0/1 does.
	for _, bad := range []scaleout.Assignment{{}, {I: 0, N: -2}, {I: 2, N: 2}, {I: -1, N: 2}} {
		if got := bad.Owned(4); got != nil {
			t.Errorf("%+v owns %v of 4 partitions, want none", bad, got)
		}
	}
	for _, bad := range []string{"3/3", "-1/2", "1", "a/b", "0/0", "+1/3", "1/+3", "01/3", "1/03", "1/3/5", "/3", "1/"} {
		if _, err := scaleout.ParseAssignment(bad); err == nil || !strings.Contains(err.Error(), "want i/n with 0 ≤ i < n") {
			t.Errorf("%s: err = %v", bad, err)
		}
	}
}

func TestCheckTenant(t *testing.T) {
	for name, ok := range map[string]bool{"acme": true, "Acme_2-x": true, "": false, "a.b": false, "a*": false, "a>": false, "a b": false, strings.Repeat("a", 65): false} {
		if err := scaleout.CheckTenant(name); (err == nil) != ok {
			t.Errorf("%q: err = %v", name, err)
		}
	}
}

func TestPartitionStable(t *testing.T) {
	// FNV-1a of "e1" is 0x6ee89f5d... checked against the published
	// reference vector for "a": 0xe40c292c.
	if got := scaleout.Partition("a", 1<<30); got != 0xe40c292c%(1<<30) {
		t.Fatalf("Partition(a) = %#x", got)
	}
}

// Records of a log without partitions is an error, not a division by
// zero.
func TestRecordsWithoutPartitions(t *testing.T) {
	e := []kpi.Event{{ID: "1", Kind: "won", Time: time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)}}
	for _, n := range []int{0, -1} {
		if _, err := scaleout.Records("b", time.Time{}, e, n); err == nil || err.Error() != fmt.Sprintf("records: %d partitions, want at least 1", n) {
			t.Fatalf("%d partitions: %v", n, err)
		}
	}
}
