package bitrix24_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"testing"

	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/adapters/bitrix24/internal/rest"
	"pgregory.net/rapid"
)

// TestBatchMapsBackProperty sends batches of 1 to 50 commands under random
// keys, each reading one deal (crm.deal.get) or one user (user.get by ID),
// some of them ids the portal does not have, with and without halt, and
// checks each command's outcome against its own request: its own row, an
// error naming its key and method, or (after a halt, for the commands
// behind the first one that failed) not run.
func TestBatchMapsBackProperty(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c, _ := newClient(t, srv)
	deals := map[int64]bool{}
	for _, d := range must(c.Deals(context.Background(), rest.ListParams{})) {
		deals[d.ID] = true
	}
	users := map[int64]bool{1: true, 3: true, 4: true, 5: true, 6: true, 7: true, 8: true, 9: true, 10: true, 12: true} // user.get.json
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, rest.MaxBatch).Draw(t, "commands")
		keys := rapid.SliceOfNDistinct(rapid.StringMatching(`[A-Za-z0-9_-]{1,12}`), n, n, rapid.ID[string]).Draw(t, "keys")
		halt := rapid.Bool().Draw(t, "halt")
		type cmd struct {
			user bool
			id   int64
		}
		cmds := make([]cmd, n)
		batch := make([]rest.BatchCommand, n)
		for i := range cmds {
			cm := cmd{user: rapid.Bool().Draw(t, "user")}
			if cm.user {
				cm.id = rapid.Int64Range(1, 14).Draw(t, "user id")
				batch[i] = rest.BatchCommand{Key: keys[i], Method: "user.get", Params: map[string]any{"FILTER": map[string]any{"ID": cm.id}}}
			} else {
				cm.id = rapid.Int64Range(995, 1135).Draw(t, "deal id")
				batch[i] = rest.BatchCommand{Key: keys[i], Method: "crm.deal.get", Params: map[string]any{"id": cm.id}}
			}
			cmds[i] = cm
		}
		res, err := c.Batch(context.Background(), halt, batch)
		if err != nil {
			t.Fatal(err)
		}
		failed := false // a command before this one failed
		for i, cm := range cmds {
			key := keys[i]
			err := res.Err(key)
			if failed && halt {
				want := fmt.Sprintf("bitrix24: batch command %q (%s): not run: %v", key, batch[i].Method, bitrix24.ErrHalted)
				if err == nil || err.Error() != want || !errors.Is(err, bitrix24.ErrHalted) {
					t.Fatalf("command %d %q: %v, want %q", i, key, err, want)
				}
				continue
			}
			if !cm.user && !deals[cm.id] {
				failed = true
				want := fmt.Sprintf("bitrix24: batch command %q (crm.deal.get): Not found", key)
				if err == nil || err.Error() != want || !errors.Is(err, bitrix24.ErrNotFound) {
					t.Fatalf("command %d %q: %v, want %q", i, key, err, want)
				}
				continue
			}
			if err != nil {
				t.Fatalf("command %d %q: %v", i, key, err)
			}
			var got []int64
			if cm.user {
				var rows []struct{ ID string }
				if err := json.Unmarshal(res.Results[key], &rows); err != nil {
					t.Fatalf("command %q: %v", key, err)
				}
				for _, r := range rows {
					id, _ := strconv.ParseInt(r.ID, 10, 64)
					got = append(got, id)
				}
				if want := users[cm.id]; len(got) != map[bool]int{true: 1}[want] || (want && got[0] != cm.id) {
					t.Fatalf("command %q (user %d): users %v", key, cm.id, got)
				}
				continue
			}
			var row struct{ ID string }
			if err := json.Unmarshal(res.Results[key], &row); err != nil || row.ID != strconv.FormatInt(cm.id, 10) {
				t.Fatalf("command %q (deal %d): deal %q, %v", key, cm.id, row.ID, err)
			}
		}
	})
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
