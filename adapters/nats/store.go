package nats

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	natsgo "github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Store returns the kpi.TrackStore of a partition: its committed batches
// are the messages of the partition's subject of the state stream, one a
// batch. A batch is committed only if no other writer added one to the
// subject since this store last read or wrote it, so of two workers that
// took the same partition, the second to commit fails.
//
// The store is a kpi.TrackSnapshotter (see SaveSnapshot): batches are
// numbered in commit order from 1, and a restarted tracker reads the
// latest snapshot and the batches after it. Tenant.Prune removes the
// batches a snapshot covers from the state stream; Load then starts at the
// first batch it kept. The store is a scaleout.Pruner (its Prune is
// Tenant.Prune of its partition): a scaleout.Worker with SnapshotEvery
// snapshots the partition and prunes it.
func (t *Tenant) Store(_ context.Context, p int) (kpi.TrackStore, error) {
	if p < 0 || p >= t.parts {
		return nil, fmt.Errorf("tenant %s: no partition %d", t.name, p)
	}
	return t.store(p), nil
}

func (t *Tenant) store(p int) *store {
	return &store{t: t, p: p, s: t.state, subject: stateSubject(t.name, p), js: t.js, keys: map[string]bool{}}
}

type store struct {
	t       *Tenant
	p       int
	mu      sync.Mutex
	js      jetstream.JetStream
	s       jetstream.Stream
	subject string
	last    uint64 // the subject's last sequence as this store knows it
	known   bool   // last was read
	keys    map[string]bool
	keysAll bool // keys holds every committed ledger key, pruned ones too
	at      numbering
}

// numbering maps the batches this store read or committed to their stream
// sequences: batch base is at sequence baseSeq, batch base+1+i at seqs[i].
// It is valid only when counted.
type numbering struct {
	counted bool
	base    int64
	baseSeq uint64
	seqs    []uint64
}

// seq returns the sequence of batch n, if the numbering holds it.
func (a *numbering) seq(n int64) (uint64, bool) {
	switch {
	case !a.counted || n < a.base || n > a.base+int64(len(a.seqs)):
		return 0, false
	case n == a.base:
		return a.baseSeq, true
	}
	return a.seqs[n-a.base-1], true
}

// forget drops the sequences of the batches before n: a snapshot covers
// them, so the store is unlikely to need them again.
func (a *numbering) forget(n int64) {
	seq, ok := a.seq(n)
	if !ok || n == a.base {
		return
	}
	a.seqs = slices.Clone(a.seqs[n-a.base:])
	a.base, a.baseSeq = n, seq
}

// wireBatch is a committed batch as the state stream holds it.
type wireBatch struct {
	Events []json.RawMessage `json:"events,omitempty"`
	Ledger []kpi.TrackRecord `json:"ledger,omitempty"`
	Closed []kpi.TrackRecord `json:"closed,omitempty"`
}

// ErrFenced is matched by the error of a commit to a partition's store
// that another writer committed to since this store read it, and by that
// of a load that another writer pruned while it was read. It is
// scaleout.ErrFenced, so that a scaleout.Worker with leases loads the
// partition again rather than stop.
var ErrFenced = scaleout.ErrFenced

// MaxBatchBytes implements scaleout.BatchLimiter: a batch is one message,
// no larger than the maximum payload the connection was given: the
// servers', or the account's or user's where one is smaller.
func (s *store) MaxBatchBytes() int { return int(s.js.Conn().MaxPayload()) }

// tooLarge is the error of a commit of b, its events encoded as events and
// the whole as size bytes, that the servers refused as larger than their
// maximum payload, limit. It says what the operator must do: the worker
// stops at the batch at every restart, skipping nothing, until the limit
// is raised. A NATS tenant's Append refuses a record no batch can hold,
// but a log of another system (Kafka takes records up to its own limit,
// 1 MB by default) may hold one.
func tooLarge(subject string, b *kpi.TrackBatch, events []json.RawMessage, size int, limit int64, err error) error {
	need := size + hdrLine + header(jetstream.ExpectedLastSubjSeqHeader, 20) + hdrEnd
	what := fmt.Sprintf("a batch of %d events, %d bytes,", len(events), size)
	if len(events) == 1 {
		// What any commit of the event alone needs, as Append's check counts it.
		need = len(events[0]) + batchOverhead
		what = fmt.Sprintf("event %s, %d bytes of data that a commit alone holds in up to %d bytes, is", display.QuoteID(b.Events[0].ID), len(events[0]), need)
	}
	return fmt.Errorf("commit to %s: %s more than the maximum payload of %d bytes (the NATS servers' max_payload, or the account's or user's where one is smaller); no record was skipped, and the worker stops here at every restart: raise that max_payload to at least %d bytes: %w",
		subject, what, limit, need, err)
}

func (s *store) Commit(ctx context.Context, b *kpi.TrackBatch) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(b.Ledger) > 0 && !s.keysAll {
		if err := s.loadKeys(ctx); err != nil {
			return err
		}
	}
	seen := map[string]bool{}
	for _, r := range b.Ledger {
		if s.keys[r.Key] || seen[r.Key] {
			return fmt.Errorf("ledger key %s: %w", display.QuoteID(r.Key), kpi.ErrDuplicateKey)
		}
		seen[r.Key] = true
	}
	w := wireBatch{Ledger: b.Ledger, Closed: b.Closed}
	for i := range b.Events {
		data, err := scaleout.EncodeEvent(&b.Events[i])
		if err != nil {
			return fmt.Errorf("event %d: %w", i, err)
		}
		w.Events = append(w.Events, data)
	}
	data, err := json.Marshal(&w)
	if err != nil {
		return err
	}
	if !s.known {
		if s.last, err = lastSeq(ctx, s.s, s.subject); err != nil {
			return err
		}
		s.known = true
	}
	// A commit under way is seen through even when ctx is cancelled (a
	// worker stopping): once Commit returns, the server has it or refused
	// it, and a successor that loads the store sees it.
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), attemptTimeout)
	defer cancel()
	ack, err := s.js.Publish(pctx, s.subject, data, jetstream.WithExpectLastSequencePerSubject(s.last))
	if err != nil {
		if wrongLast(err) {
			return fmt.Errorf("%s: %w", s.subject, ErrFenced)
		}
		if errors.Is(err, natsgo.ErrMaxPayload) {
			return tooLarge(s.subject, b, w.Events, len(data), s.js.Conn().MaxPayload(), err)
		}
		return fmt.Errorf("commit to %s: %w", s.subject, err)
	}
	s.last = ack.Sequence
	if s.at.counted {
		s.at.seqs = append(s.at.seqs, ack.Sequence)
	}
	for k := range seen {
		s.keys[k] = true
	}
	return nil
}

// Load implements kpi.TrackStore: it calls fn with every batch the state
// stream holds, in commit order. After Tenant.Prune, that is the batches
// after the pruned ones (a reader that replays Load alone, without the
// snapshot, sees a partial history); the ledger keys of pruned batches are
// still refused by Commit.
func (s *store) Load(ctx context.Context, fn func(b *kpi.TrackBatch) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, _, err := s.t.snapRecord(ctx, s.p)
	if err != nil {
		return err
	}
	clear(s.keys)
	s.keysAll = false
	if err := s.t.prunedKeys(ctx, rec, s.keys); err != nil {
		return err
	}
	end, err := lastSeq(ctx, s.s, s.subject)
	if err != nil {
		return err
	}
	s.last, s.known, s.at = end, true, numbering{}
	at, err := s.readFrom(ctx, rec.Pruned, rec.PrunedSeq, end, func(_ int64, seq uint64, data []byte) error {
		return s.hand(seq, data, fn)
	})
	if err != nil {
		return err
	}
	s.at, s.keysAll = at, true
	return nil
}

// hand decodes a stored batch, notes its ledger keys and calls fn with it.
func (s *store) hand(seq uint64, data []byte, fn func(b *kpi.TrackBatch) error) error {
	b, err := decodeBatch(data)
	if err != nil {
		return fmt.Errorf("%s, sequence %d: %w", s.subject, seq, err)
	}
	for _, l := range b.Ledger {
		s.keys[l.Key] = true
	}
	return fn(b)
}

// readFrom reads the batches after batch n, which is at sequence seq, up
// to sequence end, and calls fn with each and its number. It returns their
// numbering, and fails if the partition was pruned past seq meanwhile (then
// the batches read were not numbered right).
func (s *store) readFrom(ctx context.Context, n int64, seq, end uint64, fn func(n int64, seq uint64, data []byte) error) (numbering, error) {
	at := numbering{counted: true, base: n, baseSeq: seq}
	if end > seq {
		c, err := openCursor(ctx, s.s, s.subject, seq+1)
		if err != nil {
			return numbering{}, err
		}
		defer c.Close()
		err = scaleout.ReadTo(ctx, c, end, func(r scaleout.Record) error {
			at.seqs = append(at.seqs, r.Offset)
			return fn(at.base+int64(len(at.seqs)), r.Offset, r.Data)
		})
		if err != nil {
			return numbering{}, err
		}
	}
	rec, _, err := s.t.snapRecord(ctx, s.p)
	if err != nil {
		return numbering{}, err
	}
	if rec.PrunedSeq > seq {
		return numbering{}, fmt.Errorf("%s: pruned up to batch %d while it was read from batch %d: read it again (%w)", s.subject, rec.Pruned, n, ErrFenced)
	}
	return at, nil
}

// prunedKeys adds the ledger keys of the pruned batches to keys.
func (t *Tenant) prunedKeys(ctx context.Context, rec snapRecord, keys map[string]bool) error {
	for _, name := range rec.keyObjects() {
		list, err := t.readKeys(ctx, name)
		if err != nil {
			return err
		}
		for _, k := range list {
			keys[k] = true
		}
	}
	return nil
}

// keyObjects names every object of the pruned batches' ledger keys a
// record names.
func (r snapRecord) keyObjects() []string {
	var out []string
	if r.Keys != "" {
		out = append(out, r.Keys)
	}
	for _, o := range r.Ledger {
		out = append(out, o.Name)
	}
	return out
}

// readKeys reads an object of ledger keys of pruned batches.
func (t *Tenant) readKeys(ctx context.Context, name string) ([]string, error) {
	obs, err := t.snapshots()
	if err != nil {
		return nil, err
	}
	data, err := obs.GetBytes(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("tenant %s: ledger keys of the pruned batches (%s): %w", t.name, name, err)
	}
	var list []string
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, fmt.Errorf("tenant %s: ledger keys of the pruned batches (%s): %w", t.name, name, err)
	}
	return list, nil
}

// ledgerKeys adds the ledger keys of a stored batch to keys.
func ledgerKeys(subject string, seq uint64, data []byte, keys map[string]bool) error {
	var w struct {
		Ledger []struct {
			Key string `json:"Key"`
		} `json:"ledger"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return fmt.Errorf("%s, sequence %d: %w", subject, seq, err)
	}
	for _, l := range w.Ledger {
		keys[l.Key] = true
	}
	return nil
}

// loadKeys reads every committed ledger key: the pruned batches' and those
// of the batches the stream holds. A store that was loaded with LoadAfter
// does it once, at the first commit with ledger keys.
func (s *store) loadKeys(ctx context.Context) error {
	rec, _, err := s.t.snapRecord(ctx, s.p)
	if err != nil {
		return err
	}
	clear(s.keys)
	if err := s.t.prunedKeys(ctx, rec, s.keys); err != nil {
		return err
	}
	end, err := lastSeq(ctx, s.s, s.subject)
	if err != nil {
		return err
	}
	_, err = s.readFrom(ctx, rec.Pruned, rec.PrunedSeq, end, func(_ int64, seq uint64, data []byte) error {
		return ledgerKeys(s.subject, seq, data, s.keys)
	})
	if err != nil {
		return err
	}
	s.keysAll = true
	return nil
}

func decodeBatch(data []byte) (*kpi.TrackBatch, error) {
	var w wireBatch
	if err := json.Unmarshal(data, &w); err != nil {
		return nil, err
	}
	b := &kpi.TrackBatch{Ledger: w.Ledger, Closed: w.Closed}
	for _, raw := range w.Events {
		e, err := scaleout.DecodeEvent(raw)
		if err != nil {
			return nil, err
		}
		b.Events = append(b.Events, e)
	}
	return b, nil
}
