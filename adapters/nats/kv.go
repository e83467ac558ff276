package nats

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/scaleout"
	natsgo "github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Parts returns the tenant's scaleout.PartStore: the parts bucket, a key
// p<partition> per partition, whose value is the offset the part was made
// at (8 bytes, big-endian) and the part. Parts are read from the bucket's
// stream leader, never from a replica that may lag. A scaleout.Source
// refuses a part made at an offset past the end of its log's partition (a
// log deleted and made again), naming both offsets, and one a worker made
// from the stream as it was before (its identity, which the worker tags
// the part with), naming both identities, rather than merge events the log
// no longer holds.
func (t *Tenant) Parts() scaleout.PartStore { return t.partStore() }

func (t *Tenant) partStore() parts {
	return parts{kv: t.kvPart, js: t.js, bucket: partsBucket(t.name), n: t.parts}
}

type parts struct {
	kv     jetstream.KeyValue
	js     jetstream.JetStream
	bucket string
	n      int
}

func (p parts) get(ctx context.Context, key string) (val []byte, rev uint64, found bool, err error) {
	return leaderGet(ctx, p.js, p.bucket, key)
}

// leaderGet reads the latest value of a bucket's key from the stream
// leader: found is false when the key has none (or was deleted). A
// bucket's stream allows direct gets, which any replica answers, one that
// has not applied the latest write yet included (KeyValue.Get reads that
// way): a value read there may be older than one a compare-and-set has
// replaced, so the read goes through the stream's API for a message, which
// only the leader answers.
func leaderGet(ctx context.Context, js jetstream.JetStream, bucket, key string) (val []byte, rev uint64, found bool, err error) {
	var m *jetstream.RawStreamMsg
	err = retry(ctx, func(ctx context.Context) error {
		s, err := js.Stream(ctx, "KV_"+bucket)
		if err != nil {
			return err
		}
		// The handle reads with direct gets when its stream allows them.
		s.CachedInfo().Config.AllowDirect = false
		m, err = s.GetLastMsgForSubject(ctx, "$KV."+bucket+"."+key)
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
	for try := range casTries {
		if err := casWait(ctx, try); err != nil {
			return wrap(key, err)
		}
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
		if errors.Is(err, natsgo.ErrMaxPayload) {
			return p.tooLarge(key, val, err)
		}
		if !wrongLast(err) {
			return wrap(key, err)
		}
	}
	return fmt.Errorf("part %s: too many concurrent writers", key)
}

// tooLarge is the error of a put of val under key that the servers refused
// as larger than their maximum payload. It says what the operator must do:
// the worker stops at the part at every restart, until the limit is
// raised past the part's message (a lower bound: the part of a later
// offset may be larger).
func (p parts) tooLarge(key string, val []byte, err error) error {
	need := len(val) + hdrLine + header(jetstream.ExpectedLastSubjSeqHeader, 20) + hdrEnd
	return fmt.Errorf("part %s: %d bytes in a message of up to %d, more than the maximum payload of %d bytes (the NATS servers' max_payload, or the account's or user's where one is smaller), and the worker stops here at every restart: raise that max_payload to at least %d bytes, with room for the part to grow as the worker reads on (with its actors, periods and indicators): %w",
		key, len(val), need, p.js.Conn().MaxPayload(), need, err)
}

// casTries bounds the compare-and-set writes of one key or record that one
// call makes while others refuse them.
const casTries = 20

// casWait waits before try (from 0) of a compare-and-set write of a key or
// record, the one after a write that another write refused, a little
// longer each time (up to a quarter of a second, by chance between half of
// that and all of it). Trying again at once can use up every try on a
// single write under way: a replicated stream refuses a write to a subject
// while another write to it is under way (10164), also when that write
// fails in turn, so that no writer got there.
func casWait(ctx context.Context, try int) error {
	if try == 0 {
		return nil
	}
	d := min(time.Millisecond<<try, 250*time.Millisecond)
	d = d/2 + rand.N(d/2+1)
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

// wrongLast reports whether err is the server's refusal of a write that
// expected another last sequence of its subject: another writer wrote it
// since, or (a replicated stream, code 10164 rather than 10071) is
// writing it now.
func wrongLast(err error) bool {
	var apiErr *jetstream.APIError
	return errors.As(err, &apiErr) && (apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence ||
		apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequenceConstant)
}

// putAt stores val under key if the key's latest revision is rev (0: if
// the key has none).
func putAt(ctx context.Context, kv jetstream.KeyValue, key string, val []byte, rev uint64) error {
	return retry(ctx, func(ctx context.Context) error {
		_, err := kv.Update(ctx, key, val, rev)
		return err
	})
}

// leaderCreate stores val under a bucket's key unless the key has a value,
// and fails with jetstream.ErrKeyExists if it has. It is KeyValue.Create,
// but it reads the key it finds (to take the place of a deleted value) from
// the stream leader (see leaderGet).
func leaderCreate(ctx context.Context, kv jetstream.KeyValue, js jetstream.JetStream, bucket, key string, val []byte) error {
	_, err := kv.Update(ctx, key, val, 0)
	if !wrongLast(err) {
		return err
	}
	_, rev, found, err := leaderGet(ctx, js, bucket, key)
	switch {
	case err != nil:
		return err
	case found:
		return jetstream.ErrKeyExists
	}
	_, err = kv.Update(ctx, key, val, rev) // after the deletion
	if wrongLast(err) {
		return jetstream.ErrKeyExists
	}
	return err
}

func wrap(key string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("part %s: %w", key, err)
}

func (p parts) Range(ctx context.Context, fn func(int, []byte) error) error {
	return p.RangeAt(ctx, func(i int, _ uint64, data []byte) error { return fn(i, data) })
}

// RangeAt is Range with the offset each part was made at, for
// scaleout.Source to refuse a part made past the end of its log's
// partition (a log made again).
func (p parts) RangeAt(ctx context.Context, fn func(partition int, pos uint64, data []byte) error) error {
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
			return fmt.Errorf("part %s: %d bytes, too short for the 8-byte offset (the position in its partition the part was made at) that begins it", key, len(v))
		}
		if err := fn(i, binary.BigEndian.Uint64(v), v[8:]); err != nil {
			return err
		}
	}
	return nil
}

// Ledger returns the tenant's scaleout.Ledger: the ledger bucket, a key per
// notification (its key in base64url, since a notification key may hold
// what a bucket key may not), created only if absent.
func (t *Tenant) Ledger() scaleout.Ledger {
	return ledger{kv: t.kvLedg, js: t.js, bucket: ledgerBucket(t.name)}
}

var _ scaleout.LedgerLister = ledger{}

type ledger struct {
	kv     jetstream.KeyValue
	js     jetstream.JetStream
	bucket string
}

func (l ledger) Create(ctx context.Context, key string, data []byte) (bool, error) {
	err := leaderCreate(ctx, l.kv, l.js, l.bucket, base64.RawURLEncoding.EncodeToString([]byte(key)), data)
	// A create whose answer was lost is not retried: a second create would
	// report the key as recorded before, and the notification as emitted.
	if errors.Is(err, jetstream.ErrKeyExists) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("ledger key %s: %w", display.QuoteID(key), err)
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
			return fmt.Errorf("ledger key %s is not a notification key in base64url: %w", display.QuoteID(e.Key()), err)
		}
		if err := fn(string(key), e.Value()); err != nil {
			return err
		}
	}
}
