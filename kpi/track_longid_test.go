package kpi_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// batchesStore is a TrackStore that loads the batches it was made with, as
// a host's store may hold them (a table edited by hand, a store written by
// an older version): the tracker checks them as it applies them.
type batchesStore struct{ batches []kpi.TrackBatch }

func (s *batchesStore) Commit(context.Context, *kpi.TrackBatch) error { return nil }

func (s *batchesStore) Load(_ context.Context, fn func(*kpi.TrackBatch) error) error {
	for i := range s.batches {
		if err := fn(&s.batches[i]); err != nil {
			return err
		}
	}
	return nil
}

// A stored event the tracker refuses is named by its id cut to 64 bytes:
// an id of 10,000 bytes made an error of 10,000 bytes (twice, with the
// table's own words), which a host's log carried whole.
func TestTrackerStoredEventQuotesLongIDCut(t *testing.T) {
	ctx := context.Background()
	set, req := callsOfMarch(t)
	long := strings.Repeat("x", 10_000)
	at := time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC)
	store := &batchesStore{batches: []kpi.TrackBatch{{Events: []kpi.Event{{ID: long, Actor: "anna", Time: at}}}}}
	_, err := set.Track(ctx, req, store)
	quoted := `"` + strings.Repeat("x", 64) + `…"`
	want := "restore tracker: stored event " + quoted + ": event " + quoted + " has no kind"
	if err == nil || err.Error() != want {
		t.Errorf("%.300v, want %s", err, want)
	}
}

// A version the replica cannot apply (a host's Rates that fails when the
// replica asks for the rate the writer had) is named by its id cut to 64
// bytes: an id of 10,000 bytes made an error of 10,000 bytes, which every
// later read returned.
func TestTrackerReplicaQuotesLongIDCut(t *testing.T) {
	ctx := context.Background()
	set, err := kpi.Compile([]kpi.IndicatorDef{{ID: "won", Kinds: []string{"deal"}, Aggregate: kpi.Sum, Value: "amount", Currency: "USD"}}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	var down atomic.Bool
	errDown := errors.New("the rates service is down")
	rates := kpi.RatesFunc(func(context.Context, string, string, date.Date) (decimal.Decimal, bool, error) {
		if down.Load() {
			return decimal.Decimal{}, false, errDown
		}
		return decimal.RequireFromString("1.1"), true, nil
	})
	_, req := callsOfMarch(t)
	req.Rates = rates
	tr, err := set.Track(ctx, req, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	kpi.ShareReads(tr)
	must(t)(tr.Result(ctx, time.Time{})) // the replica is built
	long := strings.Repeat("x", 10_000)
	at := time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC)
	if err := tr.Apply(ctx, kpi.Event{ID: long, Kind: "deal", Actor: "anna", Time: at,
		Amount: decimal.NewNullDecimal(decimal.NewFromInt(10)), Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	down.Store(true)
	_, err = tr.Result(ctx, time.Time{})
	quoted := `"` + strings.Repeat("x", 64) + `…"`
	want := "replica: event " + quoted + ": rate EUR/USD on 2025-03-03: the rates service is down"
	if !errors.Is(err, errDown) || err.Error() != want {
		t.Errorf("%.300v, want %s", err, want)
	}
}

// A stored event whose actor is org.Everyone ("*") is refused when the
// tracker replays it, naming the event, as Apply refuses it: a store
// written before Apply refused it (or by hand) held one, the tracker
// took it, and every report after failed with "participant "*" is both
// an actor and a group", naming no event.
func TestTrackerStoredEventOfEveryoneRefused(t *testing.T) {
	ctx := context.Background()
	set, req := callsOfMarch(t)
	at := time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		events []kpi.Event
		want   string // "": taken
	}{
		{[]kpi.Event{{ID: "e1", Kind: "call", Actor: "anna", Time: at}, {ID: "e2", Kind: "call", Actor: "*", Time: at}},
			`restore tracker: stored event "e2": event "e2": actor "*" is the whole company's row in reports, not an actor`},
		// A retraction's actor is not read.
		{[]kpi.Event{{ID: "e1", Kind: "call", Actor: "anna", Time: at}, {ID: "e1", Actor: "*", Deleted: true}}, ""},
	} {
		tr, err := set.Track(ctx, req, &batchesStore{batches: []kpi.TrackBatch{{Events: c.events}}})
		if c.want != "" {
			if err == nil || err.Error() != c.want {
				t.Errorf("%v, want %s", err, c.want)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		res := must(t)(tr.Result(ctx, time.Time{}))
		if rows := res.Rows(); len(rows) != 1 || rows[0].Participant != "*" || !rows[0].Value.Valid || rows[0].Value.Decimal.Sign() != 0 {
			t.Errorf("after a retraction: %+v, want the whole company's row of 0 calls", rows)
		}
		tr.Close()
	}
}
