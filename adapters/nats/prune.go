package nats

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/goalkit/goalkit/scaleout"
	"github.com/nats-io/nats.go/jetstream"
)

// Prune removes from the state stream the batches of partition p that its
// latest snapshot covers, and returns how many it removed (0 when there is
// no snapshot, or nothing new to remove). Nothing is pruned unless a host
// calls it; once the batches a snapshot covers are pruned after each
// snapshot, the state stream holds only the batches since, and stops
// growing without bound.
//
// It first stores the ledger keys of the batches it removes (an object of
// the snapshots bucket, merged with the last of the earlier prunes' while
// those hold fewer than twice as many, so that the keys written over all
// prunes grow as n·log n, not n²), then records in the
// parts bucket how many batches were pruned and the sequence of the last
// (compare-and-set, beside the snapshot it used), and only then purges
// them: a prune that fails part way leaves at most messages that the
// stores skip. The subject's last message is never purged, so that
// commits stay fenced on its sequence: a snapshot of every batch leaves
// the last one in the stream.
//
// From then on the snapshot is the only copy of the pruned batches' events:
// a snapshot that cannot be read (a tracker of a later release that
// refuses an earlier format) cannot be replaced by a replay. Load starts
// at the first batch after the pruned ones; LoadAfter and SaveSnapshot
// refuse an n below their count; the batches' numbers stay, and a ledger
// key of a pruned batch is still refused with kpi.ErrDuplicateKey. A store
// that is loading the partition while it is pruned fails with an error
// that says to load again, rather than number its batches wrong: call
// Prune from the worker that holds the partition, after Tracker.Snapshot.
func (t *Tenant) Prune(ctx context.Context, p int) (pruned int64, err error) {
	if p < 0 || p >= t.parts {
		return 0, fmt.Errorf("tenant %s: no partition %d", t.name, p)
	}
	s := t.store(p)
	for try := range casTries {
		if err := casWait(ctx, try); err != nil {
			return 0, err
		}
		rec, rev, err := t.snapRecord(ctx, p)
		if err != nil || rec.Object == "" || rec.Batches <= rec.Pruned {
			return 0, err
		}
		// The ledger keys of the batches to prune.
		keys := map[string]bool{}
		_, err = s.readFrom(ctx, rec.Pruned, rec.PrunedSeq, rec.Seq, func(_ int64, seq uint64, data []byte) error {
			return ledgerKeys(s.subject, seq, data, keys)
		})
		if err != nil {
			return 0, fmt.Errorf("prune: %w", err)
		}
		next := rec
		next.Pruned, next.PrunedSeq = rec.Batches, rec.Seq
		written, err := t.addKeys(ctx, p, &next, keys)
		if err != nil {
			return 0, fmt.Errorf("prune: %w", err)
		}
		switch err := t.putRecord(ctx, p, next, rev); {
		case errors.Is(err, errRecordChanged):
			t.deleteObject(ctx, written)
			continue
		case err != nil:
			t.deleteObject(ctx, written)
			return 0, fmt.Errorf("prune: %w", err)
		}
		// The objects the record no longer names: those merged.
		for _, name := range rec.keyObjects() {
			if !slices.Contains(next.keyObjects(), name) {
				t.deleteObject(ctx, name)
			}
		}
		if err := t.purge(ctx, s, next.PrunedSeq); err != nil {
			return 0, fmt.Errorf("prune: %w (the stores skip what it left)", err)
		}
		return next.Pruned - rec.Pruned, nil
	}
	return 0, fmt.Errorf("tenant %s: prune partition %d: too many concurrent writers of its record", t.name, p)
}

// addKeys adds the ledger keys of the batches a prune removes to the
// objects the record r names (see keyObject): a new object of them,
// merged with the last ones while they hold fewer than twice its keys. It
// returns the name of the object it wrote ("" for none: no keys), which
// the caller removes if the record cannot be written.
func (t *Tenant) addKeys(ctx context.Context, p int, r *snapRecord, keys map[string]bool) (string, error) {
	if len(keys) == 0 {
		return "", nil
	}
	chain := slices.Clone(r.Ledger)
	if r.Keys != "" {
		// An earlier release's object: its count is read once.
		list, err := t.readKeys(ctx, r.Keys)
		if err != nil {
			return "", err
		}
		chain = append([]keyObject{{Name: r.Keys, N: len(list)}}, chain...)
	}
	list := slices.Collect(maps.Keys(keys))
	for len(chain) > 0 && chain[len(chain)-1].N < 2*len(list) {
		old, err := t.readKeys(ctx, chain[len(chain)-1].Name)
		if err != nil {
			return "", err
		}
		list = append(list, old...)
		chain = chain[:len(chain)-1]
	}
	slices.Sort(list)
	data, err := json.Marshal(list)
	if err != nil {
		return "", err
	}
	name := objectName(p, "ledger")
	err = t.putObject(ctx, name, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
	if err != nil {
		return "", err
	}
	r.Keys, r.Ledger = "", append(chain, keyObject{Name: name, N: len(list)})
	return name, nil
}

// Prune implements scaleout.Pruner for a partition's store: Tenant.Prune
// of its partition, so that a scaleout.Worker that snapshots the partition
// prunes it after each snapshot.
func (s *store) Prune(ctx context.Context) error {
	_, err := s.t.Prune(ctx, s.p)
	return err
}

var (
	_ scaleout.Pruner       = (*store)(nil)
	_ scaleout.BatchLimiter = (*store)(nil)
)

// purge removes the messages of s's subject up to sequence seq, but never
// the subject's last message.
func (t *Tenant) purge(ctx context.Context, s *store, seq uint64) error {
	last, err := lastSeq(ctx, s.s, s.subject)
	if err != nil {
		return err
	}
	upTo := seq + 1 // the purge keeps upTo and what follows
	if seq >= last {
		upTo = seq
	}
	if upTo <= 1 {
		return nil
	}
	return retry(ctx, func(ctx context.Context) error {
		return s.s.Purge(ctx, jetstream.WithPurgeSubject(s.subject), jetstream.WithPurgeSequence(upTo))
	})
}
