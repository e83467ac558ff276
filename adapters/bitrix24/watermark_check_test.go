package bitrix24_test

import (
	"context"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/kpi"
)

// A damaged id listing in the watermark (a state file edited by hand, or
// cut short) fails the sync before its first request, naming the listing.
// It was found only when the sync came to it, after every deal (and for
// the activities' listing, every lead and activity) had been read and
// their events handed on, and the error did not say which of the three it
// was.
func TestSyncDamagedListingNamed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		wm   bitrix24.Watermark
		name string
	}{
		{bitrix24.Watermark{DealIDs: "1-3,x"}, "deal_ids"},
		{bitrix24.Watermark{DealIDs: "1-3", LeadIDs: "5,4"}, "lead_ids"},
		{bitrix24.Watermark{ActivityIDs: "0"}, "activity_ids"},
		// A negative counter no sync writes: it was taken as none and the
		// history (or time-tracking) scan it counts skipped without a word.
		{bitrix24.Watermark{DealHistory: -1}, "deal_history"},
		{bitrix24.Watermark{DealHistory: 3, LeadHistory: -5}, "lead_history"},
		{bitrix24.Watermark{ElapsedID: -1}, "elapsed_id"},
	} {
		for _, deletions := range []bool{true, false} {
			srv := newServer(t)
			c, _ := newClient(t, srv, bitrix24.WithMinInterval(0))
			events := 0
			_, err := c.Sync(context.Background(), bitrix24.SyncOptions{Since: tc.wm, Deletions: deletions}, func(kpi.Event) error {
				events++
				return nil
			})
			if err == nil || !strings.Contains(err.Error(), "watermark "+tc.name+": ") {
				t.Errorf("%s, deletions %v: got %v, want an error naming %s", tc.name, deletions, err, tc.name)
			}
			if n := len(srv.Requests()); n != 0 || events != 0 {
				t.Errorf("%s, deletions %v: %d requests and %d events before the error", tc.name, deletions, n, events)
			}
		}
	}
}

// Check names a damaged listing as Sync does, for a host that reads the
// watermark from a file and would name the file too; a valid one, or
// none, passes.
func TestWatermarkCheck(t *testing.T) {
	for _, tc := range []struct {
		wm   bitrix24.Watermark
		want string // "" for no error
	}{
		{bitrix24.Watermark{}, ""},
		{bitrix24.Watermark{DealIDs: "1-3,7", LeadIDs: "-", ActivityIDs: "2"}, ""},
		{bitrix24.Watermark{DealIDs: "1-3,x"}, "bitrix24: watermark deal_ids: "},
		{bitrix24.Watermark{DealIDs: "1-3", LeadIDs: "5,4"}, "bitrix24: watermark lead_ids: "},
		{bitrix24.Watermark{ActivityIDs: "0"}, "bitrix24: watermark activity_ids: "},
		{bitrix24.Watermark{ElapsedIDs: "3-1"}, "bitrix24: watermark elapsed_ids: "},
		{bitrix24.Watermark{TaskIDs: "x"}, "bitrix24: watermark task_ids: "},
		{bitrix24.Watermark{DealHistory: -1}, "bitrix24: watermark deal_history: -1 is negative"},
		{bitrix24.Watermark{LeadHistory: -2}, "bitrix24: watermark lead_history: -2 is negative"},
		{bitrix24.Watermark{ElapsedID: -3}, "bitrix24: watermark elapsed_id: -3 is negative"},
		{bitrix24.Watermark{DealHistory: 9, LeadHistory: 4, ElapsedID: 2}, ""},
	} {
		err := tc.wm.Check()
		if (tc.want == "") != (err == nil) || (err != nil && !strings.HasPrefix(err.Error(), tc.want)) {
			t.Errorf("%+v: got %v, want %q", tc.wm, err, tc.want)
		}
	}
}
