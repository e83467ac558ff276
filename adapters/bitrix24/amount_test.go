package bitrix24_test

import (
	"bytes"
	"testing"

	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/adapters/eventfile"
)

// TestNoAmountNoCurrency checks that a deal or lead without an amount (a
// null or empty OPPORTUNITY; the portal still sends its CURRENCY_ID) gives
// events without a currency: a currency belongs to an amount, and the event
// files (the b24 command's output) refuse one without it.
func TestNoAmountNoCurrency(t *testing.T) {
	t.Parallel()
	srv, c := newPortal(t)
	for _, x := range []struct {
		entity string
		id     int64
		v      any
	}{{"deal", 1099, ""}, {"deal", 1037, nil}, {"lead", 0, ""}} {
		if x.id == 0 {
			srv.UpdateAll(x.entity, func(r map[string]any) { r["OPPORTUNITY"], r["CURRENCY_ID"] = x.v, "RUB" })
			continue
		}
		if err := srv.Update(x.entity, x.id, func(r map[string]any) { r["OPPORTUNITY"], r["CURRENCY_ID"] = x.v, "RUB" }); err != nil {
			t.Fatal(err)
		}
	}
	evs, _ := syncAll(t, c, bitrix24.SyncOptions{})
	var buf bytes.Buffer
	w := eventfile.NewWriter(&buf, eventfile.NDJSON, nil)
	checked := 0
	for i := range evs {
		e := &evs[i]
		if !e.Deleted && !e.Amount.Valid {
			if e.Currency != "" {
				t.Errorf("event %s: currency %q without an amount", e.ID, e.Currency)
			}
			checked++
		}
		if err := w.Write(e); err != nil {
			t.Errorf("event file: %v", err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	// The deals 1099 and 1037 (created and won) and every lead.
	if checked < 4 {
		t.Fatalf("only %d events without an amount", checked)
	}
}
