package scaleout

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"github.com/goalkit/goalkit/kpi"
)

// posKey is the closed-record key under which a worker commits, with each
// batch, the offset of the batch's last record, and, over an IdentifiedLog,
// a space and the identity of the partition it was read from
// ("1042 2026-12-06T21:50:49.123456789Z"). A position of the offset alone
// (written before identities, or over a log without them) reads as one of
// no known identity.
const posKey = "scaleout.pos"

// partTag opens a part put by a worker over an IdentifiedLog: the
// tracker's part (a JSON object) with a first member that holds the
// identity of the log's partition it was made from
// ({"scaleout_identity":"2026-12-06T21:50:49.123456789Z","v":1,…}). The
// merge of the parts ignores a member it does not know, so that a reader
// of before the tag merges a tagged part as it did. A part without it (put
// before parts carried an identity, or over a log without one) is of no
// known identity.
const partTag = `{"scaleout_identity":`

// withIdentity returns part tagged with the identity ident of the log's
// partition it was made from (part itself when ident is "" or part is no
// JSON object).
func withIdentity(ident string, part []byte) []byte {
	if ident == "" || len(part) < 2 || part[0] != '{' {
		return part
	}
	q, _ := json.Marshal(ident) // a string always marshals
	b := make([]byte, 0, len(partTag)+len(q)+len(part))
	b = append(append(b, partTag...), q...)
	if rest := bytes.TrimLeft(part[1:], " \t\r\n"); len(rest) == 0 || rest[0] != '}' {
		b = append(b, ',')
	}
	return append(b, part[1:]...)
}

// partIdentity returns the identity a stored part was tagged with ("":
// none).
func partIdentity(data []byte) string {
	rest, ok := bytes.CutPrefix(data, []byte(partTag))
	if !ok {
		return ""
	}
	var ident string
	if json.NewDecoder(bytes.NewReader(rest)).Decode(&ident) != nil {
		return "" // the merge refuses the part, naming it
	}
	return ident
}

// restored wraps a partition's TrackStore: while the tracker loads it, it
// notes the committed position and the versions applied. restore gives it
// the capabilities of the store it wraps.
type restored struct {
	kpi.TrackStore
	pos    uint64
	ident  string // the identity of the log pos is in ("": not known)
	hasPos bool   // a batch loaded carried the position
	v      versions
}

// note notes what a loaded batch tells: its versions and its position.
func (r *restored) note(fn func(b *kpi.TrackBatch) error) func(b *kpi.TrackBatch) error {
	return func(b *kpi.TrackBatch) error {
		for i := range b.Events {
			r.v.fresh(&b.Events[i])
		}
		for _, c := range b.Closed {
			if c.Key == posKey {
				p, ident, err := parsePos(c.Data)
				if err != nil {
					return err
				}
				r.pos, r.ident, r.hasPos = p, ident, true
			}
		}
		return fn(b)
	}
}

// parsePos reads a position record (posKey): the offset, and the identity
// of the log after a space, if any.
func parsePos(data []byte) (uint64, string, error) {
	num, ident, _ := strings.Cut(string(data), " ")
	p, err := strconv.ParseUint(num, 10, 64)
	return p, ident, err
}

// appendPos appends the position record of offset pos in the log of
// identity ident ("": not known) to b.
func appendPos(b []byte, pos uint64, ident string) []byte {
	b = strconv.AppendUint(b, pos, 10)
	if ident != "" {
		b = append(append(b, ' '), ident...)
	}
	return b
}

func (r *restored) Load(ctx context.Context, fn func(b *kpi.TrackBatch) error) error {
	return r.TrackStore.Load(ctx, r.note(fn))
}

// position sets the position from the tracker's closed records when no
// batch after its snapshot carried it (the snapshot holds them).
func (r *restored) position(closed map[string][]byte) error {
	if r.hasPos {
		return nil
	}
	data, ok := closed[posKey]
	if !ok {
		return nil
	}
	p, ident, err := parsePos(data)
	if err != nil {
		return err
	}
	r.pos, r.ident, r.hasPos = p, ident, true
	return nil
}

// snapRestored keeps the TrackSnapshotter of a store that has one: the
// worker's snapshot holds its versions before the tracker's (see
// writeSnapshot), so that a worker restarted from it knows them.
type snapRestored struct {
	*restored
	sn kpi.TrackSnapshotter
}

// SaveSnapshot is called by the worker's own goroutine between batches
// (Tracker.Snapshot returns once it has): r.v then holds the versions of
// the n batches the tracker's snapshot covers.
func (r snapRestored) SaveSnapshot(ctx context.Context, n int64, write func(w io.Writer) error) error {
	return r.sn.SaveSnapshot(ctx, n, func(w io.Writer) error { return writeSnapshot(w, r.v, write) })
}

func (r snapRestored) LoadSnapshot(ctx context.Context, read func(n int64, in io.Reader) error) (bool, error) {
	return r.sn.LoadSnapshot(ctx, func(n int64, in io.Reader) error {
		build, rest, err := readSnapshot(in)
		if err != nil {
			return err
		}
		err = read(n, rest)
		v, verr := build()
		if err != nil {
			return err
		}
		if verr != nil {
			return verr
		}
		r.v = v
		return nil
	})
}

func (r snapRestored) LoadAfter(ctx context.Context, n int64, fn func(b *kpi.TrackBatch) error) error {
	return r.sn.LoadAfter(ctx, n, r.note(fn))
}

// lockedRestored keeps the TrackLocker of a store that has one.
type lockedRestored struct {
	*restored
	l kpi.TrackLocker
}

func (r lockedRestored) Lock(ctx context.Context) (func() error, error) { return r.l.Lock(ctx) }

// lockedSnapRestored keeps both.
type lockedSnapRestored struct {
	snapRestored
	l kpi.TrackLocker
}

func (r lockedSnapRestored) Lock(ctx context.Context) (func() error, error) { return r.l.Lock(ctx) }

// restore wraps s, keeping whichever of kpi.TrackSnapshotter and
// kpi.TrackLocker it implements.
func restore(s kpi.TrackStore) (*restored, kpi.TrackStore) {
	r := &restored{TrackStore: s, v: versions{}}
	sn, snaps := s.(kpi.TrackSnapshotter)
	l, locks := s.(kpi.TrackLocker)
	switch {
	case snaps && locks:
		return r, lockedSnapRestored{snapRestored{r, sn}, l}
	case snaps:
		return r, snapRestored{r, sn}
	case locks:
		return r, lockedRestored{r, l}
	}
	return r, r
}
