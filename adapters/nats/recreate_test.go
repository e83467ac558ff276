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

// A negative number of replicas, duplicate window or lease TTL is refused
// before anything of the tenant is made: negative replicas were taken for
// one, and a negative window or TTL was refused by the server after the
// streams (and, for the TTL, the other buckets) were made.
func TestCreateRefusesNegatives(t *testing.T) {
	ctx := context.Background()
	e := connect(t, natstest.Start(t, 1))
	for _, c := range []struct {
		cfg  gknats.Config
		want string
	}{
		{gknats.Config{Tenant: "r", Partitions: 1, Replicas: -1}, "tenant r: replicas must not be negative (0: 1), got -1"},
		{gknats.Config{Tenant: "d", Partitions: 1, Duplicates: -time.Second}, "tenant d: the duplicate window must not be negative (0: two minutes), got -1s"},
		{gknats.Config{Tenant: "l", Partitions: 1, LeaseTTL: -time.Second}, "tenant l: the lease TTL must not be negative (0: 10 seconds), got -1s"},
	} {
		if _, err := gknats.Create(ctx, e.js, c.cfg); err == nil || err.Error() != c.want {
			t.Fatalf("%+v: %v, want %q", c.cfg, err, c.want)
		}
		for _, name := range []string{"GOALKIT_" + c.cfg.Tenant + "_EVENTS", "GOALKIT_" + c.cfg.Tenant + "_STATE"} {
			if _, err := e.js.Stream(ctx, name); err == nil {
				t.Fatalf("%+v: refused, yet stream %s was made", c.cfg, name)
			}
		}
	}
}
