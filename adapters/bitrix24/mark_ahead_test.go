package bitrix24_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/kpi"
)

// A watermark whose modified time is past the portal's clock (by more than
// an hour) fails the sync, naming the mark and the portal's clock: the
// portal's clock was set ahead when the last sync read it, and is right
// again. The sync read nothing, kept the mark, and every change made
// before that date went unread, run after run, without a word.
func TestSyncMarkAheadOfPortal(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c, _ := newClient(t, srv)
	_, wm := syncAll(t, c, bitrix24.SyncOptions{Tasks: true})
	ahead := exportTime.AddDate(1, 0, 0)
	for _, tc := range []struct {
		field string
		set   func(*bitrix24.Watermark)
	}{
		{"deal_modified", func(w *bitrix24.Watermark) { w.DealModified = ahead }},
		{"lead_modified", func(w *bitrix24.Watermark) { w.LeadModified = ahead }},
		{"activity_modified", func(w *bitrix24.Watermark) { w.ActivityModified = ahead }},
		{"task_modified", func(w *bitrix24.Watermark) { w.TaskModified = ahead }},
	} {
		w := wm
		tc.set(&w)
		_, err := c.Sync(context.Background(), bitrix24.SyncOptions{Since: w, Tasks: true}, func(kpi.Event) error { return nil })
		if err == nil || !strings.Contains(err.Error(), "watermark "+tc.field+" "+ahead.Format(time.RFC3339)) || !strings.Contains(err.Error(), "portal's clock") {
			t.Errorf("%s a year ahead: %v", tc.field, err)
		}
	}
	// A mark within the hour, a host's clock a little ahead of the
	// portal's, is taken.
	w := bitrix24.ModifiedSince(exportTime.Add(30 * time.Minute))
	if _, _, err := c.Events(context.Background(), bitrix24.SyncOptions{Since: w, Tasks: true}); err != nil {
		t.Errorf("a mark half an hour ahead: %v", err)
	}
}
