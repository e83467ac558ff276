package nats_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gknats "github.com/goalkit/goalkit/adapters/nats"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/nats-io/nats-server/v2/server"
	natsgo "github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// TestTenantAccounts runs two tenants in two NATS accounts, the
// configuration of docs/scale-out.md: one tenant's user sees nothing of the
// other's streams and buckets, and a wrong password is refused.
func TestTenantAccounts(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "nats.conf")
	err := os.WriteFile(conf, []byte(`
accounts {
  acme:   {jetstream: enabled, users: [{user: acme, password: apass}]}
  globex: {jetstream: enabled, users: [{user: globex, password: gpass}]}
}
`), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	opts, err := server.ProcessConfigFile(conf)
	if err != nil {
		t.Fatal(err)
	}
	opts.Host, opts.Port, opts.NoLog, opts.NoSigs = "127.0.0.1", -1, true, true
	opts.JetStream, opts.StoreDir = true, filepath.Join(dir, "js")
	s, err := server.NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	go s.Start()
	t.Cleanup(func() {
		s.Shutdown()
		s.WaitForShutdown()
	})
	if !s.ReadyForConnections(10 * time.Second) {
		t.Fatal("server not ready")
	}
	ctx := context.Background()
	as := func(user, password string) jetstream.JetStream {
		nc, err := natsgo.Connect(s.ClientURL(), natsgo.UserInfo(user, password))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(nc.Close)
		js, err := jetstream.New(nc)
		if err != nil {
			t.Fatal(err)
		}
		return js
	}
	acme, err := gknats.Create(ctx, as("acme", "apass"), gknats.Config{Tenant: "acme", Partitions: 2})
	if err != nil {
		t.Fatal(err)
	}
	if err := scaleout.Publish(ctx, acme, "b", time.Now(), workload(t, 100)); err != nil {
		t.Fatal(err)
	}
	globex := as("globex", "gpass")
	if _, err := gknats.Open(ctx, globex, "acme"); !errors.Is(err, jetstream.ErrStreamNotFound) {
		t.Fatalf("globex opened acme's tenant: %v", err)
	}
	// globex's own tenant of the same name is another one altogether.
	other, err := gknats.Create(ctx, globex, gknats.Config{Tenant: "acme", Partitions: 2})
	if err != nil {
		t.Fatal(err)
	}
	for p := range 2 {
		if end, err := other.End(ctx, p); err != nil || end != 0 {
			t.Fatalf("globex sees %d records of acme's partition %d (%v)", end, p, err)
		}
	}
	if _, err := natsgo.Connect(s.ClientURL(), natsgo.UserInfo("acme", "wrong")); err == nil || !strings.Contains(err.Error(), "Authorization Violation") {
		t.Fatalf("a wrong password: %v", err)
	}
}
