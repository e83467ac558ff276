package nats

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"

	"github.com/goalkit/goalkit/scaleout"
	"github.com/nats-io/nats.go/jetstream"
)

// Parts returns the tenant's scaleout.PartStore: the parts bucket, a key
// p<partition> per partition, whose value is the offset the part was made
// at (8 bytes, big-endian) and the part. Parts are read from the bucket's
// stream leader, never from a replica that may lag.
func (t *Tenant) Parts() scaleout.PartStore { return t.partStore() }

func (t *Tenant) partStore() parts {
	return parts{kv: t.kvPart, js: t.js, bucket: "goalkit_" + t.name + "_parts", n: t.parts}
}

type parts struct {
	kv     jetstream.KeyValue
	js     jetstream.JetStream
	bucket string
	n      int
}

// get reads the latest value of key from the stream leader: found is
// false when the key has none (or was deleted).
func (p parts) get(ctx context.Context, key string) (val []byte, rev uint64, found bool, err error) {
	var m *jetstream.RawStreamMsg
	err = retry(ctx, func(ctx context.Context) error {
		s, err := p.js.Stream(ctx, "KV_"+p.bucket)
		if err != nil {
			return err
		}
		m, err = s.GetLastMsgForSubject(ctx, "$KV."+p.bucket+"."+key)
		return err
	})
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return nil, 0, false, nil
	}
	if err != nil {
		return nil, 0, false, err
	}
	if op := m.Header.Get("KV-Operation"); op == "DEL" || op == "PURGE" {
		return nil, m.Sequence, false, nil
	}
	return m.Data, m.Sequence, true, nil
}

func (p parts) Put(ctx context.Context, partition int, pos uint64, data []byte) error {
	key := "p" + strconv.Itoa(partition)
	val := binary.BigEndian.AppendUint64(make([]byte, 0, 8+len(data)), pos)
	val = append(val, data...)
	for range 10 {
		old, rev, found, err := p.get(ctx, key)
		if err != nil {
			return wrap(key, err)
		}
		if found && len(old) >= 8 && binary.BigEndian.Uint64(old) > pos {
			return nil // a later part is stored
		}
		err = putAt(ctx, p.kv, key, val, rev)
		if err == nil {
			return nil
		}
		var apiErr *jetstream.APIError
		if !errors.As(err, &apiErr) || apiErr.ErrorCode != jetstream.JSErrCodeStreamWrongLastSequence {
			return wrap(key, err)
		}
	}
	return fmt.Errorf("part %s: too many concurrent writers", key)
}

// putAt stores val under key if the key's latest revision is rev (0: if
// the key has none).
func putAt(ctx context.Context, kv jetstream.KeyValue, key string, val []byte, rev uint64) error {
	return retry(ctx, func(ctx context.Context) error {
		var err error
		if rev == 0 {
			_, err = kv.Create(ctx, key, val)
		} else {
			_, err = kv.Update(ctx, key, val, rev)
		}
		return err
	})
}

func wrap(key string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("part %s: %w", key, err)
}

func (p parts) Range(ctx context.Context, fn func(int, []byte) error) error {
	for i := range p.n {
		key := "p" + strconv.Itoa(i)
		v, _, found, err := p.get(ctx, key)
		if err != nil {
			return wrap(key, err)
		}
		if !found {
			continue
		}
		if len(v) < 8 {
			return fmt.Errorf("part %s: %d bytes", key, len(v))
		}
		if err := fn(i, v[8:]); err != nil {
			return err
		}
	}
	return nil
}

// Ledger returns the tenant's scaleout.Ledger: the ledger bucket, a key per
// notification (its key in base64url, since a notification key may hold
// what a bucket key may not), created only if absent.
func (t *Tenant) Ledger() scaleout.Ledger { return ledger{kv: t.kvLedg} }

var _ scaleout.LedgerLister = ledger{}

type ledger struct{ kv jetstream.KeyValue }

func (l ledger) Create(ctx context.Context, key string, data []byte) (bool, error) {
	_, err := l.kv.Create(ctx, base64.RawURLEncoding.EncodeToString([]byte(key)), data)
	// A create whose answer was lost is not retried: a second create would
	// report the key as recorded before, and the notification as emitted.
	if errors.Is(err, jetstream.ErrKeyExists) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("ledger key %q: %w", key, err)
	}
	return true, nil
}

// Records implements scaleout.LedgerLister: every key of the bucket,
// decoded, with its value, read through one watcher of the whole bucket.
func (l ledger) Records(ctx context.Context, fn func(key string, data []byte) error) error {
	w, err := l.kv.WatchAll(ctx, jetstream.IgnoreDeletes())
	if err != nil {
		return fmt.Errorf("ledger records: %w", err)
	}
	defer w.Stop()
	for {
		var e jetstream.KeyValueEntry
		select {
		case <-ctx.Done():
			return ctx.Err()
		case e = <-w.Updates():
		}
		if e == nil { // the values held when the watch began are all in
			return nil
		}
		key, err := base64.RawURLEncoding.DecodeString(e.Key())
		if err != nil {
			return fmt.Errorf("ledger key %q is not a notification key in base64url: %w", e.Key(), err)
		}
		if err := fn(string(key), e.Value()); err != nil {
			return err
		}
	}
}
