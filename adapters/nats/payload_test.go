package nats_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	gknats "github.com/goalkit/goalkit/adapters/nats"
	"github.com/goalkit/goalkit/adapters/nats/natstest"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/shopspring/decimal"
)

// TestBatchesFitTheMaxPayload drains records of 5 KB each, 300 of
// them, on a server of the default maximum payload (1 MB), and on one of
// 256 KiB: each batch is one message of the state stream and fits. The
// worker committed them in one batch of 1.5 MB, which the server refused
// ("maximum payload exceeded"), at every restart; and, with the 512 KiB
// of records' data a batch held, on a server of a smaller maximum payload
// still (the store now says its limit, scaleout.BatchLimiter).
func TestBatchesFitTheMaxPayload(t *testing.T) {
	for _, payload := range []int32{0, 256 << 10} {
		t.Run(fmt.Sprint("max_payload ", payload), func(t *testing.T) {
			e := connect(t, maxPayloadServer(t, payload))
			tn := e.tenant(t, "payload", 1)
			plan := goalkittest.CompilePlan(t, planYAML)
			at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
			var evs []kpi.Event
			for i := range 300 {
				evs = append(evs, kpi.Event{ID: fmt.Sprintf("%s-%d", strings.Repeat("x", 5000), i), Kind: "deal_won", Time: at, Actor: "1",
					Amount: decimal.NewNullDecimal(decimal.New(1, 0))})
			}
			publish(t, tn, "big", evs)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			drainedWonSum(ctx, t, plan, tn, "300")
		})
	}
}

// drainedWonSum drains partition 0 of tn with one worker and checks
// won_sum of actor 1 in the plan's first period, merged from the parts.
func drainedWonSum(ctx context.Context, t *testing.T, plan *goalkit.Plan, tn *gknats.Tenant, want string) {
	t.Helper()
	w := &scaleout.Worker{Plan: plan, Log: tn, Store: tn.Store, Parts: tn.Parts(), Partitions: []int{0}, Drain: true}
	if err := w.Run(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := plan.Evaluate(ctx, tn.Source(), asOf)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := got.Values.Value("won_sum", "1", plan.Periods()[0]); v.Decimal.String() != want {
		t.Fatalf("won_sum of actor 1 = %s, want %s", v.Decimal, want)
	}
}

// A record whose data fits a message of the servers' default maximum
// payload (1 MB) but whose worker's batch does not (the batch adds its
// JSON, the worker's position and a header) is refused by Append, naming
// it, and nothing is appended; one that fits a batch to the byte, at any
// position, is drained. The largest record was appended, and its worker
// failed its commit ("maximum payload exceeded") at every restart.
func TestRecordThatNoBatchHolds(t *testing.T) {
	c := natstest.Start(t, 1)
	e := connect(t, c)
	tn := e.tenant(t, "onebatch", 1)
	plan := goalkittest.CompilePlan(t, planYAML)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	const limit = 1 << 20 // the servers' default
	if got := e.js.Conn().MaxPayload(); got != limit {
		t.Fatalf("the server's maximum payload is %d, want the default %d", got, limit)
	}
	// A commit of one record: its data inside the batch's JSON, with the
	// worker's position (20 digits at most, a space and the stream's
	// creation time, base64 in JSON), published with a header that
	// expects the subject's last sequence.
	pos := len("18446744073709551615 2006-01-02T15:04:05.999999999Z")
	batch := len(`{"events":[`) + len(`],"closed":[{"Key":"scaleout.pos","Data":"`) + base64.StdEncoding.EncodedLen(pos) + len(`"}]}`) +
		len("NATS/1.0\r\n") + len("Nats-Expected-Last-Subject-Sequence: ") + 20 + len("\r\n") + len("\r\n")
	at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	event := func(id string, size int) kpi.Event {
		e := kpi.Event{ID: id, Kind: "deal_won", Time: at, Actor: "1", Amount: decimal.NewNullDecimal(decimal.New(1, 0)), Known: at,
			Attrs: map[string]any{"note": ""}}
		data, err := scaleout.EncodeEvent(&e)
		if err != nil {
			t.Fatal(err)
		}
		e.Attrs["note"] = strings.Repeat("x", size-len(data))
		if data, _ := scaleout.EncodeEvent(&e); len(data) != size {
			t.Fatalf("an event of %d bytes, want %d", len(data), size)
		}
		return e
	}
	recs, err := scaleout.Records("too-big", at, []kpi.Event{event("small", 300), event("big", limit-batch+1)}, 1)
	if err != nil {
		t.Fatal(err)
	}
	err = tn.Append(ctx, recs)
	if err == nil || !strings.Contains(err.Error(), `(event "big")`) || !strings.Contains(err.Error(), fmt.Sprint(limit+1, " bytes")) {
		t.Fatalf("Append of a record no batch holds: %v", err)
	}
	if end, err := tn.End(ctx, 0); err != nil || end != 0 {
		t.Fatalf("after the refused append the partition ends at %d (%v), want 0", end, err)
	}
	if err := scaleout.Publish(ctx, tn, "just-fits", at, []kpi.Event{event("big", limit-batch)}); err != nil {
		t.Fatal(err)
	}
	drainedWonSum(ctx, t, plan, tn, "1")

	// A log of another system (Kafka takes records up to its own limit,
	// 1 MB by default) that holds such a record: the worker over the
	// tenant's stores stops at its commit, skipping nothing, and says
	// which event and what the operator must do. It said only "maximum
	// payload exceeded", at every restart.
	const size = limit - 20
	recs, err = scaleout.Records("too-big", at, []kpi.Event{event("small", 300), event("big", size)}, 1)
	if err != nil {
		t.Fatal(err)
	}
	other := scaleout.NewMemoryLog(1)
	if err := other.Append(ctx, recs); err != nil {
		t.Fatal(err)
	}
	stores := e.tenant(t, "otherlog", 1)
	w := &scaleout.Worker{Plan: plan, Log: other, Store: stores.Store, Parts: stores.Parts(), Partitions: []int{0}, Drain: true}
	err = w.Run(ctx)
	for _, want := range []string{`event "big"`, "no record was skipped", fmt.Sprintf("raise that max_payload to at least %d bytes", size+batch)} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("a worker over a log that took the record: %v, want it to say %s", err, want)
		}
	}
}

// maxPayloadServer starts a JetStream server whose max_payload is limit
// (0: the server's default) as a cluster of one; it shuts down when the
// test ends.
func maxPayloadServer(t *testing.T, limit int32) *natstest.Cluster {
	t.Helper()
	srv, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, NoLog: true, NoSigs: true, JetStream: true, StoreDir: t.TempDir(),
		MaxPayload: limit})
	if err != nil {
		t.Fatal(err)
	}
	go srv.Start()
	t.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
	if !srv.ReadyForConnections(30 * time.Second) {
		t.Fatal("the server is not ready")
	}
	return &natstest.Cluster{Servers: []*server.Server{srv}}
}
