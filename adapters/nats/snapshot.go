package nats

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/goalkit/goalkit/kpi"
	"github.com/nats-io/nats.go/jetstream"
)

var _ kpi.TrackSnapshotter = (*store)(nil)

// snapshotChunk is the size of the messages a snapshot is stored in: under
// the server's default limit on a message (1 MiB).
const snapshotChunk = 512 << 10

// snapRecord is what the parts bucket keeps of a partition's snapshots and
// pruning, under the key snapshot.p<partition>: one message, replaced with
// compare-and-set on its revision, so a snapshot becomes the latest, and a
// prune is recorded, all at once.
type snapRecord struct {
	// Object names the latest snapshot in the snapshots bucket ("" for
	// none); it covers the first Batches batches, the last of which is at
	// sequence Seq of the state stream.
	Object  string `json:"object,omitempty"`
	Batches int64  `json:"batches,omitempty"`
	Seq     uint64 `json:"seq,omitempty"`
	// Pruned batches were removed from the state stream, the last of them
	// at sequence PrunedSeq; Ledger names the objects that hold their
	// ledger keys (each a JSON array), oldest first. Keys names the one
	// object of them that a record of an earlier release names; a prune
	// moves it to the head of Ledger.
	Pruned    int64       `json:"pruned,omitempty"`
	PrunedSeq uint64      `json:"pruned_seq,omitempty"`
	Keys      string      `json:"keys,omitempty"`
	Ledger    []keyObject `json:"ledger,omitempty"`
}

func snapKey(p int) string { return "snapshot.p" + strconv.Itoa(p) }

// keyObject is an object of ledger keys of pruned batches and how many
// it holds. Each prune writes the keys of the batches it removes as an
// object, merged with the last ones while the last holds fewer than twice
// as many: each object holds at least twice the keys of the next, so a
// record names at most about log2(keys) of them, and a key is written
// again only into an object at least half as large again as its own, so
// about log(keys) times in all. A prune writes neither the
// keys pruned before (one object of every key, written again by every
// prune, grew for as long as the tenant ran) nor anything when it removes
// no key.
type keyObject struct {
	Name string `json:"name"`
	N    int    `json:"n"`
}

// decodeRecord parses a snapshot record and checks that it holds together.
func decodeRecord(data []byte) (snapRecord, error) {
	var r snapRecord
	if err := json.Unmarshal(data, &r); err != nil {
		return snapRecord{}, err
	}
	switch {
	case r.Batches < 0 || r.Pruned < 0:
		return snapRecord{}, fmt.Errorf("negative batches (%d, pruned %d)", r.Batches, r.Pruned)
	case r.Object == "" && (r.Batches != 0 || r.Seq != 0):
		return snapRecord{}, errors.New("batches without a snapshot")
	case r.Object != "" && r.Batches < r.Pruned:
		return snapRecord{}, fmt.Errorf("the snapshot covers %d batches, fewer than the %d pruned", r.Batches, r.Pruned)
	case r.Object != "" && (r.Seq < r.PrunedSeq || (r.Batches > 0) != (r.Seq > 0)):
		return snapRecord{}, fmt.Errorf("the snapshot's %d batches end at sequence %d (pruned: %d at %d)", r.Batches, r.Seq, r.Pruned, r.PrunedSeq)
	case (r.Pruned > 0) != (r.PrunedSeq > 0):
		return snapRecord{}, fmt.Errorf("%d batches pruned up to sequence %d", r.Pruned, r.PrunedSeq)
	}
	for _, o := range r.Ledger {
		if o.Name == "" || o.N < 1 {
			return snapRecord{}, fmt.Errorf("a ledger keys' object %q of %d keys", o.Name, o.N)
		}
	}
	if len(r.Ledger) == 0 {
		r.Ledger = nil // "ledger": [] is no object, as a record without the member
	}
	return r, nil
}

// snapRecord reads partition p's record from the bucket's stream leader,
// and its revision (0 when there is none).
func (t *Tenant) snapRecord(ctx context.Context, p int) (snapRecord, uint64, error) {
	key := snapKey(p)
	data, rev, found, err := t.partStore().get(ctx, key)
	if err != nil {
		return snapRecord{}, 0, fmt.Errorf("tenant %s: %s: %w", t.name, key, err)
	}
	if !found {
		return snapRecord{}, rev, nil
	}
	r, err := decodeRecord(data)
	if err != nil {
		return snapRecord{}, 0, fmt.Errorf("tenant %s: %s, revision %d: %w", t.name, key, rev, err)
	}
	return r, rev, nil
}

// errRecordChanged is returned by putRecord when another writer replaced
// the record since it was read.
var errRecordChanged = errors.New("the snapshot record changed")

// putRecord replaces partition p's record if it is still at revision rev.
func (t *Tenant) putRecord(ctx context.Context, p int, r snapRecord, rev uint64) error {
	data, err := json.Marshal(&r)
	if err != nil {
		return err
	}
	key := snapKey(p)
	err = putAt(ctx, t.kvPart, key, data, rev)
	switch {
	case wrongLast(err):
		return errRecordChanged
	case err != nil:
		return fmt.Errorf("tenant %s: %s: %w", t.name, key, err)
	}
	return nil
}

// snapshots returns the tenant's snapshots bucket, or an error naming
// what to do when the tenant has none.
func (t *Tenant) snapshots() (jetstream.ObjectStore, error) {
	if t.snaps == nil {
		return nil, fmt.Errorf("tenant %s has no snapshots bucket (it was created by an earlier release): call Create to add it", t.name)
	}
	return t.snaps, nil
}

// objectName returns a new name for an object of partition p: a random
// suffix, so that a write never replaces an object that a record names.
func objectName(p int, kind string) string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return "p" + strconv.Itoa(p) + "." + kind + "." + hex.EncodeToString(b[:])
}

// putObject stores what write writes as object name, whole or not at all:
// if write, the server or ctx fails, it removes what it stored.
func (t *Tenant) putObject(ctx context.Context, name string, write func(w io.Writer) error) error {
	obs, err := t.snapshots()
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	pr, pw := io.Pipe()
	put := make(chan error, 1)
	go func() {
		// The object store stops at a read error and removes the chunks it
		// wrote; it is given a context that is not cancelled so that it can.
		meta := jetstream.ObjectMeta{Name: name, Opts: &jetstream.ObjectMetaOptions{ChunkSize: snapshotChunk}}
		_, err := obs.Put(context.WithoutCancel(ctx), meta, ctxReader{ctx, pr})
		pr.CloseWithError(cmpOr(err, io.ErrClosedPipe))
		put <- err
	}()
	werr := write(pw)
	if werr != nil {
		pw.CloseWithError(werr)
	} else {
		pw.Close()
	}
	perr := <-put
	switch {
	case werr != nil && !errors.Is(werr, perr):
		perr = werr // write failed on its own, or the store failed and write wrapped it
	case werr == nil && perr == nil:
		perr = ctx.Err()
	}
	if perr != nil {
		// Put removes the chunks of a failed write, but its description may
		// have been stored before a chunk failed.
		t.deleteObject(ctx, name)
		return fmt.Errorf("tenant %s: object %s: %w", t.name, name, perr)
	}
	return nil
}

func cmpOr(err, or error) error {
	if err != nil {
		return err
	}
	return or
}

// ctxReader fails its reads once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (r ctxReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}

// deleteObject removes an object and the marker the object store leaves
// in its place, so that the bucket does not keep one for each snapshot
// ever saved. It fails silently: an object left behind takes space but is
// named by no record.
func (t *Tenant) deleteObject(ctx context.Context, name string) {
	if t.snaps == nil || name == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), attemptTimeout)
	defer cancel()
	if err := t.snaps.Delete(ctx, name); err != nil && !errors.Is(err, jetstream.ErrObjectNotFound) {
		return
	}
	// The marker is the description message, on a subject the object store
	// names after the object ($O.<bucket>.M.<name in base64url>).
	bucket := snapshotBucket(t.name)
	s, err := t.js.Stream(ctx, "OBJ_"+bucket)
	if err != nil {
		return
	}
	_ = s.Purge(ctx, jetstream.WithPurgeSubject("$O."+bucket+".M."+base64.URLEncoding.EncodeToString([]byte(name))))
}

// SaveSnapshot implements kpi.TrackSnapshotter. It writes the snapshot as
// a new object of the snapshots bucket (in messages of 512 KiB, as write
// produces them), then makes it the latest by replacing the partition's
// record in the parts bucket (compare-and-set), then removes the previous
// snapshot. If write, the server or ctx fails, the new object is removed
// and the previous snapshot stays the latest. Commit does not wait for it.
// n must not exceed the committed batches, nor be below the pruned ones.
func (s *store) SaveSnapshot(ctx context.Context, n int64, write func(w io.Writer) error) error {
	if n < 0 {
		return fmt.Errorf("%s: save snapshot: %d batches", s.subject, n)
	}
	if _, err := s.t.snapshots(); err != nil {
		return err
	}
	rec, _, err := s.t.snapRecord(ctx, s.p)
	if err != nil {
		return err
	}
	seq, err := s.seqOf(ctx, n, rec)
	if err != nil {
		return fmt.Errorf("save snapshot: %w", err)
	}
	name := objectName(s.p, "snapshot")
	if err := s.t.putObject(ctx, name, write); err != nil {
		return fmt.Errorf("save snapshot: %w", err)
	}
	for try := range casTries {
		if err := casWait(ctx, try); err != nil {
			s.t.deleteObject(ctx, name)
			return fmt.Errorf("save snapshot: %w", err)
		}
		rec, rev, err := s.t.snapRecord(ctx, s.p)
		if err == nil && n < rec.Pruned {
			err = fmt.Errorf("%s: save snapshot: %d batches, but the first %d were pruned meanwhile", s.subject, n, rec.Pruned)
		}
		if err == nil {
			prev := rec.Object
			rec.Object, rec.Batches, rec.Seq = name, n, seq
			if err = s.t.putRecord(ctx, s.p, rec, rev); err == nil {
				s.t.deleteObject(ctx, prev)
				s.mu.Lock()
				s.at.forget(n)
				s.mu.Unlock()
				return nil
			}
		}
		if !errors.Is(err, errRecordChanged) {
			s.t.deleteObject(ctx, name)
			return err
		}
	}
	s.t.deleteObject(ctx, name)
	return fmt.Errorf("%s: save snapshot: too many concurrent writers of its record", s.subject)
}

// seqOf returns the stream sequence of batch n (0 for none): from the
// store's numbering when it holds it, else by counting the batches after
// the latest snapshot or pruned batch before it.
func (s *store) seqOf(ctx context.Context, n int64, rec snapRecord) (uint64, error) {
	s.mu.Lock()
	seq, ok := s.at.seq(n)
	s.mu.Unlock()
	if ok {
		return seq, nil
	}
	if n < rec.Pruned {
		return 0, fmt.Errorf("%s: %d batches, but the first %d were pruned (their events are only in the snapshot)", s.subject, n, rec.Pruned)
	}
	from, fromSeq := rec.anchor(n)
	if n == from {
		return fromSeq, nil
	}
	end, err := lastSeq(ctx, s.s, s.subject)
	if err != nil {
		return 0, err
	}
	errFound := errors.New("found")
	at, err := s.readFrom(ctx, from, fromSeq, end, func(k int64, q uint64, _ []byte) error {
		if k == n {
			seq = q
			return errFound
		}
		return nil
	})
	switch {
	case errors.Is(err, errFound):
		return seq, nil
	case err != nil:
		return 0, err
	}
	return 0, fmt.Errorf("%s: %d batches, but the partition holds %d", s.subject, n, at.base+int64(len(at.seqs)))
}

// anchor returns the latest batch at or before n whose sequence the record
// knows: the snapshot's last, or the pruned batches' last (0, 0: none).
func (r snapRecord) anchor(n int64) (int64, uint64) {
	if r.Object != "" && r.Batches <= n && r.Batches > r.Pruned {
		return r.Batches, r.Seq
	}
	return r.Pruned, r.PrunedSeq
}

// LoadSnapshot implements kpi.TrackSnapshotter: it reads the object the
// partition's record names, as the server sends it; the object store
// checks its SHA-256 digest at the end. A snapshot replaced while it is
// read (another tracker of the partition saved one) is removed under the
// reader, whose read then fails: load again.
func (s *store) LoadSnapshot(ctx context.Context, read func(n int64, r io.Reader) error) (bool, error) {
	rec, _, err := s.t.snapRecord(ctx, s.p)
	if err != nil || rec.Object == "" {
		return false, err
	}
	obs, err := s.t.snapshots()
	if err != nil {
		return false, err
	}
	res, err := obs.Get(ctx, rec.Object)
	if err != nil {
		return false, fmt.Errorf("%s: snapshot %s: %w", s.subject, rec.Object, err)
	}
	defer res.Close()
	if err := read(rec.Batches, res); err != nil {
		return true, fmt.Errorf("%s: snapshot %s: %w", s.subject, rec.Object, err)
	}
	return true, nil
}

// LoadAfter implements kpi.TrackSnapshotter: it reads the state stream
// from the sequence the record holds for the latest snapshot (or the
// pruned batches) at or before batch n, and calls fn with the batches
// after n. n must not be below the pruned batches. The store then knows
// the ledger keys of those batches only: its first commit with ledger
// keys reads the others' (see Commit).
func (s *store) LoadAfter(ctx context.Context, n int64, fn func(b *kpi.TrackBatch) error) error {
	if n < 0 {
		return fmt.Errorf("%s: load after: %d batches", s.subject, n)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, _, err := s.t.snapRecord(ctx, s.p)
	if err != nil {
		return err
	}
	if n < rec.Pruned {
		return fmt.Errorf("%s: load after: %d batches, but the first %d were pruned (their events are only in the snapshot)", s.subject, n, rec.Pruned)
	}
	end, err := lastSeq(ctx, s.s, s.subject)
	if err != nil {
		return err
	}
	s.last, s.known, s.at = end, true, numbering{}
	clear(s.keys)
	s.keysAll = false
	from, fromSeq := rec.anchor(n)
	at, err := s.readFrom(ctx, from, fromSeq, end, func(k int64, seq uint64, data []byte) error {
		if k <= n {
			return nil
		}
		return s.hand(seq, data, fn)
	})
	if err != nil {
		return err
	}
	if held := at.base + int64(len(at.seqs)); held < n {
		return fmt.Errorf("%s: load after: %d batches, but the partition holds %d", s.subject, n, held)
	}
	s.at = at
	return nil
}
