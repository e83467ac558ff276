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

// TestAccountMaxPayload runs a tenant in an account whose max_payload (64
// KiB) is under the server's (1 MB): a record that fits the server's but
// not the account's is refused by Append, naming the account's limit and
// where to raise it, and records of 5 KB each, 300 of them, are drained in
// batches that fit the account's limit.
func TestAccountMaxPayload(t *testing.T) {
	const limit = 64 << 10
	url := startConfigured(t, fmt.Sprintf(`
accounts {
  acme: {jetstream: enabled, users: [{user: acme, password: apass}], limits: {max_payload: %d}}
}
`, limit))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	tn, err := gknats.Create(ctx, connectAs(t, url, "acme", "apass"), gknats.Config{Tenant: "acme", Partitions: 1})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	deal := func(id string) kpi.Event {
		return kpi.Event{ID: id, Kind: "deal_won", Time: at, Actor: "1", Amount: decimal.NewNullDecimal(decimal.New(1, 0))}
	}
	big := deal("big")
	big.Attrs = map[string]any{"note": strings.Repeat("x", 100_000)}
	recs, err := scaleout.Records("big", at, []kpi.Event{big}, 1)
	if err != nil {
		t.Fatal(err)
	}
	err = tn.Append(ctx, recs)
	for _, want := range []string{fmt.Sprintf("maximum payload of %d bytes", limit), "the account's"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("a record over the account's max_payload: %v, want it to say %q", err, want)
		}
	}
	var evs []kpi.Event
	for i := range 300 {
		evs = append(evs, deal(fmt.Sprintf("%s-%d", strings.Repeat("x", 5000), i)))
	}
	publish(t, tn, "many", evs)
	drainedWonSum(ctx, t, goalkittest.CompilePlan(t, planYAML), tn, "300")
}
