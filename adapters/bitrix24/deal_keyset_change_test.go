package bitrix24_test

import (
	"context"
	"fmt"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/adapters/bitrix24/internal/fakeb24"
	"github.com/goalkit/goalkit/adapters/bitrix24/internal/rest"
	"pgregory.net/rapid"
)

// dealChange is what happens to the portal's deals before a page of
// crm.deal.list: a deal deleted, one created, or one's amount edited.
type dealChange struct {
	op     int // 0 delete, 1 create, 2 edit
	id     int64
	amount string
}

// changeAtDealPage applies the changes drawn for each page of crm.deal.list
// after the first, just before the portal answers it.
type changeAtDealPage struct {
	srv     *fakeb24.Server
	changes [][]dealChange
	mu      sync.Mutex
	pages   int
}

func (r *changeAtDealPage) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.TrimSuffix(path.Base(req.URL.Path), ".json") == "crm.deal.list" {
		r.mu.Lock()
		if r.pages > 0 && r.pages <= len(r.changes) {
			for _, ch := range r.changes[r.pages-1] {
				switch ch.op {
				case 0:
					_ = r.srv.Remove("deal", ch.id)
				case 1:
					if r.srv.Update("deal", ch.id, func(map[string]any) {}) != nil {
						r.srv.AddRow("deal", "ID", map[string]any{"ID": strconv.FormatInt(ch.id, 10), "OPPORTUNITY": ch.amount, "CURRENCY_ID": "RUB"})
					}
				case 2:
					_ = r.srv.Update("deal", ch.id, func(row map[string]any) { row["OPPORTUNITY"] = ch.amount })
				}
			}
		}
		r.pages++
		r.mu.Unlock()
	}
	return http.DefaultTransport.RoundTrip(req)
}

// TestDealKeysetWhileTheyChange: whatever deals are deleted, created or
// edited between the pages of a keyset read of crm.deal.list, the rows
// come in ascending ID order, none twice; every deal there from the
// first page to the last is read, once; no deal is read that never
// was; and each row read carries an amount the deal had.
func TestDealKeysetWhileTheyChange(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	const lo, hi = 990, 1300
	rapid.Check(t, func(t *rapid.T) {
		// Start from the deals drawn (the fixture's, kept or deleted, and
		// new ones), each with a known amount.
		for id := int64(lo); id <= hi; id++ {
			_ = srv.Remove("deal", id)
		}
		amounts := map[int64]map[string]bool{} // every amount each deal had
		present := map[int64]bool{}
		for _, id := range rapid.SliceOfNDistinct(rapid.Int64Range(lo, hi), 0, 160, rapid.ID[int64]).Draw(t, "deals") {
			a := strconv.FormatInt(id, 10) + ".00"
			srv.AddRow("deal", "ID", map[string]any{"ID": strconv.FormatInt(id, 10), "OPPORTUNITY": a, "CURRENCY_ID": "RUB"})
			amounts[id] = map[string]bool{a: true}
			present[id] = true
		}
		throughout := map[int64]bool{}
		for id := range present {
			throughout[id] = true
		}
		rt := &changeAtDealPage{srv: srv}
		for i := range 5 {
			var chs []dealChange
			for j, n := 0, rapid.IntRange(0, 8).Draw(t, fmt.Sprintf("changes before page %d", i+2)); j < n; j++ {
				ch := dealChange{op: rapid.IntRange(0, 2).Draw(t, "op"), id: rapid.Int64Range(lo, hi).Draw(t, "id"),
					amount: rapid.StringMatching(`[1-9][0-9]{0,6}\.[0-9]{2}`).Draw(t, "amount")}
				// What the portal holds after the change, for the reference.
				switch {
				case ch.op == 0:
					delete(present, ch.id)
					delete(throughout, ch.id)
				case ch.op == 1 && !present[ch.id]:
					present[ch.id] = true
					if amounts[ch.id] == nil {
						amounts[ch.id] = map[string]bool{}
					}
					amounts[ch.id][ch.amount] = true
				case ch.op == 2 && present[ch.id]:
					amounts[ch.id][ch.amount] = true
				}
				chs = append(chs, ch)
			}
			rt.changes = append(rt.changes, chs)
		}
		c, err := bitrix24.New(bitrix24.Webhook(srv.WebhookURL()), bitrix24.WithMinInterval(0), bitrix24.WithHTTPClient(&http.Client{Transport: rt}))
		if err != nil {
			t.Fatal(err)
		}
		deals, err := c.Deals(context.Background(), rest.ListParams{})
		if err != nil {
			t.Fatal(err)
		}
		read := map[int64]bool{}
		for i, d := range deals {
			if i > 0 && d.ID <= deals[i-1].ID {
				t.Fatalf("deal %d read after deal %d", d.ID, deals[i-1].ID)
			}
			read[d.ID] = true
			if amounts[d.ID] == nil {
				t.Fatalf("deal %d read, never in the portal", d.ID)
			}
			if !d.Opportunity.Valid || !amounts[d.ID][d.Opportunity.Decimal.StringFixed(2)] {
				t.Fatalf("deal %d read with amount %v, which it never had", d.ID, d.Opportunity)
			}
		}
		for id := range throughout {
			if !read[id] {
				t.Fatalf("deal %d, in the portal throughout, not read (%d pages)", id, rt.pages)
			}
		}
	})
}
