package nats

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/goalkit/goalkit/scaleout"
	"github.com/nats-io/nats.go/jetstream"
)

// Leases returns the tenant's scaleout.Leases: the leases bucket, a key
// p<partition> whose value is the holder, created only if absent and
// updated only at the revision the holder read; the bucket's TTL
// (Config.LeaseTTL) removes a lease nobody keeps. Leases are read from the
// bucket's stream leader, never from a replica that may lag.
func (t *Tenant) Leases() scaleout.Leases {
	return leases{kv: t.kvLeas, js: t.js, bucket: leasesBucket(t.name)}
}

type leases struct {
	kv     jetstream.KeyValue
	js     jetstream.JetStream
	bucket string
}

// get reads the holder of p's lease and its revision; found is false when
// nobody holds it.
func (l leases) get(ctx context.Context, p int) (holder string, rev uint64, found bool, err error) {
	v, rev, found, err := leaderGet(ctx, l.js, l.bucket, leaseKey(p))
	return string(v), rev, found, err
}

func leaseKey(p int) string { return "p" + strconv.Itoa(p) }

func (l leases) Take(ctx context.Context, p int, holder string) (bool, error) {
	err := leaderCreate(ctx, l.kv, l.js, l.bucket, leaseKey(p), []byte(holder))
	if err == nil {
		return true, nil
	}
	if !errors.Is(err, jetstream.ErrKeyExists) {
		return false, fmt.Errorf("lease of partition %d: %w", p, err)
	}
	h, _, found, err := l.get(ctx, p)
	if err != nil {
		return false, fmt.Errorf("lease of partition %d: %w", p, err)
	}
	return found && h == holder, nil // not found: it lapsed just now, the next round takes it
}

func (l leases) Keep(ctx context.Context, p int, holder string) error {
	h, rev, found, err := l.get(ctx, p)
	if err != nil {
		return fmt.Errorf("lease of partition %d: %w", p, err)
	}
	if !found || h != holder {
		return fmt.Errorf("partition %d: %w", p, scaleout.ErrLeaseLost)
	}
	if _, err := l.kv.Update(ctx, leaseKey(p), []byte(holder), rev); err != nil {
		if wrongLast(err) {
			return fmt.Errorf("partition %d: %w", p, scaleout.ErrLeaseLost)
		}
		return fmt.Errorf("lease of partition %d: %w", p, err)
	}
	return nil
}

func (l leases) Give(ctx context.Context, p int, holder string) error {
	h, rev, found, err := l.get(ctx, p)
	if err != nil {
		return err
	}
	if !found || h != holder {
		return nil
	}
	err = l.kv.Delete(ctx, leaseKey(p), jetstream.LastRevision(rev))
	if wrongLast(err) {
		return nil // taken meanwhile: not ours to end
	}
	return err
}
