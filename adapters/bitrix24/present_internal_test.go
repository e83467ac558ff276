package bitrix24

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/bitrix24/internal/rest"
	"pgregory.net/rapid"
)

// The watermark's id ranges give back the ids written, and a damaged
// listing is an error, never a huge one.
func TestIDRanges(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ids := rapid.SliceOfN(rapid.Int64Range(1, 200), 1, -1).Draw(t, "ids")
		slices.Sort(ids)
		ids = slices.Compact(ids)
		got, err := decodeIDs(encodeIDs(ids))
		if err != nil || !slices.Equal(got, ids) {
			t.Fatalf("%v: %q gives %v %v", ids, encodeIDs(ids), got, err)
		}
	})
	for _, tc := range []struct{ in, want string }{
		{"1-3,5,7-8", "[1 2 3 5 7 8]"},
		{"-", "[]"},
	} {
		got, err := decodeIDs(tc.in)
		if err != nil || fmt.Sprint(append([]int64{}, got...)) != tc.want {
			t.Errorf("%q: %v %v", tc.in, got, err)
		}
	}
	// The highest id there is ends a listing, and reads back as itself.
	for _, tc := range []struct {
		in   string
		want []int64
	}{
		{"9223372036854775807", []int64{math.MaxInt64}},
		{"9223372036854775805-9223372036854775807", []int64{math.MaxInt64 - 2, math.MaxInt64 - 1, math.MaxInt64}},
		{"1,9223372036854775806-9223372036854775807", []int64{1, math.MaxInt64 - 1, math.MaxInt64}},
	} {
		if got := encodeIDs(tc.want); got != tc.in {
			t.Errorf("%v: encoded %q, want %q", tc.want, got, tc.in)
		}
		type result struct {
			ids []int64
			err error
		}
		done := make(chan result, 1)
		go func() {
			ids, err := decodeIDs(tc.in)
			done <- result{ids, err}
		}()
		select {
		case r := <-done:
			if r.err != nil || !slices.Equal(r.ids, tc.want) {
				t.Errorf("%q: %v %v, want %v", tc.in, r.ids, r.err, tc.want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%q: decoding does not end", tc.in)
		}
	}
	for _, bad := range []string{"", "0", "3-1", "5,4", "2,2", "1-x", "1-9223372036854775807", "a"} {
		if _, err := decodeIDs(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// Rows listed with the ID alone, as the portal answers a select of ID,
// decode to their ids.
func TestIDOnlyRows(t *testing.T) {
	rows := []json.RawMessage{json.RawMessage(`{"ID":"5"}`), json.RawMessage(`{"ID":"17"}`)}
	deals, err := rest.DecodeRows[rest.Deal](rows, 0)
	if err != nil || len(deals) != 2 || deals[0].ID != 5 || deals[1].ID != 17 {
		t.Errorf("deals: %+v %v", deals, err)
	}
	acts, err := rest.DecodeRows[rest.Activity](rows, 0)
	if err != nil || len(acts) != 2 || acts[1].ID != 17 {
		t.Errorf("activities: %+v %v", acts, err)
	}
	leads, err := rest.DecodeRows[rest.Lead](rows, 0)
	if err != nil || len(leads) != 2 || leads[1].ID != 17 {
		t.Errorf("leads: %+v %v", leads, err)
	}
}
