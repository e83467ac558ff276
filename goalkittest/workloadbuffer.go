package goalkittest

import (
	"fmt"
	"strconv"
	"time"
	"unsafe"

	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// WorkloadBuffer holds a drawn workload column by column (about 30 bytes an
// event version), so that a benchmark can time loading the events apart
// from drawing them.
type WorkloadBuffer struct {
	id      []int64
	kind    []uint8
	user    []uint16
	ts      []int64 // unix seconds
	cents   []int64 // 0: no amount
	source  []uint8
	pipe    []uint8
	deleted []bool
}

// Len is the number of event versions in the buffer.
func (b *WorkloadBuffer) Len() int { return len(b.id) }

// Draw generates the workload into a buffer; Replay then passes the same
// event versions as Generate.
func (w Workload) Draw() (*WorkloadBuffer, error) {
	b := &WorkloadBuffer{}
	kinds := map[string]uint8{}
	for i, k := range workloadKinds {
		kinds[k] = uint8(i)
	}
	sources := map[string]uint8{}
	for i, s := range workloadSources {
		sources[s] = uint8(i)
	}
	err := w.Generate(func(e *kpi.Event) error {
		id, err := strconv.ParseInt(e.ID, 10, 64)
		if err != nil {
			return fmt.Errorf("workload: id %q: %w", e.ID, err)
		}
		b.id = append(b.id, id)
		b.deleted = append(b.deleted, e.Deleted)
		if e.Deleted {
			b.kind, b.user, b.ts, b.cents, b.source, b.pipe = append(b.kind, 0), append(b.user, 0), append(b.ts, 0), append(b.cents, 0), append(b.source, 0), append(b.pipe, 0)
			return nil
		}
		user, err := strconv.Atoi(e.Actor)
		if err != nil {
			return fmt.Errorf("workload: actor %q: %w", e.Actor, err)
		}
		var cents int64
		if e.Amount.Valid {
			cents = e.Amount.Decimal.Shift(2).IntPart()
		}
		src, _ := e.Attrs["source"].(string)
		pipe, _ := e.Attrs["pipeline"].(int64)
		b.kind = append(b.kind, kinds[e.Kind])
		b.user = append(b.user, uint16(user))
		b.ts = append(b.ts, e.Time.Unix())
		b.cents = append(b.cents, cents)
		b.source = append(b.source, sources[src])
		b.pipe = append(b.pipe, uint8(pipe))
		return nil
	})
	return b, err
}

// Replay calls fn for every event version of the buffer, in order, as
// Generate would, and returns the first error fn returns. The *kpi.Event,
// its Attrs and the bytes of its ID are reused between calls: fn copies
// what it keeps, the ID included.
func (b *WorkloadBuffer) Replay(fn func(*kpi.Event) error) error {
	return b.replay(0, len(b.id), fn)
}

// ReplayPart is Replay of one of parts consecutive parts of the buffer, of
// nearly equal length: the versions of parts 0, 1, ... parts-1, replayed in
// turn, are those Replay passes. Different parts may replay at once, on
// goroutines of their own (as kpi.Table.ImportParallel calls them).
func (b *WorkloadBuffer) ReplayPart(part, parts int, fn func(*kpi.Event) error) error {
	n := len(b.id)
	return b.replay(n*part/parts, n*(part+1)/parts, fn)
}

func (b *WorkloadBuffer) replay(lo, hi int, fn func(*kpi.Event) error) error {
	actors := workloadActors()
	sources, pipelines := workloadAttrValues()
	var e kpi.Event
	attrs := map[string]any{}
	var idBuf [20]byte
	for i := lo; i < hi; i++ {
		id := formatID(&idBuf, b.id[i])
		if b.deleted[i] {
			e = kpi.Event{ID: id, Deleted: true}
		} else {
			e = kpi.Event{ID: id, Kind: workloadKinds[b.kind[i]], Time: time.Unix(b.ts[i], 0).UTC(), Actor: actors[b.user[i]], Attrs: attrs}
			if c := b.cents[i]; c != 0 {
				e.Amount = decimal.NewNullDecimal(decimal.New(c, -2))
			}
			attrs["source"] = sources[b.source[i]]
			attrs["pipeline"] = pipelines[b.pipe[i]]
		}
		if err := fn(&e); err != nil {
			return err
		}
	}
	return nil
}

// formatID writes the decimal digits of id (not negative) at the end of
// buf and returns them, without the allocation or copy of strconv.
func formatID(buf *[20]byte, id int64) string {
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + id%10)
		if id /= 10; id == 0 {
			break
		}
	}
	return unsafe.String(&buf[i], len(buf)-i)
}
