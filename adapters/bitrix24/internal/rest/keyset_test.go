package rest

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// TestKeysetReadsEveryStayingRow is the property keyset paging gives an
// incremental read: whatever rows leave the filtered list (deleted) or
// enter it (changed) between its pages, every row in it from the first
// page to the last is read, for the CRM lists ("ID"), the tasks ("id") and
// the users (user.get, its filter FILTER), each row once. The list is a plain sorted slice the test pages as the
// portal does: the rows past the request's ">ID", 50 at most.
func TestKeysetReadsEveryStayingRow(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var q *ListQuery
		var err error
		key, filterKey := "ID", "filter"
		switch rapid.SampledFrom([]string{"deals", "tasks", "users"}).Draw(t, "list") {
		case "tasks":
			q, err = TaskQuery(ListParams{Filter: map[string]any{">=CHANGED_DATE": "2024-04-01T00:00:00+03:00"}})
			key = "id"
		case "deals":
			q, err = DealQuery(ListParams{Filter: map[string]any{">=DATE_MODIFY": "2024-04-01T00:00:00+03:00"}})
		default:
			q, filterKey = UserQuery(map[string]any{"ACTIVE": true}), "FILTER"
		}
		if err != nil {
			t.Fatal(err)
		}
		const universe = 400
		in := map[int64]bool{}
		for _, id := range rapid.SliceOfNDistinct(rapid.Int64Range(1, universe), 0, 300, rapid.ID[int64]).Draw(t, "rows") {
			in[id] = true
		}
		staying := map[int64]bool{} // in the list from start to end
		for id := range in {
			staying[id] = true
		}
		read := map[int64]int{}
		for page := 0; !q.Done; page++ {
			if page > universe {
				t.Fatalf("no end after %d pages", page)
			}
			req := q.Request()
			if req["start"] != -1 {
				t.Fatalf("keyset page with start %v", req["start"])
			}
			f, _ := req[filterKey].(map[string]any)
			last, ok := f[">ID"].(int64)
			if !ok {
				t.Fatalf("keyset page without a >ID filter: %v", req)
			}
			if filterKey == "FILTER" && (req["sort"] != "ID" || req["order"] != "ASC" || f["ACTIVE"] != true) {
				t.Fatalf("user.get page %v, want sort ID, order ASC and the ACTIVE filter kept", req)
			}
			var ids []int64
			for id := range in {
				if id > last {
					ids = append(ids, id)
				}
			}
			slices.Sort(ids)
			ids = ids[:min(len(ids), PageSize)]
			rows := make([]json.RawMessage, len(ids))
			for i, id := range ids {
				rows[i] = json.RawMessage(fmt.Sprintf(`{%q: "%d"}`, key, id))
				read[id]++
			}
			if err := q.Advance(rows, 0, false); err != nil {
				t.Fatal(err)
			}
			// Between pages, rows leave and enter the list anywhere.
			for _, id := range rapid.SliceOfN(rapid.Int64Range(1, universe), 0, 20).Draw(t, fmt.Sprintf("toggled %d", page)) {
				in[id] = !in[id]
				delete(staying, id)
			}
		}
		for id := range staying {
			if read[id] != 1 {
				t.Fatalf("row %d, in the list throughout, read %d times", id, read[id])
			}
		}
	})
}
