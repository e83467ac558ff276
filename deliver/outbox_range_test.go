package deliver_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/deliver"
)

// The SQLite outbox keeps instants as Unix nanoseconds: one outside their
// range (1677 to 2262) is refused, naming it, where it was kept wrapped
// round (2300 read back as 1715, the message due at once, its retries
// without backoff); an instant inside it near the end reads back as it
// was, and a query at an instant past the end finds what is due.
func TestSQLiteOutboxInstantsOutOfRange(t *testing.T) {
	ctx := context.Background()
	ob := openOutbox(t, t.TempDir())
	far := time.Date(2300, 3, 29, 18, 0, 0, 0, time.UTC)
	late := time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC)
	msg := func(id string, at time.Time) deliver.Message {
		return deliver.Message{ID: id, Key: "k" + id, Kind: "achieved", Channel: "hook", To: deliver.Recipient{User: "anna"}, Created: at, Text: "x"}
	}
	err := ob.Add(ctx, nil, []deliver.Message{msg("far", far)})
	if err == nil || !strings.Contains(err.Error(), "message far: created: instant 2300-03-29T18:00:00Z is outside what the outbox keeps (1677-09-21 to 2262-04-11)") {
		t.Errorf("a message created in 2300: %v", err)
	}
	err = ob.Add(ctx, []deliver.RoutedKey{{Key: "old", At: time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC)}}, nil)
	if err == nil || !strings.Contains(err.Error(), "key old: instant 1600-01-01T00:00:00Z is outside") {
		t.Errorf("a key routed in 1600: %v", err)
	}
	if got, err := ob.Routed(ctx, []string{"old", "kfar"}); err != nil || len(got) != 0 {
		t.Errorf("a refused Add kept %v (%v)", got, err)
	}

	if err := ob.Add(ctx, nil, []deliver.Message{msg("late", late)}); err != nil {
		t.Fatal(err)
	}
	due, err := ob.Due(ctx, far, 10)
	if err != nil || len(due) != 1 || !due[0].Next.Equal(late) {
		t.Fatalf("due in 2300: %+v %v", due, err)
	}
	if err := ob.Begin(ctx, "late", far); err == nil || !strings.Contains(err.Error(), "late: next attempt: instant 2300-03-29T18:00:00Z is outside") {
		t.Errorf("an attempt due again in 2300: %v", err)
	}
	next := late.Add(time.Hour)
	if err := ob.Begin(ctx, "late", next); err != nil {
		t.Fatal(err)
	}
	if err := ob.Fail(ctx, "late", far, false, "503"); err == nil || !strings.Contains(err.Error(), "outside") {
		t.Errorf("a failure due again in 2300: %v", err)
	}
	es, err := ob.Entries(ctx, deliver.Sending)
	if err != nil || len(es) != 1 || !es[0].Next.Equal(next) {
		t.Fatalf("after the refusals: %+v %v", es, err)
	}
	if err := ob.Sent(ctx, "late", far); err == nil || !strings.Contains(err.Error(), "outside") {
		t.Errorf("sent in 2300: %v", err)
	}
	if err := ob.Sent(ctx, "late", next); err != nil {
		t.Fatal(err)
	}
	if es, err := ob.Entries(ctx, deliver.Sent); err != nil || len(es) != 1 || !es[0].SentAt.Equal(next) {
		t.Errorf("sent: %+v %v", es, err)
	}
}
