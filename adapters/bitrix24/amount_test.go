package bitrix24_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

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

// A value the portal sent that is not what the field takes is quoted in the
// error, cut to 64 bytes between characters as the engine's event errors
// cut theirs (it was cut to 40): the error is valid UTF-8 however the cut
// falls in Cyrillic text.
func TestBadValueQuotedBetweenCharacters(t *testing.T) {
	t.Parallel()
	srv, c := newPortal(t)
	if err := srv.Update("deal", 1037, func(r map[string]any) {
		r["OPPORTUNITY"] = "~~пятнадцать тысяч рублей ровно, без копеек"
	}); err != nil {
		t.Fatal(err)
	}
	_, _, err := c.Events(context.Background(), bitrix24.SyncOptions{})
	if err == nil || !errors.Is(err, bitrix24.ErrMalformed) {
		t.Fatalf("sync: %v, want a malformed response", err)
	}
	if want := `"~~пятнадцать тысяч рублей ровно, бе…"`; !utf8.ValidString(err.Error()) || !strings.Contains(err.Error(), want) {
		t.Errorf("error %q, want valid UTF-8 quoting %s", err, want)
	}
	// A user id that is not one is quoted the same way.
	err = c.NotifyUser(context.Background(), "~"+strings.Repeat("ю", 40), "hello")
	if want := `"~` + strings.Repeat("ю", 31) + `…"`; err == nil || !utf8.ValidString(err.Error()) || !strings.Contains(err.Error(), want) {
		t.Errorf("notify: %q, want valid UTF-8 quoting %s", err, want)
	}
}
