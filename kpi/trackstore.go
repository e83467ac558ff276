package kpi

import (
	"context"
	"errors"
	"io"
)

// TrackStore keeps a Tracker's state for the host, so that a tracker
// restarted with the same store continues where the last one stopped: the
// event versions it applied (each with the instant it became known), the
// ledger of notification keys already emitted, and closed results.
//
// Commit must be transactional: a batch is stored whole or not at all, and
// Load returns the committed batches in commit order. Implementations are
// safe for concurrent use. adapters/memory implements it; the conformance
// suite in adapters/adaptertest checks an implementation.
type TrackStore interface {
	// Commit stores a batch. If one of the batch's ledger keys is already
	// stored (or appears twice in the batch), it returns an error that
	// matches ErrDuplicateKey and stores nothing.
	Commit(ctx context.Context, b *TrackBatch) error
	// Load calls fn with every committed batch, in commit order. fn must not
	// keep b or what it points to past its call.
	Load(ctx context.Context, fn func(b *TrackBatch) error) error
}

// TrackBatch is one transaction of a tracker.
type TrackBatch struct {
	// Events are event versions in the order they were applied: new
	// events, corrections and retractions (Deleted), each with its Known
	// instant.
	Events []Event
	// Ledger holds the idempotency keys of emitted notifications, with
	// whatever the host wants to keep of them (the notification as JSON,
	// say). A key is committed at most once.
	Ledger []TrackRecord
	// Closed holds closed results by key; a later batch with the same key
	// replaces the record (a restatement).
	Closed []TrackRecord
}

// TrackRecord is one keyed record of a TrackBatch.
type TrackRecord struct {
	Key  string
	Data []byte
}

// ErrDuplicateKey is matched (errors.Is) by the error of a commit whose
// ledger key was already committed.
var ErrDuplicateKey = errors.New("ledger key already committed")

// TrackLocker is a TrackStore that admits one tracker at a time, so that two
// trackers on one store cannot drift apart. Set.Track takes the lock before
// it loads the store, and Tracker.Close releases it. A store that is not a
// TrackLocker is not locked.
type TrackLocker interface {
	// Lock takes the store for one tracker until unlock is called. If
	// another holder has it, Lock returns an error matching ErrStoreInUse.
	Lock(ctx context.Context) (unlock func() error, err error)
}

// ErrStoreInUse is matched (errors.Is) by the error of a TrackLocker's Lock
// while another tracker holds the store.
var ErrStoreInUse = errors.New("store is in use by another tracker")

// TrackSnapshotter is a TrackStore that also keeps snapshots of a tracker's
// state, so that a restarted tracker reads the latest snapshot and then only
// the batches committed after it, instead of every batch ever committed.
// Tracker.Snapshot writes one; Set.Track reads the latest one when the store
// has this capability. A snapshot is opaque to the store: bytes written by
// the tracker, in its own versioned format, and read back unchanged.
//
// Batches are counted in commit order from 1: a snapshot that covers n
// batches holds the state after the first n, and LoadAfter(n) returns the
// rest. The plain Load still returns every batch: a snapshot never replaces
// the batches it covers (a store may prune them once it has a snapshot, and
// then Load starts at the oldest batch it keeps, after the snapshot; see the
// store's documentation).
type TrackSnapshotter interface {
	TrackStore
	// SaveSnapshot stores a snapshot that covers the first n committed
	// batches, written by write, whole or not at all: if write or the
	// store fails, the previous snapshot stays the latest. The tracker
	// commits later batches while write runs (about 30 bytes an event,
	// written at memory speed): the store should not make Commit wait for
	// it.
	SaveSnapshot(ctx context.Context, n int64, write func(w io.Writer) error) error
	// LoadSnapshot calls read with the latest snapshot and the number of
	// batches it covers. found is false, and read is not called, when the
	// store holds no snapshot.
	LoadSnapshot(ctx context.Context, read func(n int64, r io.Reader) error) (found bool, err error)
	// LoadAfter calls fn with every batch committed after the first n, in
	// commit order, as Load does.
	LoadAfter(ctx context.Context, n int64, fn func(b *TrackBatch) error) error
}

// storeFailure is a store's failure to commit a batch the tracker checked
// and would have applied (see Tracker.Commit): the batch itself was not
// refused, so it may be sent again.
type storeFailure struct{ err error }

func (e *storeFailure) Error() string      { return e.err.Error() }
func (e *storeFailure) Unwrap() error      { return e.err }
func (e *storeFailure) StoreFailure() bool { return true }
