package kpi_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// passes is a host's Source that passes its events as they are, in order,
// repeats included (a host table without a unique id).
type passes []kpi.Event

func (ps passes) Scan(ctx context.Context, q kpi.Query, fn func(*kpi.Event) error) error {
	for i := range ps {
		if err := fn(&ps[i]); err != nil {
			return err
		}
	}
	return nil
}

// A Source that passes one event id twice fails the snapshot, naming the
// id: the second row replaced the first without a word, so a report
// scanned counted one deal where a pushed aggregate (sqlcore) counted two.
func TestSnapshotRefusesAnIDPassedTwice(t *testing.T) {
	at := time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)
	deal := func(id string, amount int64) kpi.Event {
		return kpi.Event{ID: id, Kind: "deal.won", Time: at, Actor: "anna", Amount: decimal.NewNullDecimal(decimal.New(amount, 0)), Currency: "RUB"}
	}
	read := func(src kpi.Source) (int, error) {
		n := 0
		err := kpi.Snapshot(context.Background(), src, time.UTC, kpi.Query{}, func(tab *kpi.Table) error {
			n = tab.Len()
			return nil
		})
		return n, err
	}
	if _, err := read(passes{deal("d1", 100), deal("d2", 50), deal("d1", 100)}); err == nil ||
		err.Error() != `source: event "d1" passed twice (a Source passes the current version of each live event once)` {
		t.Fatalf("an id passed twice: %v", err)
	}
	// Once each, every event is read.
	if n, err := read(passes{deal("d1", 100), deal("d2", 50), deal("d3", 70)}); err != nil || n != 3 {
		t.Fatalf("ids once each: %d events, %v", n, err)
	}
}

// nilPasser is a host's Source that passes a nil event after its first.
type nilPasser []kpi.Event

func (ps nilPasser) Scan(ctx context.Context, q kpi.Query, fn func(*kpi.Event) error) error {
	if err := fn(&ps[0]); err != nil {
		return err
	}
	return fn(nil)
}

// A Source that passes a nil event fails the snapshot with an error that
// says so; it panicked inside the table.
func TestSnapshotRefusesANilEvent(t *testing.T) {
	src := nilPasser{{ID: "d1", Kind: "deal.won", Time: time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC), Actor: "anna"}}
	err := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("panic: %v", r)
			}
		}()
		return kpi.Snapshot(context.Background(), src, time.UTC, kpi.Query{}, func(*kpi.Table) error { return nil })
	}()
	if err == nil || err.Error() != "source: a nil event passed (a Source passes an event to each call)" {
		t.Fatalf("a nil event: %v", err)
	}
}
