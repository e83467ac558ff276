package bitrix24_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/adapters/bitrix24/internal/rest"
	"pgregory.net/rapid"
)

// TestIncrementalEqualsFullProperty starts from a few random deals (with
// their stage history) and activities, changes the portal at random
// between syncs, keyset or offset paged (deals moved to any semantic,
// with or without DATE_MODIFY following, amounts edited, deals created
// and deleted, activities completed, reopened and deleted), and checks,
// after each incremental sync with Deletions, that the events sent so
// far, applied in order, equal what a new full sync gives: nothing
// missed, nothing left that should have been retracted.
func TestIncrementalEqualsFullProperty(t *testing.T) {
	t.Parallel()
	msk := time.FixedZone("MSK", 3*3600)
	stages := map[string]string{"P": "EXECUTING", "S": "WON", "F": "LOSE"}
	// One portal for every case, emptied of the fixtures' rows: each case
	// writes its own few deals (with their history) and activities, and
	// removes them when it ends, so that its syncs are quick.
	ctx := context.Background()
	srv := newServer(t)
	// Computed answers only: the recorded ones carry the export's clock,
	// not the test's, and a clock that goes back is no portal.
	srv.SetLiteral(false)
	{
		_, c := newPortal(t)
		for _, d := range must(c.Deals(ctx, rest.ListParams{})) {
			_ = srv.Remove("deal", d.ID)
		}
		for _, l := range must(c.Leads(ctx, rest.ListParams{})) {
			_ = srv.Remove("lead", l.ID)
		}
		for _, a := range must(c.Activities(ctx, rest.ListParams{})) {
			_ = srv.Remove("activity", a.ID)
		}
		for _, r := range must(c.StageHistory(ctx, 2, rest.ListParams{})) {
			_ = srv.Remove("history:2", r.ID)
		}
		for _, r := range must(c.StageHistory(ctx, 1, rest.ListParams{})) {
			_ = srv.Remove("history:1", r.ID)
		}
	}
	rapid.Check(t, func(rt *rapid.T) {
		c, clk := newClient(t, srv)
		var deals, acts, hist []int64
		next := int64(100)
		defer func() {
			for _, id := range deals {
				_ = srv.Remove("deal", id)
			}
			for _, id := range acts {
				_ = srv.Remove("activity", id)
			}
			for _, id := range hist {
				_ = srv.Remove("history:2", id)
			}
		}()
		stamp := func(t time.Time) string { return t.In(msk).Format(time.RFC3339) }
		for _, id := range rapid.SliceOfNDistinct(rapid.Int64Range(1, 60), 1, 8, rapid.ID[int64]).Draw(rt, "deals") {
			created := exportTime.Add(-time.Duration(rapid.IntRange(2, 900).Draw(rt, "age")) * time.Hour)
			moved := created.Add(time.Duration(rapid.IntRange(0, 60).Draw(rt, "open for")) * time.Minute)
			sem := rapid.SampledFrom([]string{"P", "S", "F"}).Draw(rt, "semantic")
			srv.AddRow("deal", "ID", map[string]any{"ID": strconv.FormatInt(id, 10), "TITLE": "D", "STAGE_ID": stages[sem], "STAGE_SEMANTIC_ID": sem, "CATEGORY_ID": "0",
				"OPPORTUNITY": rapid.SampledFrom([]string{"", "0", "1500.00", "99.99"}).Draw(rt, "OPPORTUNITY"), "CURRENCY_ID": "RUB", "ASSIGNED_BY_ID": "5",
				"DATE_CREATE": stamp(created), "DATE_MODIFY": stamp(moved), "MOVED_TIME": stamp(moved), "CLOSED": map[bool]string{true: "N", false: "Y"}[sem == "P"]})
			deals = append(deals, id)
			hist = append(hist, srv.AddHistory(2, map[string]any{"TYPE_ID": 1, "OWNER_ID": id, "CREATED_TIME": stamp(created), "CATEGORY_ID": 0, "STAGE_SEMANTIC_ID": "P", "STAGE_ID": "NEW"}))
			if sem != "P" {
				hist = append(hist, srv.AddHistory(2, map[string]any{"TYPE_ID": 3, "OWNER_ID": id, "CREATED_TIME": stamp(moved), "CATEGORY_ID": 0, "STAGE_SEMANTIC_ID": sem, "STAGE_ID": stages[sem]}))
			}
		}
		for _, id := range rapid.SliceOfNDistinct(rapid.Int64Range(1, 60), 0, 8, rapid.ID[int64]).Draw(rt, "activities") {
			start := exportTime.Add(-time.Duration(rapid.IntRange(1, 900).Draw(rt, "activity age")) * time.Hour)
			srv.AddRow("activity", "ID", map[string]any{"ID": strconv.FormatInt(id, 10), "TYPE_ID": rapid.SampledFrom([]string{"1", "2", "4", "6"}).Draw(rt, "TYPE_ID"),
				"COMPLETED": rapid.SampledFrom([]string{"Y", "N"}).Draw(rt, "COMPLETED"), "RESPONSIBLE_ID": "5", "OWNER_TYPE_ID": "2", "OWNER_ID": "1", "DIRECTION": "2",
				"START_TIME": stamp(start), "END_TIME": stamp(start.Add(5 * time.Minute)), "CREATED": stamp(start), "LAST_UPDATED": stamp(start.Add(time.Hour))})
			acts = append(acts, id)
		}
		opts := bitrix24.SyncOptions{Paging: rapid.SampledFrom([]bitrix24.Paging{bitrix24.Keyset, bitrix24.Offset}).Draw(rt, "paging"), Deletions: true}
		evs, wm, err := c.Events(ctx, opts)
		if err != nil {
			rt.Fatal(err)
		}
		s := storeOf(evs)
		for round := range rapid.IntRange(1, 2).Draw(rt, "rounds") {
			for range rapid.IntRange(0, 6).Draw(rt, "changes") {
				_ = clk.Sleep(ctx, time.Second)
				now := clk.Now().In(msk).Format(time.RFC3339)
				pick := func(ids []int64) (int64, bool) {
					if len(ids) == 0 {
						return 0, false
					}
					return ids[rapid.IntRange(0, len(ids)-1).Draw(rt, "which")], true
				}
				update := func(entity string, id int64, fn func(map[string]any)) {
					_ = srv.Update(entity, id, fn) // a deleted one stays deleted
				}
				switch op := rapid.IntRange(0, 5).Draw(rt, "op"); op {
				case 0, 2: // a move; or a deletion, after a move or not
					id, ok := pick(deals)
					if !ok {
						continue
					}
					if op == 0 || rapid.Bool().Draw(rt, "moved before deleted") {
						sem := rapid.SampledFrom([]string{"P", "S", "F"}).Draw(rt, "semantic")
						follow := rapid.IntRange(0, 2).Draw(rt, "DATE_MODIFY follows") > 0
						cat := int64(0)
						update("deal", id, func(r map[string]any) {
							cat, _ = strconv.ParseInt(r["CATEGORY_ID"].(string), 10, 64)
							stage := stages[sem]
							if cat != 0 {
								stage = "C" + strconv.FormatInt(cat, 10) + ":" + stage
							}
							r["STAGE_ID"], r["STAGE_SEMANTIC_ID"], r["MOVED_TIME"] = stage, sem, now
							r["CLOSED"] = map[bool]string{true: "N", false: "Y"}[sem == "P"]
							if follow {
								r["DATE_MODIFY"] = now
							}
						})
						typ := 3
						if sem == "P" {
							typ = 2
						}
						stage := stages[sem]
						if cat != 0 {
							stage = "C" + strconv.FormatInt(cat, 10) + ":" + stage
						}
						hist = append(hist, srv.AddHistory(2, map[string]any{"TYPE_ID": typ, "OWNER_ID": id, "CREATED_TIME": now, "CATEGORY_ID": cat, "STAGE_SEMANTIC_ID": sem, "STAGE_ID": stage}))
					}
					if op == 2 {
						_ = srv.Remove("deal", id)
					}
				case 1:
					id, ok := pick(deals)
					if !ok {
						continue
					}
					amount := rapid.StringMatching(`[1-9][0-9]{0,6}\.[0-9]{2}`).Draw(rt, "amount")
					update("deal", id, func(r map[string]any) { r["OPPORTUNITY"], r["DATE_MODIFY"] = amount, now })
				case 3:
					next++
					id := strconv.FormatInt(next, 10)
					srv.AddRow("deal", "ID", map[string]any{"ID": id, "TITLE": "D" + id, "STAGE_ID": "NEW", "STAGE_SEMANTIC_ID": "P", "CATEGORY_ID": "0",
						"OPPORTUNITY": "100.00", "CURRENCY_ID": "RUB", "ASSIGNED_BY_ID": "5", "DATE_CREATE": now, "DATE_MODIFY": now, "MOVED_TIME": now, "CLOSED": "N"})
					hist = append(hist, srv.AddHistory(2, map[string]any{"TYPE_ID": 1, "OWNER_ID": next, "CREATED_TIME": now, "CATEGORY_ID": 0, "STAGE_SEMANTIC_ID": "P", "STAGE_ID": "NEW"}))
					deals = append(deals, next)
				case 4:
					id, ok := pick(acts)
					if !ok {
						continue
					}
					done := rapid.Bool().Draw(rt, "completed")
					update("activity", id, func(r map[string]any) {
						r["COMPLETED"], r["LAST_UPDATED"] = map[bool]string{true: "Y", false: "N"}[done], now
					})
				case 5:
					if id, ok := pick(acts); ok {
						_ = srv.Remove("activity", id)
					}
				}
			}
			_ = clk.Sleep(ctx, time.Second)
			opts.Since = wm
			evs, wm, err = c.Events(ctx, opts)
			if err != nil {
				rt.Fatalf("round %d: %v", round, err)
			}
			s.apply(evs)
			full, _, err := c.Events(ctx, bitrix24.SyncOptions{Paging: opts.Paging})
			if err != nil {
				rt.Fatal(err)
			}
			want := storeOf(full)
			for id, w := range want {
				if g, ok := s[id]; !ok {
					rt.Fatalf("round %d: %s missing", round, id)
				} else if !g.Time.Equal(w.Time) || g.Kind != w.Kind || g.Amount.Valid != w.Amount.Valid || !g.Amount.Decimal.Equal(w.Amount.Decimal) || g.Currency != w.Currency || g.Actor != w.Actor {
					rt.Fatalf("round %d: %s\n got: %+v\nwant: %+v", round, id, g, w)
				}
			}
			for id := range s {
				if _, ok := want[id]; !ok {
					rt.Fatalf("round %d: %s kept, not in a full sync", round, id)
				}
			}
		}
	})
}
