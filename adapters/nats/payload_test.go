package nats_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/nats/natstest"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/shopspring/decimal"
)

// TestBatchesFitTheDefaultPayload drains records of 5 KB each, 300 of
// them, on a server of the default maximum payload (1 MB; natstest's
// servers allow 8 MB): each batch is one message of the state stream and
// fits. The worker committed them in one batch of 1.5 MB, which the
// server refused ("maximum payload exceeded"), at every restart.
func TestBatchesFitTheDefaultPayload(t *testing.T) {
	srv, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, NoLog: true, NoSigs: true, JetStream: true, StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	go srv.Start()
	t.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
	if !srv.ReadyForConnections(30 * time.Second) {
		t.Fatal("the server is not ready")
	}
	e := connect(t, &natstest.Cluster{Servers: []*server.Server{srv}})
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
	w := &scaleout.Worker{Plan: plan, Log: tn, Store: tn.Store, Parts: tn.Parts(), Partitions: []int{0}, Drain: true}
	if err := w.Run(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := plan.Evaluate(ctx, tn.Source(), asOf)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := got.Values.Value("won_sum", "1", plan.Periods()[0]); v.Decimal.String() != "300" {
		t.Fatalf("won_sum of actor 1 = %s, want 300", v.Decimal)
	}
}
