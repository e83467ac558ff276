package nats_test

import (
	"context"
	"strings"
	"testing"
	"time"

	gknats "github.com/goalkit/goalkit/adapters/nats"
	"github.com/goalkit/goalkit/adapters/nats/natstest"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/shopspring/decimal"
)

// TestPartsOfAStreamMadeAgain drains three deals of 1 into the parts,
// deletes the events stream and makes it again (Create), as an operator
// who starts the log over does, and publishes one deal of 100 to it. The
// merged read is refused, naming the partition, the part's offset and the
// end of the new stream: it merged the old parts, a won sum of 3 for
// events the log no longer holds and without the new one, for as long as
// no worker ran (and after, since the worker refuses its store and leaves
// the old part in place).
func TestPartsOfAStreamMadeAgain(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	e, tn := oldStream(t, "again", wonDeal("a", 1), wonDeal("b", 1), wonDeal("c", 1))
	plan := goalkittest.CompilePlan(t, planYAML)
	drainedWonSum(ctx, t, plan, tn, "3")

	tn = e.remade(ctx, t, "again", wonDeal("d", 100))
	_, err := plan.Evaluate(ctx, tn.Source(), asOf)
	want := "the part of partition 0 was made at offset 3, past the end of the log's partition (offset 1)"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("merged read: %v, want an error containing %q", err, want)
	}
}

// TestPartsOfAStreamMadeAgainPastTheirOffset: as TestPartsOfAStreamMadeAgain,
// but the new stream has passed the part's offset (four deals of 100): the
// offsets cannot tell, and the merged read is refused by the stream's
// identity, naming both; it merged the old part, a won sum of 3 where the
// stream holds 400.
func TestPartsOfAStreamMadeAgainPastTheirOffset(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	e, tn := oldStream(t, "passed", wonDeal("a", 1), wonDeal("b", 1), wonDeal("c", 1))
	plan := goalkittest.CompilePlan(t, planYAML)
	drainedWonSum(ctx, t, plan, tn, "3")
	old, err := tn.Identity(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	tn = e.remade(ctx, t, "passed", wonDeal("d", 100), wonDeal("e", 100), wonDeal("f", 100), wonDeal("g", 100))
	now, err := tn.Identity(ctx, 0)
	if err != nil || now == old {
		t.Fatalf("the new stream's identity: %q, %v; the old one's %q", now, err, old)
	}
	_, err = plan.Evaluate(ctx, tn.Source(), asOf)
	want := "the part of partition 0 was made from the log's partition as it was (identity " + old + "), and the log's partition is now another (identity " + now + ")"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("merged read: %v, want an error containing %q", err, want)
	}
}

// TestRunningWorkerOfAStreamMadeAgain runs a worker that has read three
// deals, deletes the events stream and makes it again, and publishes one
// deal to it: the worker stops, naming the offset it read to and the end
// of the new stream, as a worker restarted on it does. It waited for the
// new stream to pass the offset it had read to, and then went on from
// there, skipping the records before it.
func TestRunningWorkerOfAStreamMadeAgain(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	e, tn := oldStream(t, "running", wonDeal("a", 1), wonDeal("b", 1), wonDeal("c", 1))
	plan := goalkittest.CompilePlan(t, planYAML)
	w := &scaleout.Worker{Plan: plan, Log: tn, Store: tn.Store, Parts: tn.Parts(), Partitions: []int{0}, PartEvery: time.Millisecond}
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	for {
		rep, err := plan.Evaluate(ctx, tn.Source(), asOf)
		if err == nil {
			if v, _ := rep.Values.Value("won_sum", "1", plan.Periods()[0]); v.Decimal.String() == "3" {
				break
			}
		}
		select {
		case err := <-done:
			t.Fatalf("the worker stopped: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	e.remade(ctx, t, "running", wonDeal("d", 100))
	select {
	case err := <-done:
		want := "past the end of the subject (offset 1)"
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("the worker: %v, want an error containing %q", err, want)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the worker still runs 20 s after its stream was made again")
	}
}

// TestPartsBesideAnotherLog merges the parts a NATS tenant keeps for
// workers of another log (Kafka's, here a memory log), as docs/scale-out.md
// shows: the tenant's own events stream, empty, is not the end the parts
// are checked against.
func TestPartsBesideAnotherLog(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	stores := connect(t, natstest.Start(t, 1)).tenant(t, "beside", 1)
	plan := goalkittest.CompilePlan(t, planYAML)
	at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	other := scaleout.NewMemoryLog(1)
	if err := scaleout.Publish(ctx, other, "b", at, []kpi.Event{
		{ID: "a", Kind: "deal_won", Time: at, Actor: "1", Amount: decimal.NewNullDecimal(decimal.New(2, 0))},
		{ID: "b", Kind: "deal_won", Time: at, Actor: "1", Amount: decimal.NewNullDecimal(decimal.New(3, 0))},
	}); err != nil {
		t.Fatal(err)
	}
	w := &scaleout.Worker{Plan: plan, Log: other, Store: stores.Store, Parts: stores.Parts(), Partitions: []int{0}, Drain: true}
	if err := w.Run(ctx); err != nil {
		t.Fatal(err)
	}
	rep, err := plan.Evaluate(ctx, &scaleout.Source{Log: other, Parts: stores.Parts()}, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := rep.Values.Value("won_sum", "1", plan.Periods()[0]); v.Decimal.String() != "5" {
		t.Fatalf("won_sum of actor 1 = %s, want 5", v.Decimal)
	}
}

// TestWorkerOfAStreamMadeAgainPastItsOffset drains two deals of 1, deletes
// the events stream and makes it again, and publishes five deals of 100
// to it, past the offset the store committed: a worker restarted on the
// store stops, naming the offset and the two streams' creation times. It
// read on from offset 3, skipping the new stream's first two deals, a won
// sum of 302 where the new log holds 500.
func TestWorkerOfAStreamMadeAgainPastItsOffset(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	e, tn := oldStream(t, "past", wonDeal("a", 1), wonDeal("b", 1))
	plan := goalkittest.CompilePlan(t, planYAML)
	drainedWonSum(ctx, t, plan, tn, "2")
	old, err := tn.Identity(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}

	tn = e.remade(ctx, t, "past", wonDeal("c", 100), wonDeal("d", 100), wonDeal("e", 100), wonDeal("f", 100), wonDeal("g", 100))
	now, err := tn.Identity(ctx, 0)
	if err != nil || now == old {
		t.Fatalf("the stream made again has identity %q (%v), the old one %q", now, err, old)
	}
	w := &scaleout.Worker{Plan: plan, Log: tn, Store: tn.Store, Parts: tn.Parts(), Partitions: []int{0}, Drain: true}
	err = w.Run(ctx)
	want := "partition 0: the store has committed up to offset 2 of the log's partition as it was (identity " + old + "), and the log's partition is now another (identity " + now + "): it was deleted and made again"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("the worker: %v, want an error containing %q", err, want)
	}
}

// wonDeal is a deal of actor 1 won on 1 March 2025 for amount, the
// remade tests' event.
func wonDeal(id string, amount int64) kpi.Event {
	at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	return kpi.Event{ID: id, Kind: "deal_won", Time: at, Actor: "1", Amount: decimal.NewNullDecimal(decimal.New(amount, 0))}
}

// oldStream starts a server, makes tenant name of one partition and
// publishes deals to its events stream, the stream the remade tests then
// delete.
func oldStream(t *testing.T, name string, deals ...kpi.Event) (*env, *gknats.Tenant) {
	t.Helper()
	e := connect(t, natstest.Start(t, 1))
	tn := e.tenant(t, name, 1)
	publish(t, tn, "old", deals)
	return e, tn
}

// remade deletes the events stream of tenant name (of one partition) and
// makes it again, as an operator who starts the log over does, and
// publishes deals to it: the remade tests' reset.
func (e *env) remade(ctx context.Context, t *testing.T, name string, deals ...kpi.Event) *gknats.Tenant {
	t.Helper()
	if err := e.js.DeleteStream(ctx, "GOALKIT_"+name+"_EVENTS"); err != nil {
		t.Fatal(err)
	}
	tn, err := gknats.Create(ctx, e.js, gknats.Config{Tenant: name, Partitions: 1})
	if err != nil {
		t.Fatal(err)
	}
	publish(t, tn, "new", deals)
	return tn
}
