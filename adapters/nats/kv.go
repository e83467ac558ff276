package nats

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/goalkit/goalkit/scaleout"
	"github.com/nats-io/nats.go/jetstream"
)

// Parts returns the tenant's scaleout.PartStore: the parts bucket, a key
// p<partition> each, whose value is the offset the part was made at (8
// bytes, big-endian) and the part.
func (t *Tenant) Parts() scaleout.PartStore { return parts{kv: t.kvPart} }

type parts struct{ kv jetstream.KeyValue }

func (p parts) Put(ctx context.Context, partition int, pos uint64, data []byte) error {
	key := "p" + strconv.Itoa(partition)
	val := binary.BigEndian.AppendUint64(make([]byte, 0, 8+len(data)), pos)
	val = append(val, data...)
	for range 10 {
		e, err := p.kv.Get(ctx, key)
		switch {
		case errors.Is(err, jetstream.ErrKeyNotFound):
			if _, err = p.kv.Create(ctx, key, val); err == nil || !errors.Is(err, jetstream.ErrKeyExists) {
				return wrap(key, err)
			}
			continue
		case err != nil:
			return wrap(key, err)
		}
		if old := e.Value(); len(old) >= 8 && binary.BigEndian.Uint64(old) > pos {
			return nil // a later part is stored
		}
		if _, err = p.kv.Update(ctx, key, val, e.Revision()); err == nil {
			return nil
		}
		var apiErr *jetstream.APIError
		if !errors.As(err, &apiErr) || apiErr.ErrorCode != jetstream.JSErrCodeStreamWrongLastSequence {
			return wrap(key, err)
		}
	}
	return fmt.Errorf("part %s: too many concurrent writers", key)
}

func wrap(key string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("part %s: %w", key, err)
}

func (p parts) Range(ctx context.Context, fn func(int, []byte) error) error {
	keys, err := p.kv.Keys(ctx)
	if errors.Is(err, jetstream.ErrNoKeysFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("parts: %w", err)
	}
	slices.Sort(keys)
	for _, k := range keys {
		n, err := strconv.Atoi(strings.TrimPrefix(k, "p"))
		if err != nil || !strings.HasPrefix(k, "p") {
			continue
		}
		e, err := p.kv.Get(ctx, k)
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			continue
		}
		if err != nil {
			return wrap(k, err)
		}
		v := e.Value()
		if len(v) < 8 {
			return fmt.Errorf("part %s: %d bytes", k, len(v))
		}
		if err := fn(n, v[8:]); err != nil {
			return err
		}
	}
	return nil
}

// Ledger returns the tenant's scaleout.Ledger: the ledger bucket, a key per
// notification (its key in base64url, since a notification key may hold
// what a bucket key may not), created only if absent.
func (t *Tenant) Ledger() scaleout.Ledger { return ledger{kv: t.kvLedg} }

type ledger struct{ kv jetstream.KeyValue }

func (l ledger) Create(ctx context.Context, key string, data []byte) (bool, error) {
	_, err := l.kv.Create(ctx, base64.RawURLEncoding.EncodeToString([]byte(key)), data)
	if errors.Is(err, jetstream.ErrKeyExists) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("ledger key %q: %w", key, err)
	}
	return true, nil
}
