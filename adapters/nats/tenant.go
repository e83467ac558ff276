package nats

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/goalkit/goalkit/scaleout"
	"github.com/nats-io/nats.go/jetstream"
)

// Config says how Create lays a tenant out.
type Config struct {
	// Tenant names the plan's streams and buckets (scaleout.CheckTenant).
	Tenant string
	// Partitions is the number of partitions of the events (at least 1).
	// It is fixed when the stream is created.
	Partitions int
	// Replicas is how many servers keep each stream and bucket (0: 1).
	// It is fixed when they are created.
	Replicas int
	// Duplicates is the window in which the server drops a record whose ID
	// it has seen (0: two minutes). It is fixed when the stream is
	// created.
	Duplicates time.Duration
	// LeaseTTL is how long a worker's lease of a partition lasts without
	// being kept (0: 10 seconds). It is fixed when the bucket is created.
	LeaseTTL time.Duration
}

// Tenant is one plan's streams and buckets. It implements scaleout.Log
// over the events stream.
type Tenant struct {
	js     jetstream.JetStream
	name   string
	parts  int
	events jetstream.Stream
	state  jetstream.Stream
	kvPart jetstream.KeyValue
	kvLedg jetstream.KeyValue
	kvLeas jetstream.KeyValue
	snaps  jetstream.ObjectStore // nil for a tenant created before snapshots
}

// partitionsKey is the key of the parts bucket that keeps the number of
// partitions (in a bucket rather than the stream's metadata, which servers
// before 2.10 do not keep).
const partitionsKey = "meta.partitions"

func eventsStream(tenant string) string   { return "GOALKIT_" + tenant + "_EVENTS" }
func stateStream(tenant string) string    { return "GOALKIT_" + tenant + "_STATE" }
func snapshotBucket(tenant string) string { return "goalkit_" + tenant + "_snapshots" }
func partsBucket(tenant string) string    { return "goalkit_" + tenant + "_parts" }
func leasesBucket(tenant string) string   { return "goalkit_" + tenant + "_leases" }
func ledgerBucket(tenant string) string   { return "goalkit_" + tenant + "_ledger" }
func eventSubject(tenant string, p int) string {
	return "goalkit." + tenant + ".events." + strconv.Itoa(p)
}
func stateSubject(tenant string, p int) string {
	return "goalkit." + tenant + ".state." + strconv.Itoa(p)
}

// Create creates a tenant's streams and buckets that do not exist (a
// tenant of an earlier release gets the buckets added since) and leaves
// those that exist as they are: a tenant's replicas, duplicate window and
// lease TTL are those it was created with, and its number of partitions
// cannot change. A new tenant's name is in lower case
// (scaleout.CheckNewTenant), so that no two tenants' names differ only in
// case; a tenant whose events stream exists is taken as it is spelled.
func Create(ctx context.Context, js jetstream.JetStream, cfg Config) (*Tenant, error) {
	if err := scaleout.CheckTenant(cfg.Tenant); err != nil {
		return nil, err
	}
	if cfg.Partitions < 1 {
		return nil, fmt.Errorf("tenant %s: partitions must be at least 1", cfg.Tenant)
	}
	// Refused before anything is created, rather than taken for the
	// default (replicas) or refused by the server half way through.
	switch {
	case cfg.Replicas < 0:
		return nil, fmt.Errorf("tenant %s: replicas must not be negative (0: 1), got %d", cfg.Tenant, cfg.Replicas)
	case cfg.Duplicates < 0:
		return nil, fmt.Errorf("tenant %s: the duplicate window must not be negative (0: two minutes), got %s", cfg.Tenant, cfg.Duplicates)
	case cfg.LeaseTTL < 0:
		return nil, fmt.Errorf("tenant %s: the lease TTL must not be negative (0: 10 seconds), got %s", cfg.Tenant, cfg.LeaseTTL)
	}
	// A tenant of an earlier release may have capitals in its name; a new
	// one may not (scaleout.CheckNewTenant).
	if err := scaleout.CheckNewTenant(cfg.Tenant); err != nil {
		switch _, serr := js.Stream(ctx, eventsStream(cfg.Tenant)); {
		case errors.Is(serr, jetstream.ErrStreamNotFound):
			return nil, err
		case serr != nil:
			return nil, fmt.Errorf("tenant %s: events stream: %w", cfg.Tenant, serr)
		}
	}
	replicas := max(cfg.Replicas, 1)
	dup := cfg.Duplicates
	if dup == 0 {
		dup = 2 * time.Minute
	}
	t := cfg.Tenant
	_, err := js.CreateStream(ctx, jetstream.StreamConfig{
		Name: eventsStream(t), Subjects: []string{"goalkit." + t + ".events.*"}, Storage: jetstream.FileStorage,
		Replicas: replicas, Duplicates: dup,
	})
	if err != nil && !exists(err) {
		return nil, fmt.Errorf("tenant %s: events stream: %w", t, err)
	}
	_, err = js.CreateStream(ctx, jetstream.StreamConfig{
		Name: stateStream(t), Subjects: []string{"goalkit." + t + ".state.*"}, Storage: jetstream.FileStorage,
		Replicas: replicas, MaxMsgSize: -1,
	})
	if err != nil && !exists(err) {
		return nil, fmt.Errorf("tenant %s: state stream: %w", t, err)
	}
	ttl := cfg.LeaseTTL
	if ttl == 0 {
		ttl = 10 * time.Second
	}
	for _, b := range []string{"parts", "ledger", "leases"} {
		kcfg := jetstream.KeyValueConfig{Bucket: "goalkit_" + t + "_" + b, Replicas: replicas, Storage: jetstream.FileStorage}
		if b == "leases" {
			kcfg.TTL = ttl
		}
		if _, err := js.CreateKeyValue(ctx, kcfg); err != nil && !exists(err) {
			return nil, fmt.Errorf("tenant %s: %s bucket: %w", t, b, err)
		}
	}
	_, err = js.CreateObjectStore(ctx, jetstream.ObjectStoreConfig{
		Bucket: snapshotBucket(t), Replicas: replicas, Storage: jetstream.FileStorage,
	})
	if err != nil && !exists(err) {
		return nil, fmt.Errorf("tenant %s: snapshots bucket: %w", t, err)
	}
	kvParts, err := js.KeyValue(ctx, partsBucket(t))
	if err != nil {
		return nil, fmt.Errorf("tenant %s: parts bucket: %w", t, err)
	}
	n := strconv.Itoa(cfg.Partitions)
	if err := leaderCreate(ctx, kvParts, js, partsBucket(t), partitionsKey, []byte(n)); errors.Is(err, jetstream.ErrKeyExists) {
		v, _, _, err := leaderGet(ctx, js, partsBucket(t), partitionsKey)
		if err != nil {
			return nil, fmt.Errorf("tenant %s: %w", t, err)
		}
		if string(v) != n {
			return nil, fmt.Errorf("tenant %s has %s partitions, not %d", t, v, cfg.Partitions)
		}
	} else if err != nil {
		return nil, fmt.Errorf("tenant %s: %w", t, err)
	}
	return Open(ctx, js, t)
}

// exists reports whether err refuses to create a stream or bucket because
// one of its name exists (with another configuration: one created alike
// is no error).
func exists(err error) bool { return errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) }

// Open opens a tenant that Create made.
func Open(ctx context.Context, js jetstream.JetStream, tenant string) (*Tenant, error) {
	if err := scaleout.CheckTenant(tenant); err != nil {
		return nil, err
	}
	t := &Tenant{js: js, name: tenant}
	var err error
	if t.events, err = js.Stream(ctx, eventsStream(tenant)); err != nil {
		return nil, fmt.Errorf("tenant %s: events stream: %w", tenant, err)
	}
	if t.state, err = js.Stream(ctx, stateStream(tenant)); err != nil {
		return nil, fmt.Errorf("tenant %s: state stream: %w", tenant, err)
	}
	if t.kvPart, err = js.KeyValue(ctx, partsBucket(tenant)); err != nil {
		return nil, fmt.Errorf("tenant %s: parts bucket: %w", tenant, err)
	}
	if t.kvLedg, err = js.KeyValue(ctx, ledgerBucket(tenant)); err != nil {
		return nil, fmt.Errorf("tenant %s: ledger bucket: %w", tenant, err)
	}
	if t.kvLeas, err = js.KeyValue(ctx, leasesBucket(tenant)); err != nil {
		return nil, fmt.Errorf("tenant %s: leases bucket: %w", tenant, err)
	}
	// A tenant created by an earlier release has no snapshots bucket: its
	// stores work without snapshots until Create adds it.
	switch t.snaps, err = js.ObjectStore(ctx, snapshotBucket(tenant)); {
	case errors.Is(err, jetstream.ErrBucketNotFound):
		t.snaps = nil
	case err != nil:
		return nil, fmt.Errorf("tenant %s: snapshots bucket: %w", tenant, err)
	}
	v, _, found, err := leaderGet(ctx, js, partsBucket(tenant), partitionsKey)
	if err == nil && !found {
		err = jetstream.ErrKeyNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("tenant %s: partitions: %w", tenant, err)
	}
	if t.parts, err = strconv.Atoi(string(v)); err != nil || t.parts < 1 {
		return nil, fmt.Errorf("tenant %s: partitions %q", tenant, v)
	}
	return t, nil
}

// Name returns the tenant's name.
func (t *Tenant) Name() string { return t.name }

// Source returns the merged state of the tenant's workers
// (scaleout.Source).
func (t *Tenant) Source() *scaleout.Source {
	return &scaleout.Source{Log: t, Parts: t.Parts()}
}
