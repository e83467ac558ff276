package nats

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/nats-io/nats.go/jetstream"
)

// Store returns the kpi.TrackStore of a partition: its committed batches
// are the messages of the partition's subject of the state stream, one a
// batch. A batch is committed only if no other writer added one to the
// subject since this store last read or wrote it, so of two workers that
// took the same partition, the second to commit fails.
func (t *Tenant) Store(_ context.Context, p int) (kpi.TrackStore, error) {
	if p < 0 || p >= t.parts {
		return nil, fmt.Errorf("tenant %s: no partition %d", t.name, p)
	}
	return &store{s: t.state, subject: stateSubject(t.name, p), js: t.js, keys: map[string]bool{}}, nil
}

type store struct {
	mu      sync.Mutex
	js      jetstream.JetStream
	s       jetstream.Stream
	subject string
	last    uint64 // the subject's last sequence as this store knows it
	known   bool   // last was read
	keys    map[string]bool
}

// wireBatch is a committed batch as the state stream holds it.
type wireBatch struct {
	Events []json.RawMessage `json:"events,omitempty"`
	Ledger []kpi.TrackRecord `json:"ledger,omitempty"`
	Closed []kpi.TrackRecord `json:"closed,omitempty"`
}

// ErrFenced is matched by the error of a commit to a partition's store
// that another writer committed to since this store read it.
var ErrFenced = errors.New("another writer committed to the partition's store")

func (s *store) Commit(ctx context.Context, b *kpi.TrackBatch) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	seen := map[string]bool{}
	for _, r := range b.Ledger {
		if s.keys[r.Key] || seen[r.Key] {
			return fmt.Errorf("ledger key %q: %w", r.Key, kpi.ErrDuplicateKey)
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
		var apiErr *jetstream.APIError
		if errors.As(err, &apiErr) && apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence {
			return fmt.Errorf("%s: %w", s.subject, ErrFenced)
		}
		return fmt.Errorf("commit to %s: %w", s.subject, err)
	}
	s.last = ack.Sequence
	for k := range seen {
		s.keys[k] = true
	}
	return nil
}

func (s *store) Load(ctx context.Context, fn func(b *kpi.TrackBatch) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	end, err := lastSeq(ctx, s.s, s.subject)
	if err != nil {
		return err
	}
	s.last, s.known = end, true
	clear(s.keys)
	if end == 0 {
		return nil
	}
	c, err := openCursor(ctx, s.s, s.subject, 1)
	if err != nil {
		return err
	}
	defer c.Close()
	return scaleout.ReadTo(ctx, c, end, func(r scaleout.Record) error {
		b, err := decodeBatch(r.Data)
		if err != nil {
			return fmt.Errorf("%s, sequence %d: %w", s.subject, r.Offset, err)
		}
		for _, l := range b.Ledger {
			s.keys[l.Key] = true
		}
		return fn(b)
	})
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
