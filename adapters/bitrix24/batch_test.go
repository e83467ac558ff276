package bitrix24_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/adapters/bitrix24/internal/fakeb24"
	"github.com/goalkit/goalkit/adapters/bitrix24/internal/rest"
)

// TestBatchFixtures decodes the two batch answers of the fixtures.
func TestBatchFixtures(t *testing.T) {
	t.Parallel()
	srv, c := newPortal(t)
	ctx := context.Background()

	srv.Inject("batch", fakeb24.Fault{File: "batch.json"})
	res, err := c.Batch(ctx, false, []rest.BatchCommand{
		{Key: "deals", Method: "crm.deal.list", Params: map[string]any{"order": map[string]any{"ID": "ASC"}, "select": []string{"ID", "STAGE_ID", "ASSIGNED_BY_ID"}, "start": 0}},
		{Key: "deps", Method: "department.get"},
		{Key: "deal_first", Method: "crm.deal.get", Params: map[string]any{"id": 1001}},
		{Key: "deal_missing", Method: "crm.deal.get", Params: map[string]any{"id": 999999}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"deals", "deps", "deal_first"} {
		if err := res.Err(k); err != nil {
			t.Errorf("%s: %v", k, err)
		}
	}
	err = res.Err("deal_missing")
	if want := `bitrix24: batch command "deal_missing" (crm.deal.get): Not found`; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	checkIs(t, err, "ErrNotFound")
	if res.Total["deals"] != 117 || res.Next["deals"] != 50 || res.Total["deps"] != 4 {
		t.Errorf("totals %v, next %v", res.Total, res.Next)
	}
	var deals []map[string]string
	if err := json.Unmarshal(res.Results["deals"], &deals); err != nil || len(deals) != 50 {
		t.Errorf("deals: %d, %v", len(deals), err)
	}

	srv.Inject("batch", fakeb24.Fault{File: "batch.halt_error.json"})
	res, err = c.Batch(ctx, true, []rest.BatchCommand{{Key: "deals", Method: "crm.deal.list"}, {Key: "users", Method: "user.get"}})
	if err != nil {
		t.Fatal(err)
	}
	err = res.Err("deals")
	if want := `bitrix24: batch command "deals" (crm.deal.list): insufficient_scope`; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	checkIs(t, err, "ErrAccessDenied")
	err = res.Err("users")
	if want := `bitrix24: batch command "users" (user.get): not run: bitrix24: batch halted before the command`; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	checkIs(t, err, "ErrHalted")
	if err := res.Err("nope"); err == nil || err.Error() != `bitrix24: batch: no command "nope"` {
		t.Errorf("got %v", err)
	}
}

// TestBatchComputed runs real commands against the fake portal, with and
// without halt.
func TestBatchComputed(t *testing.T) {
	t.Parallel()
	srv, c := newPortal(t)
	ctx := context.Background()
	cmds := []rest.BatchCommand{
		{Key: "won", Method: "crm.deal.list", Params: map[string]any{
			"filter": map[string]any{"STAGE_SEMANTIC_ID": "S", "@ASSIGNED_BY_ID": []int{5, 6}, ">=MOVED_TIME": "2024-03-01T00:00:00+03:00"},
			"select": []string{"ID"}, "order": map[string]any{"ID": "ASC"}}},
		{Key: "missing", Method: "crm.deal.get", Params: map[string]any{"id": 999999}},
		{Key: "users", Method: "user.get", Params: map[string]any{"FILTER": map[string]any{"ACTIVE": false}}},
	}
	res, err := c.Batch(ctx, false, cmds)
	if err != nil {
		t.Fatal(err)
	}
	var won []struct{ ID string }
	if err := json.Unmarshal(res.Results["won"], &won); err != nil {
		t.Fatal(err)
	}
	if len(won) == 0 || res.Total["won"] != int64(len(won)) {
		t.Errorf("won: %d rows, total %d", len(won), res.Total["won"])
	}
	checkIs(t, res.Err("missing"), "ErrNotFound")
	var users []struct{ ID string }
	if err := json.Unmarshal(res.Results["users"], &users); err != nil || len(users) != 1 || users[0].ID != "10" {
		t.Errorf("dismissed users %v, %v", users, err)
	}

	res, err = c.Batch(ctx, true, cmds)
	if err != nil {
		t.Fatal(err)
	}
	if res.Err("won") != nil || !errors.Is(res.Err("missing"), bitrix24.ErrNotFound) || !errors.Is(res.Err("users"), bitrix24.ErrHalted) {
		t.Errorf("halt: %v / %v / %v", res.Err("won"), res.Err("missing"), res.Err("users"))
	}
	// The commands went out as query strings with PHP brackets.
	var sent []string
	for _, r := range srv.Requests() {
		if r.InBatch && r.Method == "crm.deal.list" {
			sent = append(sent, fmt.Sprint(r.Params["filter"]))
		}
	}
	if len(sent) != 2 || !strings.Contains(sent[0], "@ASSIGNED_BY_ID:[5 6]") {
		t.Errorf("filters received: %v", sent)
	}
}

func TestBatchLimits(t *testing.T) {
	t.Parallel()
	srv, c := newPortal(t)
	ctx := context.Background()
	var many []rest.BatchCommand
	for i := range 51 {
		many = append(many, rest.BatchCommand{Key: fmt.Sprintf("c%d", i), Method: "user.get"})
	}
	for _, tc := range []struct {
		cmds []rest.BatchCommand
		msg  string
	}{
		{nil, "bitrix24: batch: no commands"},
		{many, "bitrix24: batch: 51 commands, at most 50: bitrix24: invalid request"},
		{[]rest.BatchCommand{{Key: "a", Method: "batch"}}, `bitrix24: batch: command "a": invalid method "batch": bitrix24: invalid request`},
		{[]rest.BatchCommand{{Key: "a b", Method: "user.get"}}, `bitrix24: batch: invalid command key "a b": bitrix24: invalid request`},
		{[]rest.BatchCommand{{Key: "a", Method: "user.get"}, {Key: "a", Method: "user.get"}}, `bitrix24: batch: duplicate command key "a": bitrix24: invalid request`},
	} {
		if _, err := c.Batch(ctx, false, tc.cmds); err == nil || err.Error() != tc.msg {
			t.Errorf("got %v, want %s", err, tc.msg)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent for invalid batches", n)
	}
	// The portal's own refusal of a long batch.
	srv.Inject("batch", fakeb24.Fault{Status: 400, Body: []byte(`{"error":"ERROR_BATCH_LENGTH_EXCEEDED","error_description":"Max batch length exceeded"}`)})
	_, err := c.Batch(ctx, false, many[:2])
	if want := "bitrix24: batch: ERROR_BATCH_LENGTH_EXCEEDED: Max batch length exceeded (http 400)"; err == nil || err.Error() != want {
		t.Errorf("got %v", err)
	}
	// A malformed batch answer.
	srv.Inject("batch", fakeb24.Fault{Body: []byte(`{"result":{"result":"x"}}`)})
	_, err = c.Batch(ctx, false, many[:2])
	if want := "bitrix24: batch: malformed response: result: want an object or an empty array"; err == nil || err.Error() != want {
		t.Errorf("got %v", err)
	}
}

// manifestRequests returns the requests manifest.json gives for a set of
// fixture files, in file order.
func manifestRequests(t *testing.T, prefix string) []map[string]any {
	t.Helper()
	var man struct {
		Files []struct {
			File    string         `json:"file"`
			Request map[string]any `json:"request"`
		} `json:"files"`
	}
	readFixture(t, "manifest.json", &man)
	var out []map[string]any
	for _, f := range man.Files {
		if strings.HasPrefix(f.File, prefix) {
			out = append(out, f.Request)
		}
	}
	return out
}

func normalize(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var x any
	if err := json.Unmarshal(b, &x); err != nil {
		t.Fatal(err)
	}
	return x
}

// TestPagingRequests: the client pages exactly as the fixtures' requests do,
// keyset and offset, and both give the same rows.
func TestPagingRequests(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		prefix string
		paging bitrix24.Paging
	}{
		{"crm.stagehistory.list.deal.keyset", bitrix24.Keyset},
		{"crm.stagehistory.list.deal.page", bitrix24.Offset},
		{"crm.stagehistory.list.lead.keyset", bitrix24.Keyset},
		{"crm.stagehistory.list.lead.page", bitrix24.Offset},
	} {
		t.Run(tc.prefix, func(t *testing.T) {
			srv, c := newPortal(t)
			et := rest.EntityDeal
			if strings.Contains(tc.prefix, ".lead.") {
				et = rest.EntityLead
			}
			rows, err := c.StageHistory(context.Background(), et, rest.ListParams{Offset: tc.paging == bitrix24.Offset})
			if err != nil {
				t.Fatal(err)
			}
			want := manifestRequests(t, tc.prefix)
			got := srv.Requests()
			if len(got) != len(want) {
				t.Fatalf("%d requests, want %d", len(got), len(want))
			}
			for i := range want {
				if g, w := normalize(t, got[i].Params), normalize(t, want[i]); !reflect.DeepEqual(g, w) {
					t.Errorf("request %d\n got: %v\nwant: %v", i, g, w)
				}
			}
			wantRows := map[bitrix24.Paging]int{}
			if et == rest.EntityDeal {
				wantRows[tc.paging] = 347
			} else {
				wantRows[tc.paging] = 167
			}
			if len(rows) != wantRows[tc.paging] {
				t.Errorf("%d rows", len(rows))
			}
			for i := 1; i < len(rows); i++ {
				if rows[i].ID <= rows[i-1].ID {
					t.Fatalf("rows not in ascending ID order at %d", i)
				}
			}
		})
	}
}

// TestStageHistoryStringIDs: the legacy answer with ids as numeric strings
// decodes to the same rows as the paged one with numbers.
func TestStageHistoryStringIDs(t *testing.T) {
	t.Parallel()
	_, c := newPortal(t)
	ctx := context.Background()
	legacy, err := c.StageHistory(ctx, rest.EntityDeal, rest.ListParams{Offset: true, Filter: map[string]any{"OWNER_ID": 1037}})
	if err != nil {
		t.Fatal(err)
	}
	all, err := c.StageHistory(ctx, rest.EntityDeal, rest.ListParams{})
	if err != nil {
		t.Fatal(err)
	}
	var want []rest.StageHistoryRow
	for _, r := range all {
		if r.OwnerID == 1037 {
			want = append(want, r)
		}
	}
	if len(legacy) != 4 || !reflect.DeepEqual(legacy, want) {
		t.Errorf("legacy rows\n%+v\nwant\n%+v", legacy, want)
	}
	b, _ := os.ReadFile(filepath.Join(fixtures, "crm.stagehistory.list.deal.owner.json"))
	if !strings.Contains(string(b), `"ID": "3173"`) {
		t.Errorf("the owner fixture no longer has string ids; the test proves nothing")
	}
}

func TestDictionaries(t *testing.T) {
	t.Parallel()
	srv, c := newPortal(t)
	ctx := context.Background()
	cats, err := c.Categories(ctx, rest.EntityDeal)
	if err != nil || len(cats) != 2 || cats[0].ID != 1 || cats[1].ID != 0 || !cats[1].IsDefault {
		t.Errorf("categories %+v, %v", cats, err)
	}
	st, err := c.Statuses(ctx, "DEAL_STAGE_1")
	if err != nil || len(st) != 5 || st[3].StatusID != "C1:WON" || st[3].Semantics != "S" || st[0].Semantics != "P" || st[0].CategoryID != 1 {
		t.Errorf("statuses %+v, %v", st, err)
	}
	src, err := c.Statuses(ctx, "SOURCE")
	if err != nil || len(src) != 10 || src[0].Semantics != "" {
		t.Errorf("sources %+v, %v", src, err)
	}
	cur, err := c.Currencies(ctx)
	if err != nil || len(cur) != 3 || cur[1].Currency != "USD" || cur[1].Amount.String() != "92.37" || !cur[0].Base {
		t.Errorf("currencies %+v, %v", cur, err)
	}
	users, err := c.Users(ctx, map[string]any{"ACTIVE": true})
	if err != nil || len(users) != 9 {
		t.Errorf("active users %d, %v", len(users), err)
	}
	// Every request matched a fixture's request and got its bytes.
	if n := len(srv.Requests()); n != 5 {
		t.Errorf("%d requests", n)
	}
}
