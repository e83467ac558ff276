package kpi

import (
	"context"
	"slices"
	"sync"
	"unsafe"

	"github.com/goalkit/goalkit/internal/colstore"
)

// Stream fills the table from a producer, such as a file reader, that calls
// emit once for each event version in order; emit copies what it needs, so
// the producer may reuse its Event and the bytes of its ID (other strings,
// immutable as Go strings are, are kept as they are). The producer runs in a goroutine of its
// own while the events it has emitted are applied, so reading and applying
// share the machine's cores.
//
// Stream is not all or nothing: the events applied before an error
// stay applied. A producer's error is returned as it is.
func (t *Table) Stream(ctx context.Context, produce func(emit func(*Event) error) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan *stage, 4)
	free := sync.Pool{New: func() any { return &stage{} }}
	var perr error
	go func() {
		defer close(batches)
		cur := free.Get().(*stage)
		var names []string
		perr = produce(func(e *Event) error {
			cur.add(e, &names)
			if len(cur.in) < stageSize {
				return nil
			}
			select {
			case batches <- cur:
			case <-ctx.Done():
				return ctx.Err()
			}
			cur = free.Get().(*stage)
			cur.reset()
			return nil
		})
		if perr == nil && len(cur.in) > 0 {
			select {
			case batches <- cur:
			case <-ctx.Done():
			}
		}
	}()
	var aerr error
	for b := range batches {
		if aerr == nil {
			aerr = b.apply(t.t)
			if aerr != nil {
				cancel()
			}
		}
		b.reset()
		free.Put(b)
	}
	if aerr != nil {
		return aerr
	}
	return perr
}

const stageSize = 4096

// stage is a batch of copied event versions.
type stage struct {
	in    []colstore.Input
	attrs []colstore.Attr
	spans [][2]int32 // each input's range in attrs
	ids   []byte     // the ids' bytes, copied: producers may reuse theirs
	idEnd []int32
}

func (b *stage) reset() {
	clear(b.in)
	clear(b.attrs)
	b.in, b.attrs, b.spans, b.ids, b.idEnd = b.in[:0], b.attrs[:0], b.spans[:0], b.ids[:0], b.idEnd[:0]
}

func (b *stage) add(e *Event, names *[]string) {
	start := len(b.attrs)
	// Look the attributes seen so far up by name, which is much cheaper than
	// iterating the map; iterate only when the event has a new one.
	for _, k := range *names {
		if v, ok := e.Attrs[k]; ok {
			b.attrs = append(b.attrs, colstore.Attr{Name: k, Value: v})
		}
	}
	if len(b.attrs)-start != len(e.Attrs) {
		b.attrs = b.attrs[:start]
		for k, v := range e.Attrs {
			b.attrs = append(b.attrs, colstore.Attr{Name: k, Value: v})
			if len(*names) < 16 && !slices.Contains(*names, k) {
				*names = append(*names, k)
			}
		}
	}
	b.spans = append(b.spans, [2]int32{int32(start), int32(len(b.attrs))})
	b.ids = append(b.ids, e.ID...)
	b.idEnd = append(b.idEnd, int32(len(b.ids)))
	b.in = append(b.in, colstore.Input{Kind: e.Kind, Time: e.Time, Actor: e.Actor, Amount: e.Amount,
		Currency: e.Currency, Deleted: e.Deleted, Known: e.Known})
}

func (b *stage) apply(tab *colstore.Table) error {
	start := int32(0)
	for i := range b.in {
		in := &b.in[i]
		if end := b.idEnd[i]; end > start {
			in.ID = unsafe.String(&b.ids[start], int(end-start))
			start = end
		}
		sp := b.spans[i]
		in.AttrList = b.attrs[sp[0]:sp[1]:sp[1]]
		if in.AttrList == nil {
			in.AttrList = []colstore.Attr{}
		}
		if err := tab.Apply(in); err != nil {
			return err
		}
	}
	return nil
}
