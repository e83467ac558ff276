package kpi

import (
	"context"
	"fmt"
	"slices"
	"unsafe"

	"github.com/goalkit/goalkit/internal/colstore"
)

// Import applies the event versions fn adds, in order, all or nothing: if fn
// returns nil, every version it added is applied; otherwise none is, and
// Import returns fn's error. add refuses an invalid version with an error
// that names it; fn returns that error (or its own) to apply nothing. add
// copies what it keeps, so fn may reuse its Event, the Attrs map and the
// bytes of the ID (other strings, immutable as Go strings are, are kept as
// they are).
//
// It is the fast way to fill a table (memory.Store.Import, and through it
// eventfile.Load). Into an empty table (after Grow, if the number of events
// is known) the versions are applied as they come and dropped if fn fails;
// into a table that holds events they are validated and staged as they
// come, and applied when fn returns nil. ctx is checked every few thousand
// versions: once ctx is done, add refuses the version it is given and
// every one after it with ctx's error, and the import keeps nothing, even
// when fn goes on past that error and returns nil (Import then returns
// ctx's error).
func (t *Table) Import(ctx context.Context, fn func(add func(*Event) error) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if t.t.Live() == 0 && t.t.Dead() == 0 {
		return t.importEmpty(ctx, fn)
	}
	return t.importStaged(ctx, fn)
}

// importEmpty applies versions directly; on failure the table is replaced by
// an empty one, which is what it held before.
func (t *Table) importEmpty(ctx context.Context, fn func(add func(*Event) error) error) error {
	var c canceller
	err := c.result(fn(func(e *Event) error {
		if c.due() {
			if err := c.look(ctx); err != nil {
				return err
			}
		}
		if err := t.t.ApplyVersion((*colstore.Version)(e), nil, colstore.Codes{}, nil); err != nil {
			// The words of Validate, as for a store that holds events.
			if verr := e.Validate(); verr != nil {
				return verr
			}
			return err
		}
		return nil
	}))
	if err != nil {
		t.t = colstore.New(t.t.Location())
	}
	return err
}

// canceller is the look at ctx of an import's add: every checkEvery
// versions until ctx is done, then at every version, each refused with
// ctx's error (refused keeps it), so that a function that goes on past
// that error adds nothing more, and the import keeps nothing (result).
type canceller struct {
	// left is how many versions add takes before it looks at ctx again;
	// below zero once ctx is done.
	left    int
	refused error
}

// due counts a version down and says whether add looks at ctx (look)
// before it takes it. (A check that returned look's error would cost add
// five instructions a version more, to make and test a nil error.)
func (c *canceller) due() bool {
	c.left--
	return c.left < 0
}

// look returns ctx's error when ctx is done.
func (c *canceller) look(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		c.refused = err // left stays below zero: the next add looks again
		return err
	}
	c.left = checkEvery - 1
	return nil
}

// result is what the import returns when its function returned err: err,
// or, when the function went on past add's refusal of a version for ctx
// and returned nil, ctx's error.
func (c *canceller) result(err error) error {
	if err == nil {
		return c.refused
	}
	return err
}

// importStaged copies versions into batches and applies them once fn has
// returned nil; each is validated as it comes (Validate, then the table's
// room for its kind and attribute names), so applying cannot fail.
func (t *Table) importStaged(ctx context.Context, fn func(add func(*Event) error) error) error {
	var (
		batches []*stage
		names   []string
		added   = map[string]struct{}{} // attribute names new to the table
		kinds   = map[string]struct{}{} // event kinds new to the table
		last    string                  // the kind of the version before, checked
		c       canceller
	)
	cur := &stage{}
	err := c.result(fn(func(e *Event) error {
		if c.due() {
			if err := c.look(ctx); err != nil {
				return err
			}
		}
		if err := e.Validate(); err != nil {
			return err
		}
		if !e.Deleted && e.Kind != last {
			if err := t.t.CheckKind(e.ID, e.Kind, kinds); err != nil {
				return err
			}
			last = e.Kind
		}
		if err := cur.add(t.t, e, &names, added); err != nil {
			return err
		}
		if len(cur.in) == stageSize {
			batches = append(batches, cur)
			cur = &stage{}
		}
		return nil
	}))
	if err != nil {
		return err
	}
	for _, b := range append(batches, cur) {
		if err := b.apply(t.t); err != nil {
			// Validate accepts only what the table accepts, so this is a bug.
			panic(fmt.Sprintf("kpi: event validated but not applied: %v", err))
		}
	}
	return nil
}

const (
	// checkEvery is how many versions Import adds between looks at ctx.
	checkEvery = 4096
	// stageSize is the number of versions in one staged batch.
	stageSize = 4096
)

// stage is a batch of copied event versions.
type stage struct {
	in    []colstore.Input
	attrs []colstore.Attr
	spans [][2]int32 // each input's range in attrs
	ids   []byte     // the ids' bytes, copied: producers may reuse theirs
	idEnd []int32
}

// add stages e, checking that its attribute names, with those new to t so
// far (added), fit MaxAttrNames; nothing is staged when they do not. A
// retraction's attributes are not staged: the table ignores them.
func (b *stage) add(t *colstore.Table, e *Event, names *[]string, added map[string]struct{}) error {
	start := len(b.attrs)
	if !e.Deleted {
		// Look the attributes seen so far up by name, which is much cheaper than
		// iterating the map; iterate only when the event has a new one.
		for _, k := range *names {
			if v, ok := e.Attrs[k]; ok {
				b.attrs = append(b.attrs, colstore.Attr{Name: k, Value: v})
			}
		}
		if len(b.attrs)-start != len(e.Attrs) {
			b.attrs = b.attrs[:start]
			if err := t.CheckNames(e.ID, e.Attrs, added); err != nil {
				return err
			}
			for k, v := range e.Attrs {
				b.attrs = append(b.attrs, colstore.Attr{Name: k, Value: v})
				if len(*names) < 16 && !slices.Contains(*names, k) {
					*names = append(*names, k)
				}
			}
		}
	}
	b.spans = append(b.spans, [2]int32{int32(start), int32(len(b.attrs))})
	b.ids = append(b.ids, e.ID...)
	b.idEnd = append(b.idEnd, int32(len(b.ids)))
	b.in = append(b.in, colstore.Input{Kind: e.Kind, Time: e.Time, Actor: e.Actor, Amount: e.Amount,
		Currency: e.Currency, Deleted: e.Deleted, Known: e.Known})
	return nil
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
