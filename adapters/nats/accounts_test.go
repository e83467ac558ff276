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
	url := startConfigured(t, `
accounts {
  acme:   {jetstream: enabled, users: [{user: acme, password: apass}]}
  globex: {jetstream: enabled, users: [{user: globex, password: gpass}]}
}
`)
	ctx := context.Background()
	as := func(user, password string) jetstream.JetStream { return connectAs(t, url, user, password) }
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
	if _, err := natsgo.Connect(url, natsgo.UserInfo("acme", "wrong")); err == nil || !strings.Contains(err.Error(), "Authorization Violation") {
		t.Fatalf("a wrong password: %v", err)
	}
}

// startConfigured starts a JetStream server with the configuration conf
// and returns its client URL; it shuts down when the test ends.
func startConfigured(t *testing.T, conf string) string {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "nats.conf")
	if err := os.WriteFile(file, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	opts, err := server.ProcessConfigFile(file)
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
	return s.ClientURL()
}

// connectAs connects to url as user; the connection closes when the test
// ends.
func connectAs(t *testing.T, url, user, password string) jetstream.JetStream {
	t.Helper()
	nc, err := natsgo.Connect(url, natsgo.UserInfo(user, password))
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
