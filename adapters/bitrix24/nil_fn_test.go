package bitrix24_test

import (
	"context"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/adapters/bitrix24"
)

// Sync with a nil function is refused before its first request, naming
// it; it read the portal and panicked at the first event.
func TestSyncNilFunc(t *testing.T) {
	t.Parallel()
	srv, c := newPortal(t)
	srv.ResetLog()
	wm := bitrix24.ModifiedSince(exportTime)
	got, err := c.Sync(context.Background(), bitrix24.SyncOptions{Since: wm}, nil)
	if err == nil || !strings.Contains(err.Error(), "nil") {
		t.Errorf("Sync(nil): %v", err)
	}
	if got != wm {
		t.Errorf("watermark %+v, want the one given", got)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests", n)
	}
}
