package colstore

import (
	"fmt"
	"testing"
	"time"
)

// Rows read one after the other with one Row, across a zone's changes of
// offset (Moscow's local mean time +02:30:17, then +02:31:19 and the hours
// after 1919) and instants a nanosecond either side of each change, before
// and after 1970, are each in the zone, or in UTC where its offset then had
// seconds: as InZone gives each alone.
func TestReadTimesAcrossOffsets(t *testing.T) {
	moscow, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		t.Fatal(err)
	}
	var at []time.Time
	for _, c := range []time.Time{
		time.Date(1880, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1916, 7, 2, 21, 29, 43, 0, time.UTC), // +02:30:17 becomes +02:31:19
		time.Date(1919, 7, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1969, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(2011, 3, 26, 23, 0, 0, 0, time.UTC),
	} {
		for _, d := range []time.Duration{-time.Hour, -time.Nanosecond, 0, time.Nanosecond, 500 * time.Millisecond, time.Hour} {
			at = append(at, c.Add(d))
		}
	}
	order := append(append([]time.Time{}, at...), at[0], at[len(at)-1], at[6], at[1]) // back and forth too
	tab := New(moscow)
	var r Row
	for i, ts := range order {
		v := Version{ID: fmt.Sprint("e", i), Kind: "k", Time: ts, Actor: "anna"}
		if err := tab.ApplyVersion(&v, nil, Codes{}, nil); err != nil {
			t.Fatal(err)
		}
		s, row, ok := tab.Lookup(v.ID)
		if !ok {
			t.Fatalf("%s not found", v.ID)
		}
		tab.Read(s, row, &r)
		want := InZone(ts.UnixNano(), moscow)
		if _, off := ts.In(moscow).Zone(); (off%60 != 0) != (want.Location() == time.UTC) {
			t.Fatalf("InZone(%s) is in %s, offset %d s", ts, want.Location(), off)
		}
		if r.Time != want || !r.Time.Equal(ts) {
			t.Errorf("%s read back as %s, want %s", ts, r.Time, want)
		}
	}
}
