package eventfile

import (
	"context"
	"io"
	"unsafe"

	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/internal/refusal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// A CSV file loaded into an empty memory store is coded where it is
// parsed: each parsing goroutine codes the versions of its blocks into a
// chunk of the store's table format (internal/colstore) whose
// dictionaries last from block to block, and remembers each value's code
// beside the value in the parser's own dictionaries, which it looks the
// bytes of the file up in anyway. A version whose values all have codes is
// appended by them (no event, no string, no decimal, no lookup by the
// store); any other is applied to the chunk as the store applies a
// version, which says what is wrong with it in the store's words and
// gives the codes of its values. Each block's rows are cut from the chunk
// when the block is parsed, and the calling goroutine stitches the blocks
// into the store's table in file order, while the parsers go on.

// csvCoder codes the versions a csvParser parses into its chunk.
type csvCoder struct {
	chunk *colstore.Table
	names []string // the attribute columns' names
	// The dictionary slots of the current record's kind, actor, currency
	// and attribute cells (nil: none, or the value is not kept).
	kind, actor, cur *dictSlot
	vals             []*dictSlot
	// amount has places decimal places when plain: the record's amount was
	// read as digits only (parsePlain).
	amount int64
	places int32
	plain  bool
	// attrAt is the chunk's index of each attribute column, plus one (0
	// until a value of it is applied).
	attrAt []int
	row    colstore.Coded
	in     colstore.Input
	list   []colstore.Attr
}

func newCSVCoder(loc *colstore.Table, names []string) *csvCoder {
	return &csvCoder{chunk: loc, names: names, vals: make([]*dictSlot, len(names)), attrAt: make([]int, len(names))}
}

// add codes e, whose attribute values by column are values, into the
// chunk; it returns the store's refusal of it.
func (k *csvCoder) add(e *kpi.Event, values []any, idBytes []byte) error {
	if !e.Deleted && k.coded(e, values, idBytes) {
		return nil
	}
	k.in = colstore.Input{ID: e.ID, Kind: e.Kind, Time: e.Time, Actor: e.Actor, Currency: e.Currency, Deleted: e.Deleted}
	if e.Amount.Valid {
		k.in.Amount = e.Amount
		if k.plain {
			k.in.Amount = decimal.NewNullDecimal(decimal.New(k.amount, -k.places))
		}
	}
	k.list = k.list[:0]
	for c, v := range values {
		if v != nil {
			k.list = append(k.list, colstore.Attr{Name: k.names[c], Value: v})
		}
	}
	k.in.AttrList = k.list
	if err := k.chunk.Apply(&k.in); err != nil {
		// The words of Validate, as the store gives them.
		v := *e
		v.Amount = k.in.Amount
		return refusal.Words(&v, k.list, err)
	}
	if e.Deleted {
		return nil
	}
	// Remember the codes of the values the chunk now holds.
	if k.kind != nil {
		k.kind.code, _ = k.chunk.KindCode(e.Kind)
	}
	if k.actor != nil {
		k.actor.code, _ = k.chunk.ActorCode(e.Actor)
	}
	if k.cur != nil {
		k.cur.code, _ = k.chunk.CurrencyCode(e.Currency)
	}
	for c, v := range values {
		if v == nil {
			continue
		}
		if k.attrAt[c] == 0 {
			ai, _ := k.chunk.Attr(k.names[c])
			k.attrAt[c] = ai + 1
		}
		if s := k.vals[c]; s != nil {
			s.code, _ = k.chunk.ValueCode(k.attrAt[c]-1, v)
		}
	}
	return nil
}

// coded appends e by codes, when every value of it has one and the chunk
// takes it so.
func (k *csvCoder) coded(e *kpi.Event, values []any, idBytes []byte) bool {
	r := &k.row
	if k.kind == nil || k.kind.code == 0 || k.actor == nil || k.actor.code == 0 {
		return false
	}
	r.Kind, r.Actor, r.Cur = k.kind.code, k.actor.code, 0
	if e.Currency != "" {
		if k.cur == nil || k.cur.code == 0 {
			return false
		}
		r.Cur = k.cur.code
	}
	r.Amount, r.Places = colstore.NoAmount, 0
	if e.Amount.Valid {
		if !k.plain {
			return false
		}
		r.Amount, r.Places = k.amount, k.places
	}
	r.Attrs = r.Attrs[:0]
	for c, v := range values {
		if v == nil {
			continue
		}
		s := k.vals[c]
		if s == nil || s.code == 0 || k.attrAt[c] == 0 {
			return false
		}
		r.Attrs = append(r.Attrs, colstore.AttrCode{Attr: k.attrAt[c] - 1, Code: s.code})
	}
	r.ID, r.Time = idBytes, e.Time
	return k.chunk.AppendCoded(r)
}

// idBytes returns the bytes of an event's id without a copy.
func idBytes(id string) []byte { return unsafe.Slice(unsafe.StringData(id), len(id)) }

// loadCoded is Load of a CSV file into an empty memory store with workers
// goroutines coding blocks of block bytes; it reports false, reading
// nothing, when dst is not an empty memory store.
func loadCoded(ctx context.Context, dst Store, r io.Reader, name string, opt Options, workers, block int) (bool, error) {
	if colstore.FillEmpty == nil {
		return false, nil
	}
	// The errors are the read's (named by run, a limit the blocks pass
	// together included) or the context's.
	return colstore.FillEmpty(ctx, dst, func(t *colstore.Table) error {
		if err := opt.check(); err != nil {
			return err
		}
		r, lines := estimateLines(r)
		if lines > 0 {
			t.Grow(lines)
		}
		pr := &parallelRead{coded: t, r: r, name: name, f: CSV, opt: opt, blockSize: block}
		return pr.run(ctx, max(workers, 1), nil)
	})
}
