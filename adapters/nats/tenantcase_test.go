package nats_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	gknats "github.com/goalkit/goalkit/adapters/nats"
	"github.com/goalkit/goalkit/adapters/nats/natstest"
	"github.com/nats-io/nats.go/jetstream"
)

// Tenant names that differ only in case are not made into two tenants:
// Create refuses a new tenant whose name has capitals and makes nothing;
// a tenant whose events stream exists under such a name (made by an
// earlier release) is taken as it is spelled. "Acme" beside "acme" made
// streams of their own, which a server on a file system that ignores case
// keeps in one directory.
func TestTenantNamesInOneCase(t *testing.T) {
	e := connect(t, natstest.Start(t, 1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	e.tenant(t, "acme", 1)
	_, err := gknats.Create(ctx, e.js, gknats.Config{Tenant: "Acme", Partitions: 1})
	if err == nil || !strings.Contains(err.Error(), `a new tenant's name is in lower case ("acme")`) {
		t.Fatalf("Create(Acme) beside acme: %v", err)
	}
	for name := range e.js.StreamNames(ctx).Name() {
		if strings.Contains(name, "Acme") {
			t.Fatalf("Create(Acme) made stream %s", name)
		}
	}
	if _, err := e.js.Stream(ctx, "GOALKIT_Acme_EVENTS"); !errors.Is(err, jetstream.ErrStreamNotFound) {
		t.Fatalf("the events stream of Acme: %v", err)
	}
	// An earlier release's tenant "Legacy": its events stream exists.
	if _, err := e.js.CreateStream(ctx, jetstream.StreamConfig{Name: "GOALKIT_Legacy_EVENTS", Subjects: []string{"goalkit.Legacy.events.*"},
		Storage: jetstream.FileStorage, Duplicates: 2 * time.Minute}); err != nil {
		t.Fatal(err)
	}
	if _, err := gknats.Create(ctx, e.js, gknats.Config{Tenant: "Legacy", Partitions: 1}); err != nil {
		t.Fatalf("Create(Legacy) of an existing tenant: %v", err)
	}
}
