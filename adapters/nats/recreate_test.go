package nats_test

import (
	"context"
	"testing"
	"time"

	gknats "github.com/goalkit/goalkit/adapters/nats"
	"github.com/goalkit/goalkit/adapters/nats/natstest"
)

// TestCreateAgainKeepsTheLayout calls Create on a tenant that exists with
// another configuration, as a host that creates its tenant at every start
// with the defaults does: the lease TTL, fixed when the tenant was
// created, and the duplicate window stay what they were.
func TestCreateAgainKeepsTheLayout(t *testing.T) {
	ctx := context.Background()
	e := connect(t, natstest.Start(t, 1))
	cfg := gknats.Config{Tenant: "kept", Partitions: 2, Duplicates: 5 * time.Minute, LeaseTTL: time.Minute}
	if _, err := gknats.Create(ctx, e.js, cfg); err != nil {
		t.Fatal(err)
	}
	if _, err := gknats.Create(ctx, e.js, gknats.Config{Tenant: "kept", Partitions: 2}); err != nil {
		t.Fatal(err)
	}
	if d := e.streamInfo(t, "GOALKIT_kept_EVENTS").Config.Duplicates; d != cfg.Duplicates {
		t.Errorf("duplicate window %s, want %s", d, cfg.Duplicates)
	}
	if ttl := e.streamInfo(t, "KV_goalkit_kept_leases").Config.MaxAge; ttl != cfg.LeaseTTL {
		t.Errorf("lease TTL %s, want %s", ttl, cfg.LeaseTTL)
	}
}
