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
// (Config.LeaseTTL) removes a lease nobody keeps.
func (t *Tenant) Leases() scaleout.Leases { return leases{kv: t.kvLeas} }

type leases struct{ kv jetstream.KeyValue }

func leaseKey(p int) string { return "p" + strconv.Itoa(p) }

func (l leases) Take(ctx context.Context, p int, holder string) (bool, error) {
	_, err := l.kv.Create(ctx, leaseKey(p), []byte(holder))
	if err == nil {
		return true, nil
	}
	if !errors.Is(err, jetstream.ErrKeyExists) {
		return false, fmt.Errorf("lease of partition %d: %w", p, err)
	}
	e, err := l.kv.Get(ctx, leaseKey(p))
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return false, nil // it lapsed just now: the next round takes it
	}
	if err != nil {
		return false, fmt.Errorf("lease of partition %d: %w", p, err)
	}
	return string(e.Value()) == holder, nil
}

func (l leases) Keep(ctx context.Context, p int, holder string) error {
	e, err := l.kv.Get(ctx, leaseKey(p))
	if errors.Is(err, jetstream.ErrKeyNotFound) || err == nil && string(e.Value()) != holder {
		return fmt.Errorf("partition %d: %w", p, scaleout.ErrLeaseLost)
	}
	if err != nil {
		return fmt.Errorf("lease of partition %d: %w", p, err)
	}
	if _, err := l.kv.Update(ctx, leaseKey(p), []byte(holder), e.Revision()); err != nil {
		var apiErr *jetstream.APIError
		if errors.As(err, &apiErr) && apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence {
			return fmt.Errorf("partition %d: %w", p, scaleout.ErrLeaseLost)
		}
		return fmt.Errorf("lease of partition %d: %w", p, err)
	}
	return nil
}

func (l leases) Give(ctx context.Context, p int, holder string) error {
	e, err := l.kv.Get(ctx, leaseKey(p))
	if errors.Is(err, jetstream.ErrKeyNotFound) || err == nil && string(e.Value()) != holder {
		return nil
	}
	if err != nil {
		return err
	}
	err = l.kv.Delete(ctx, leaseKey(p), jetstream.LastRevision(e.Revision()))
	var apiErr *jetstream.APIError
	if errors.As(err, &apiErr) && apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence {
		return nil // taken meanwhile: not ours to end
	}
	return err
}
