package nats_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	gknats "github.com/goalkit/goalkit/adapters/nats"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/shopspring/decimal"
)

// TestPartOverTheMaxPayload drains deals of 500 actors on a server whose
// maximum payload (8 KiB) holds every batch but not the part of the
// partition: the worker stops naming the part, its size, the limit and
// the max_payload to raise to, which is more than the limit and no more
// than the message of the whole partition's part; on a server of that
// message's size the events are drained. The error said only "part p0:
// nats: maximum payload exceeded", at every restart.
func TestPartOverTheMaxPayload(t *testing.T) {
	at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	var evs []kpi.Event
	for i := range 500 {
		evs = append(evs, kpi.Event{ID: fmt.Sprint("d", i), Kind: "deal_won", Time: at, Actor: fmt.Sprint("actor-", i),
			Amount: decimal.NewNullDecimal(decimal.New(1, 0))})
	}
	plan := goalkittest.CompilePlan(t, planYAML)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	drain := func(limit int32) (*gknats.Tenant, error) {
		tn := connect(t, maxPayloadServer(t, limit)).tenant(t, "bigpart", 1)
		publish(t, tn, "many", evs)
		w := &scaleout.Worker{Plan: plan, Log: tn, Store: tn.Store, Parts: tn.Parts(), Partitions: []int{0}, Drain: true}
		return tn, w.Run(ctx)
	}
	// The message of the whole partition's part: the offset (8 bytes) and
	// the part, with the header of the subject's expected last sequence
	// (20 digits at most).
	tn, err := drain(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	whole := 0
	if err := tn.Parts().Range(ctx, func(_ int, data []byte) error { whole = len(data); return nil }); err != nil {
		t.Fatal(err)
	}
	whole += 8 + len("NATS/1.0\r\n") + len("Nats-Expected-Last-Subject-Sequence: ") + 20 + len("\r\n") + len("\r\n")

	const limit = 8 << 10
	_, err = drain(limit)
	for _, want := range []string{"part p0: ", fmt.Sprintf("maximum payload of %d bytes", limit), "raise that max_payload to at least "} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("a part over the maximum payload: %v, want it to say %q", err, want)
		}
	}
	var need int
	if _, serr := fmt.Sscanf(err.Error()[strings.Index(err.Error(), "at least "):], "at least %d bytes", &need); serr != nil || need <= limit || need > whole {
		t.Fatalf("%v: the max_payload asked for is %d (%v), want more than %d and at most %d", err, need, serr, limit, whole)
	}
	if _, err := drain(int32(whole)); err != nil {
		t.Fatalf("on a server of a max_payload of %d bytes: %v", whole, err)
	}
}
