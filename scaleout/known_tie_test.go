package scaleout_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/shopspring/decimal"
)

// A host whose Known has whole seconds publishes a deal and its
// correction made within the same second: a worker would apply the first
// and drop the correction (the rule: a version not newer than one applied
// is a copy). Records refuses such a batch, naming both versions; it
// encoded it, and the correction was lost without a word. An identical
// copy in the batch is still taken: the worker drops it, and nothing is
// lost.
func TestRecordsRefusesTwoVersionsKnownAtOnce(t *testing.T) {
	at := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	deal := func(amount int64) kpi.Event {
		return kpi.Event{ID: "deal-7", Kind: "won", Time: at, Actor: "anna", Known: at.Add(3 * time.Second),
			Amount: decimal.NewNullDecimal(decimal.New(amount, 0))}
	}
	other := kpi.Event{ID: "deal-8", Kind: "won", Time: at, Actor: "anna", Known: at.Add(3 * time.Second)}
	_, err := scaleout.Records("b", at, []kpi.Event{deal(100), other, deal(120)}, 3)
	if err == nil || !strings.Contains(err.Error(), `events 0 and 2: two versions of event "deal-7" known at the same instant 2025-03-10T12:00:03Z`) {
		t.Fatalf("two versions known at once: %v", err)
	}
	recs, err := scaleout.Records("b", at, []kpi.Event{deal(100), other, deal(100)}, 3)
	if err != nil || len(recs) != 3 {
		t.Fatalf("an identical copy: %d records, %v", len(recs), err)
	}
	// Versions known a nanosecond apart, or stamped by the publish, are
	// versions of their own.
	later := deal(120)
	later.Known = later.Known.Add(time.Nanosecond)
	unstamped := []kpi.Event{deal(100), later}
	unstamped[0].Known, unstamped[1].Known = time.Time{}, time.Time{}
	for _, evs := range [][]kpi.Event{{deal(100), later}, unstamped} {
		if _, err := scaleout.Records("b", at, evs, 3); err != nil {
			t.Fatal(err)
		}
	}
	// Nothing of a refused publish reaches the log.
	log := scaleout.NewMemoryLog(3)
	if err := scaleout.Publish(context.Background(), log, "b", at, []kpi.Event{deal(100), deal(120)}); err == nil {
		t.Fatal("Publish took two versions known at once")
	}
	for p := range 3 {
		if end, _ := log.End(context.Background(), p); end != 0 {
			t.Fatalf("partition %d holds %d records", p, end)
		}
	}
}
