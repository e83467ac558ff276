package bitrix24_test

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/goalkit/goalkit/goal"
	"testing"

	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/adapters/bitrix24/internal/rest"
)

// A malformed row of the stage history an incremental sync reads by owner
// (filter @OWNER_ID, 50 deals a query, several pages of rows each) is named
// by its place in that listing, counted across its pages, as a row of any
// other listing is: the count began again at 0 on every page, so the
// error named a row of the first page that was not the one at fault.
func TestByOwnerHistoryRowNamedAcrossPages(t *testing.T) {
	t.Parallel()
	for _, paging := range []bitrix24.Paging{bitrix24.Keyset, bitrix24.Offset} {
		t.Run(paging.String(), func(t *testing.T) {
			srv, c := newPortal(t)
			ctx := context.Background()
			opts := bitrix24.SyncOptions{Paging: paging}
			_, wm := syncAll(t, c, opts)
			deals := must(c.Deals(ctx, rest.ListParams{}))
			all := must(c.StageHistory(ctx, 2, rest.ListParams{}))
			// Every deal changes, so the sync reads the history of the
			// first 50 (by id) in one listing.
			srv.UpdateAll("deal", func(r map[string]any) { r["DATE_MODIFY"] = at("11:00:00") })
			var chunk []int64
			for _, d := range deals[:50] {
				chunk = append(chunk, d.ID)
			}
			var rows []rest.StageHistoryRow // that listing, by ID
			for _, r := range all {
				if slices.Contains(chunk, r.OwnerID) {
					rows = append(rows, r)
				}
			}
			slices.SortFunc(rows, func(a, b rest.StageHistoryRow) int { return int(a.ID - b.ID) })
			if len(rows) < 60 {
				t.Fatalf("only %d history rows for the first 50 deals: not two pages", len(rows))
			}
			const at = 57 // on the second page
			bad := rows[at].ID
			srv.UpdateAll("history:2", func(r map[string]any) {
				if fmt.Sprint(r["ID"]) == fmt.Sprint(bad) {
					r["CREATED_TIME"] = "yesterday"
				}
			})
			opts.Since = wm
			_, _, err := c.Events(ctx, opts)
			want := fmt.Sprintf(`bitrix24: crm.stagehistory.list: malformed response: row %d (ID %d): CREATED_TIME: want an ISO 8601 date-time with an offset, got "yesterday"`, at, bad)
			if err == nil || err.Error() != want {
				t.Fatalf("got %v\nwant %s", err, want)
			}
		})
	}
}

// A malformed stage of a pipeline with more than 50 (crm.status.list,
// read when a deal comes without its semantics) is named by its place in
// the dictionary, counted across its pages: the count began again at 0 on
// every page.
func TestStageDictionaryRowNamedAcrossPages(t *testing.T) {
	t.Parallel()
	srv, c := newPortal(t)
	base := len(must(c.Statuses(context.Background(), "DEAL_STAGE")))
	const at = 55 // on the second page
	if base > at {
		t.Fatalf("%d stages in the fixture", base)
	}
	for i := range 60 {
		row := map[string]any{"ID": fmt.Sprint(9001 + i), "ENTITY_ID": "DEAL_STAGE", "STATUS_ID": fmt.Sprint("X", i), "NAME": "X",
			"SORT": fmt.Sprint(10000 + i), "SEMANTICS": nil, "EXTRA": map[string]any{"SEMANTICS": "process"}}
		if base+i == at {
			row["SEMANTICS"] = "Q"
		}
		srv.AddRow("status", "ID", row)
	}
	if err := srv.Update("deal", 1099, func(r map[string]any) { r["STAGE_SEMANTIC_ID"] = nil }); err != nil {
		t.Fatal(err)
	}
	_, _, err := c.Events(context.Background(), bitrix24.SyncOptions{SkipHistory: true})
	want := fmt.Sprintf(`bitrix24: crm.status.list: malformed response: row %d (ID %d): SEMANTICS: want P, S or F, got "Q"`, at, 9001+at-base)
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
}

// A malformed task among more than 50 that Actions finds under one
// notification's marker (tasks.task.list by XML_ID, read by offset) is
// named by its place in that listing, counted across its pages: the count
// began again at 0 on every page.
func TestMarkerTaskRowNamedAcrossPages(t *testing.T) {
	t.Parallel()
	srv, c := newPortal(t)
	n := note(goal.NotifyAtRisk, "5", time.Date(2024, 3, 19, 9, 0, 0, 0, msk))
	const at = 55 // on the second page
	for i := range 60 {
		row := map[string]any{"id": fmt.Sprint(70001 + i), "title": "T", "status": "2", "responsibleId": "5", "groupId": "0", "xmlId": bitrix24.Marker(n.Key)}
		if i == at {
			row["status"] = "x"
		}
		srv.AddRow("task", "id", row)
	}
	_, err := newActions(c).Apply(context.Background(), []goal.Notification{n})
	want := fmt.Sprintf(`notification %q: bitrix24: tasks.task.list: malformed response: row %d (ID %d): status: want an integer, got "x"`, n.Key, at, 70001+at)
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
}
