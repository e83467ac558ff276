package serve

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// digest identifies an event version by its content (Known aside).
type digest [16]byte

// versions remembers the digest of the version of every event id applied,
// so that an event posted again unchanged is not applied again: ingestion
// is idempotent by event id and version, and a client may retry a batch
// whose answer it did not get.
type versions struct {
	m map[string]digest
}

// load reads the live events of the tracker.
func (v *versions) load(ctx context.Context, tr *goalkit.Tracker) error {
	v.m = map[string]digest{}
	return tr.Indicators().Scan(ctx, kpi.Query{}, func(e *kpi.Event) error {
		v.m[e.ID] = versionOf(e)
		return nil
	})
}

// fresh returns the events of batch that change something, in order, with
// the digests to remember once the batch is applied. An event equal to the
// version applied before (or earlier in the batch) is left out, and so is
// a retraction of an id that has no version. An id whose last version in
// the batch is the one applied before (a retraction, for an id with no
// live version) is left out whole: the batch sent again, holding two
// versions of the id, changes nothing, where it applied both again.
func (v *versions) fresh(batch []kpi.Event, known time.Time) ([]kpi.Event, map[string]digest) {
	out, next, again := v.scan(batch, known, nil)
	if !again {
		return out, next
	}
	// Some id has two versions that change something: the rare case,
	// scanned again knowing each id's last version.
	last := make(map[string]*kpi.Event, len(batch))
	for i := range batch {
		last[batch[i].ID] = &batch[i]
	}
	settled := map[string]bool{}
	for id, e := range last {
		cur, ok := v.m[id]
		if ok && cur == versionOf(e) || !ok && e.Deleted {
			settled[id] = true
		}
	}
	out, next, _ = v.scan(batch, known, settled)
	return out, next
}

// scan is fresh leaving out the ids settled, and says whether an id had
// a second version that changes something.
func (v *versions) scan(batch []kpi.Event, known time.Time, settled map[string]bool) (out []kpi.Event, next map[string]digest, again bool) {
	next = map[string]digest{}
	for i := range batch {
		e := &batch[i]
		if settled != nil && settled[e.ID] { // nil: the common path, no lookup
			continue
		}
		d := versionOf(e)
		cur, inBatch := next[e.ID]
		ok := inBatch
		if !ok {
			cur, ok = v.m[e.ID]
		}
		if ok && cur == d {
			continue
		}
		if !ok && e.Deleted {
			// No live version to retract: nothing changes. The versions
			// of a server started again know only live events, so a
			// retraction sent again after a restart is left out here
			// as it was before.
			continue
		}
		again = again || inBatch
		next[e.ID] = d
		out = append(out, *e)
		out[len(out)-1].Known = known
	}
	return out, next, again
}

// commit remembers the digests of an applied batch.
func (v *versions) commit(next map[string]digest) {
	for id, d := range next {
		v.m[id] = d
	}
}

// versionOf digests an event's content: every field but Known, attributes
// in name order, each value with its type.
func versionOf(e *kpi.Event) digest {
	return digestOf(e, func(v any) string { return fmt.Sprintf("%T:%v", v, v) })
}

// textOf digests an event's content as versionOf does, each attribute by
// its text (goalkit.AttrText) whatever its type: the same line of an
// event file, typed otherwise by a plan whose attributes changed, has the
// same digest.
func textOf(e *kpi.Event) digest { return digestOf(e, goalkit.AttrText) }

// digestOf digests an event's content, attribute values as attr writes
// them.
func digestOf(e *kpi.Event, attr func(any) string) digest {
	h := sha256.New()
	var b []byte
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	if e.Deleted {
		b = append(b, 'D')
		str(e.ID)
	} else {
		b = append(b, 'E')
		str(e.ID)
		str(e.Kind)
		b = e.Time.UTC().AppendFormat(b, time.RFC3339Nano)
		b = append(b, 0)
		str(e.Actor)
		str(amountText(e.Amount))
		str(e.Currency)
		names := make([]string, 0, len(e.Attrs))
		for k := range e.Attrs {
			names = append(names, k)
		}
		slices.Sort(names)
		for _, k := range names {
			str(k)
			str(attr(e.Attrs[k]))
		}
	}
	h.Write(b)
	var d digest
	copy(d[:], h.Sum(nil))
	return d
}

func amountText(a decimal.NullDecimal) string {
	if !a.Valid {
		return "-"
	}
	return a.Decimal.String()
}
