package bitrix24_test

import (
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/bitrix24"
)

// TestActivityDurationBound: a call whose END_TIME is a far sentinel, or
// before its START_TIME, has no duration; one within the bound has the
// seconds between the two. A sentinel end gave 9223372036 s (time.Sub
// saturated at about 292 years).
func TestActivityDurationBound(t *testing.T) {
	t.Parallel()
	const start = "2024-03-01T00:05:00+03:00" // fixture activity 5111
	s0, err := time.Parse(time.RFC3339, start)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		end  string
		want any // int64 seconds, or nil for none
	}{
		{"9999-12-31T23:59:59+03:00", nil},
		{"2300-01-01T00:00:00+03:00", nil},
		{"2024-02-29T23:00:00+03:00", nil},
		{"2024-03-01T00:09:00+03:00", int64(4 * 60)},
		// 366 days exactly is within the bound; a second more is not.
		{s0.AddDate(0, 0, 366).Format(time.RFC3339), int64(366 * 24 * 3600)},
		{s0.AddDate(0, 0, 366).Add(time.Second).Format(time.RFC3339), nil},
	} {
		srv, c := newPortal(t)
		if err := srv.Update("activity", 5111, func(r map[string]any) { r["START_TIME"], r["END_TIME"] = start, tc.end }); err != nil {
			t.Fatal(err)
		}
		evs, _ := syncAll(t, c, bitrix24.SyncOptions{})
		var found bool
		for _, e := range evs {
			if e.ID != "b24:activity:5111" {
				continue
			}
			found = true
			got, has := e.Attrs["duration"]
			if tc.want == nil && has || tc.want != nil && got != tc.want {
				t.Errorf("END_TIME %s: duration %v (present %v), want %v", tc.end, got, has, tc.want)
			}
		}
		if !found {
			t.Fatalf("END_TIME %s: no event of activity 5111", tc.end)
		}
	}
}
