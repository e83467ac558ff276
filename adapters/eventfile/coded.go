package eventfile

import (
	"context"
	"encoding/binary"
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
	p     *csvParser // whose dictionaries hold the codes
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
	// refused is set when the chunk refused a version of the current
	// block: the block's later versions are not coded.
	refused bool
	// The columns of the fields (eventCoded), -1 when absent.
	id, kindCol, timeCol, actorCol, amountCol, curCol, deletedCol int
	attrCols                                                      []int
}

func newCSVCoder(p *csvParser, loc *colstore.Table) *csvCoder {
	h := p.h
	names := h.attrNames()
	k := &csvCoder{p: p, chunk: loc, names: names, vals: make([]*dictSlot, len(names)), attrAt: make([]int, len(names)),
		id: h.col[fID], kindCol: h.col[fKind], timeCol: h.col[fTime], actorCol: h.col[fActor],
		amountCol: h.col[fAmount], curCol: h.col[fCurrency], deletedCol: h.col[fDeleted]}
	for _, a := range h.attrs {
		k.attrCols = append(k.attrCols, a.col)
	}
	return k
}

// eventCoded codes the record just split into the coder's chunk when
// every value of it already has a code there, and reports whether it did.
// It takes only what the general path (event, then the coder's add) would
// take and code just so, by the same checks, and leaves anything else to
// it (a value new to the chunk, a deleted version, a line to report, one
// after a bad line or a refusal), having changed nothing: a value is in
// the parser's dictionaries only once it was read without a problem.
func (p *csvParser) eventCoded(line int64) bool {
	k, f := p.coder, &p.f
	if f.n != p.h.ncols || k.refused || p.failed.before(line) {
		return false
	}
	// The fields, from locals the calls below leave alone.
	base, ends := f.base, f.ends[:f.n+1]
	field := func(c int) []byte { return base[ends[c]+1 : ends[c+1]] }
	// empty tells an empty field without making its slice.
	empty := func(c int) bool { return ends[c+1]-ends[c] == 1 }
	if k.deletedCol >= 0 && !empty(k.deletedCol) {
		return false
	}
	r := &k.row
	// Each lookup calls codeNumber or codeHashed here, so that the branch
	// between them is taken the same way each time (see dict.code).
	if d := &p.kinds; len(d.small) > 0 {
		r.Kind = d.codeNumber(field(k.kindCol))
	} else {
		r.Kind = d.codeHashed(field(k.kindCol))
	}
	if r.Kind == 0 {
		return false
	}
	if d := &p.actors; len(d.small) > 0 {
		r.Actor = d.codeNumber(field(k.actorCol))
	} else {
		r.Actor = d.codeHashed(field(k.actorCol))
	}
	if r.Actor == 0 {
		return false
	}
	t, tp := eventTime(field(k.timeCol), &p.zones)
	if tp != timeOK {
		return false
	}
	r.Cur = 0
	r.Amount, r.Places = colstore.NoAmount, 0
	if k.amountCol >= 0 && !empty(k.amountCol) {
		var ok bool
		if r.Amount, r.Places, ok = parsePlain(field(k.amountCol)); !ok {
			return false
		}
	}
	if k.curCol >= 0 && !empty(k.curCol) {
		if r.Cur = p.strs.code(field(k.curCol)); r.Cur == 0 || r.Amount == colstore.NoAmount {
			return false
		}
	}
	r.Attrs = r.Attrs[:0]
	for i, col := range k.attrCols {
		if empty(col) {
			continue
		}
		var code uint32
		if d := &p.cache[i]; len(d.small) > 0 {
			code = d.codeNumber(field(col))
		} else {
			code = d.codeHashed(field(col))
		}
		if code == 0 || k.attrAt[i] == 0 {
			return false
		}
		r.Attrs = append(r.Attrs, colstore.AttrCode{Attr: k.attrAt[i] - 1, Code: code})
	}
	r.ID, r.Time = field(k.id), t
	r.IDNum, r.IDNumKnown = idNumber(r.ID)
	if !r.IDNumKnown && identProblem(r.ID) != "" {
		return false // event names the bad line
	}
	return k.chunk.AppendCoded(r)
}

// idNumber returns the number an id of up to 8 bytes writes in decimal
// digits without a leading zero, for colstore.Coded.IDNum, when the id's
// bytes are followed by at least 8-len(b) more (cap(b) >= 8); else false,
// and the chunk reads the id itself.
func idNumber(b []byte) (uint64, bool) {
	if n := len(b); n >= 1 && n <= 8 && cap(b) >= 8 {
		v, ok := smallDigits(binary.LittleEndian.Uint64(b[:8])&lenMasks[n][0], n)
		return uint64(v), ok
	}
	return 0, false
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
		c, _ := k.chunk.KindCode(e.Kind)
		k.p.kinds.setCode(k.kind, c)
	}
	if k.actor != nil {
		c, _ := k.chunk.ActorCode(e.Actor)
		k.p.actors.setCode(k.actor, c)
	}
	if k.cur != nil {
		c, _ := k.chunk.CurrencyCode(e.Currency)
		k.p.strs.setCode(k.cur, c)
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
			code, _ := k.chunk.ValueCode(k.attrAt[c]-1, v)
			k.p.cache[c].setCode(s, code)
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
	r.IDNum, r.IDNumKnown = 0, false // the chunk reads the id
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
