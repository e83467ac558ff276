package colstore

import (
	"fmt"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// Every row's TS is its instant's UnixNano and its Day the instant's local
// date in the table's zone, for instants all over the years a table takes
// (before 1970 too, where the seconds are negative and the nanoseconds
// not), in zones of their own.
func TestTimeColumnsOfAnyInstant(t *testing.T) {
	loc, err := time.LoadLocation("America/St_Johns")
	if err != nil {
		t.Skip(err)
	}
	zones := []*time.Location{time.UTC, time.FixedZone("east", 5*3600+1800), loc}
	rapid.Check(t, func(t *rapid.T) {
		tab := New(zones[rapid.IntRange(0, len(zones)-1).Draw(t, "table zone")])
		n := rapid.IntRange(1, 20).Draw(t, "rows")
		var want []time.Time
		for i := range n {
			// Within the years in every zone (InYears reads the local year).
			sec := rapid.Int64Range(firstUnix+inside, endUnix-inside-1).Draw(t, "sec")
			ns := rapid.Int64Range(0, 999_999_999).Draw(t, "ns")
			tm := time.Unix(sec, ns).In(zones[rapid.IntRange(0, len(zones)-1).Draw(t, "event zone")])
			if err := tab.Apply(&Input{ID: fmt.Sprint(i + 1), Kind: "call", Time: tm, Actor: "a"}); err != nil {
				t.Fatal(err)
			}
			want = append(want, tm)
		}
		s := tab.Segment("call")
		for i, tm := range want {
			if s.TS[i] != tm.UnixNano() {
				t.Fatalf("row %d (%v): TS %d, want %d", i, tm, s.TS[i], tm.UnixNano())
			}
			y, m, d := tm.In(tab.Location()).Date()
			if got := s.LocalDay(i); got.Year() != y || got.Month() != m || got.Day() != d {
				t.Fatalf("row %d (%v): local day %v, want %d-%02d-%02d", i, tm, got, y, m, d)
			}
		}
	})
}
