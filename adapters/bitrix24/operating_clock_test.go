package bitrix24_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/adapters/bitrix24/internal/rest"
)

// The operating_reset_at a portal reports is an instant of its clock: after
// OPERATION_TIME_LIMIT the client waits as long as the portal's clock
// takes to reach it, whatever the client's clock says. It was compared
// with the client's clock: a client an hour ahead of the portal took the
// reset as passed and came back again and again into the block on the
// short backoff; one an hour behind waited the ten-minute maximum for a
// three-minute block.
func TestOperatingLimitPortalClock(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		skew  time.Duration // the portal's clock less the client's
		batch bool          // the reset is learnt from a batch
	}{
		{"portal behind", -time.Hour, false},
		{"portal ahead", time.Hour, false},
		{"portal behind, batch", -time.Hour, true},
		{"portal ahead, batch", time.Hour, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t)
			c, clk := newClient(t, srv, bitrix24.WithMinInterval(0))
			portal := func() time.Time { return clk.Now().Add(tc.skew) }
			srv.SetClock(portal)
			until := portal().Add(3 * time.Minute)
			srv.Block("crm.activity.list", 1, until)
			if tc.batch {
				// The reset is learnt from a batch's command, which passes.
				if _, err := c.Batch(context.Background(), false, []rest.BatchCommand{{Key: "a", Method: "crm.activity.list"}}); err != nil {
					t.Fatal(err)
				}
				srv.Block("crm.activity.list", 0, until)
			}
			if _, err := c.Activities(context.Background(), rest.ListParams{Offset: true}); err != nil {
				t.Fatal(err)
			}
			// One wait: the three minutes to the reset on the portal's
			// clock, and the second the client adds to be past it.
			got := clk.Slept()
			if want := []time.Duration{3*time.Minute + time.Second}; len(got) != 1 || got[0] != want[0] {
				t.Errorf("waits %v, want %v", got, want)
			}
		})
	}
}
