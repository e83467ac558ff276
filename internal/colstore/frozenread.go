package colstore

import "github.com/shopspring/decimal"

// FrozenReader reads the rows of a Frozen table back as the versions the
// table took, while the table goes on taking more: what a second table
// fed from the first (a tracker's replica) applies. It reads only the
// rows frozen, through the columns they share with the table, which
// grow past their ends and are never written below them.
type FrozenReader struct {
	f     *Frozen
	zone  rowZone
	attrs []Attr
}

// NewFrozenReader returns a reader of f.
func NewFrozenReader(f *Frozen) *FrozenReader { return &FrozenReader{f: f} }

// Segments is the number of segments of the frozen table.
func (r *FrozenReader) Segments() int { return len(r.f.segs) }

// Rows is the number of rows of segment si frozen.
func (r *FrozenReader) Rows(si int) int { return r.f.segs[si].n }

// Input sets in to row i of segment si as the table holds it: its time in
// the table's location (InZone), its amount at the table's scale, its
// attributes in AttrList (a list the next call reuses), its Codes zero.
// Its ID is the table's bytes: it must not outlive the table.
func (r *FrozenReader) Input(si, i int, in *Input) {
	f := r.f
	s := &f.segs[si]
	*in = Input{ID: idAt(s.idBuf, s.idEnd, i), Kind: s.kind, Time: r.zone.at(s.ts[i], f.loc),
		Actor: f.actors[s.actor[i]], Currency: f.curs[s.cur.Get(i)]}
	if s.amount != nil {
		switch a := s.amount[i]; a {
		case NoAmount:
		case BigAmount:
			d := s.big[int32(i)]
			if d.Exponent() > -f.scale {
				d = d.Round(f.scale) // exact: fewer places than the scale (see bigOf)
			}
			in.Amount = decimal.NewNullDecimal(d)
		default:
			in.Amount = decimal.NewNullDecimal(decimal.New(a, -f.scale))
		}
	}
	r.attrs = r.attrs[:0]
	for ai := range s.attrs {
		if c := s.attrs[ai].Get(i); c != 0 {
			r.attrs = append(r.attrs, Attr{Name: f.names[ai+1], Value: f.attrVals[ai][c]})
		}
	}
	in.AttrList = r.attrs
	if s.known != nil {
		in.Known = KnownTime(s.known[i])
	}
}
