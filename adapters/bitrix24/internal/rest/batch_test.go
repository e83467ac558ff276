package rest

import (
	"encoding/json"
	"testing"
	"time"
)

// FuzzEncodeQuery: the PHP query encoding of any JSON parameters succeeds and
// is stable.
func FuzzEncodeQuery(f *testing.F) {
	f.Add(`{"filter":{">=DATE_MODIFY":"2024-03-01T00:00:00+03:00","@ID":[1,2]},"select":["ID"],"start":-1}`)
	f.Add(`{"a":{"b":{"c":[true,false,null,"x y&z"]}}}`)
	f.Fuzz(func(t *testing.T, js string) {
		var p map[string]any
		if json.Unmarshal([]byte(js), &p) != nil {
			return
		}
		a, err := EncodeQuery(p)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := EncodeQuery(p)
		if a != b {
			t.Fatalf("unstable: %q vs %q", a, b)
		}
	})
}

func TestEncodeQuery(t *testing.T) {
	t.Parallel()
	got, err := EncodeQuery(map[string]any{
		"filter": map[string]any{">=DATE_MODIFY": "2024-03-01T00:00:00+03:00", "@ID": []int64{1037, 1043}, "CLOSED": true},
		"order":  map[string]any{"ID": "ASC"},
		"select": []string{"ID", "STAGE_ID"},
		"start":  -1,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "filter[%3E%3DDATE_MODIFY]=2024-03-01T00%3A00%3A00%2B03%3A00&filter[%40ID][0]=1037&filter[%40ID][1]=1043&filter[CLOSED]=1" +
		"&order[ID]=ASC&select[0]=ID&select[1]=STAGE_ID&start=-1"
	if got != want {
		t.Errorf("\n got: %s\nwant: %s", got, want)
	}
}

// A filter time names the same instant as the time it came from, also in a
// zone whose offset has seconds (Amsterdam's +00:19:32 before 1937), which
// the portal's ±hh:mm form cannot carry.
func TestJSONValueKeepsInstant(t *testing.T) {
	ams := time.FixedZone("AMT", 19*60+32)
	for _, tc := range []struct {
		in   time.Time
		want string
	}{
		{time.Date(2024, 3, 1, 0, 0, 0, 0, time.FixedZone("MSK", 3*3600)), "2024-03-01T00:00:00+03:00"},
		{time.Date(2024, 3, 1, 0, 0, 0, 0, time.FixedZone("", -(5*3600+30*60))), "2024-03-01T00:00:00-05:30"},
		{time.Date(1930, 5, 1, 0, 0, 0, 0, ams), "1930-04-30T23:40:28+00:00"},
	} {
		got, _ := JSONValue(tc.in).(string)
		if got != tc.want {
			t.Errorf("JSONValue(%s) = %q, want %q", tc.in, got, tc.want)
			continue
		}
		back, err := time.Parse(time.RFC3339, got)
		if err != nil || !back.Equal(tc.in) {
			t.Errorf("JSONValue(%s) = %q reads back as %s (%v)", tc.in, got, back, err)
		}
	}
}
