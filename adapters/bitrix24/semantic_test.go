package bitrix24_test

import (
	"context"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/adapters/bitrix24"
)

// TestSyncRefusesUnknownSemantics: a stage semantics other than P, S or F (a
// lower-case "s", a code the docs do not list) is refused naming the method,
// the row and the member; it was kept as it came, so the deal or lead had
// no outcome and an earlier win of it was retracted without a word.
func TestSyncRefusesUnknownSemantics(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, entity string
		id           int64
		member, val  string
		opts         bitrix24.SyncOptions
		want         string
	}{
		{"deal", "deal", 1099, "STAGE_SEMANTIC_ID", "s", bitrix24.SyncOptions{SkipHistory: true},
			`bitrix24: crm.deal.list: malformed response: row * (ID 1099): STAGE_SEMANTIC_ID: want P, S or F, got "s"`},
		{"lead", "lead", 2002, "STATUS_SEMANTIC_ID", "X", bitrix24.SyncOptions{SkipHistory: true},
			`bitrix24: crm.lead.list: malformed response: row * (ID 2002): STATUS_SEMANTIC_ID: want P, S or F, got "X"`},
		{"deal history", "history:2", 3001, "STAGE_SEMANTIC_ID", "WON", bitrix24.SyncOptions{},
			`bitrix24: crm.stagehistory.list: malformed response: row * (ID 3001): STAGE_SEMANTIC_ID: want P, S or F, got "WON"`},
		{"lead history", "history:1", 801, "STATUS_SEMANTIC_ID", " S", bitrix24.SyncOptions{},
			`bitrix24: crm.stagehistory.list: malformed response: row * (ID 801): STATUS_SEMANTIC_ID: want P, S or F, got " S"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t)
			if err := srv.Update(tc.entity, tc.id, func(r map[string]any) { r[tc.member] = tc.val }); err != nil {
				t.Fatal(err)
			}
			c, _ := newClient(t, srv)
			_, _, err := c.Events(context.Background(), tc.opts)
			// The row's place in its page depends on the fixture; its ID
			// names it.
			pre, post, _ := strings.Cut(tc.want, "*")
			if err == nil || !strings.HasPrefix(err.Error(), pre) || !strings.HasSuffix(err.Error(), post) {
				t.Errorf("got %v\nwant %s", err, tc.want)
			}
		})
	}
	t.Run("stage dictionary", func(t *testing.T) {
		srv := newServer(t)
		srv.UpdateAll("deal", func(r map[string]any) { delete(r, "STAGE_SEMANTIC_ID") })
		srv.UpdateAll("status", func(r map[string]any) {
			if r["STATUS_ID"] == "WON" {
				r["SEMANTICS"] = "Q"
			}
		})
		c, _ := newClient(t, srv)
		_, _, err := c.Events(context.Background(), bitrix24.SyncOptions{SkipHistory: true})
		if err == nil || !strings.Contains(err.Error(), `crm.status.list: malformed response: row `) ||
			!strings.HasSuffix(err.Error(), `: SEMANTICS: want P, S or F, got "Q"`) {
			t.Errorf("got %v", err)
		}
	})
}
