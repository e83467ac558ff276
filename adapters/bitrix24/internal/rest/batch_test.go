package rest

import (
	"encoding/json"
	"testing"
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
