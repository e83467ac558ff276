package kpi

import "github.com/goalkit/goalkit/internal/colstore"

// predReads is what the groups' filters, once prepared against a table
// (preparePredicate), read of its dictionaries and amount scale: a
// prepared filter stays valid while none of those changes. A tracker
// checks it before each row's contribution; most rows bring a new actor or
// value to some dictionary now and then, and a filter that reads none of
// them (the usual: an attribute or two) is not prepared again for it.
type predReads struct {
	actors, currencies, scale bool
	// others is actors || currencies || scale.
	others bool
	// attrs are the attributes read by name; idx the indexes in the table
	// of those it has seen, resolved when it held names attribute names.
	attrs []string
	idx   []int
	names int
}

// newPredReads returns what the plan's filters read.
func newPredReads(p *evalPlan) *predReads {
	r := &predReads{names: -1}
	for _, g := range p.groups {
		r.add(g.pred)
	}
	r.others = r.actors || r.currencies || r.scale
	return r
}

func (r *predReads) add(p *predNode) {
	if p == nil {
		return
	}
	switch p.op {
	case opAnd, opOr, opNot:
		r.add(p.l)
		r.add(p.r)
	case opAmount:
		r.scale = true
	case opDict:
		switch p.name {
		case "actor":
			r.actors = true
		case "currency":
			r.currencies = true
		default:
			for _, n := range r.attrs {
				if n == p.name {
					return
				}
			}
			r.attrs = append(r.attrs, p.name)
		}
	}
}

// sig returns a number that changes whenever what the filters read of tab
// does: the dictionaries, the attribute names and the scale only grow, so
// the sum of their sizes grows with any of them.
func (r *predReads) sig(tab *colstore.Table) int {
	n := len(tab.Names())
	if n != r.names {
		r.resolve(tab, n)
	}
	for _, ai := range r.idx {
		n += len(tab.AttrValues(ai))
	}
	if r.others {
		n += r.otherSizes(tab)
	}
	return n
}

// resolve finds the indexes of the attributes read in tab, which holds
// names attribute names.
func (r *predReads) resolve(tab *colstore.Table, names int) {
	r.idx = r.idx[:0]
	for _, name := range r.attrs {
		if ai, ok := tab.Attr(name); ok {
			r.idx = append(r.idx, ai)
		}
	}
	r.names = names
}

// otherSizes is sig's part for the actors, the currencies and the scale.
func (r *predReads) otherSizes(tab *colstore.Table) int {
	n := 0
	if r.actors {
		n += len(tab.Actors())
	}
	if r.currencies {
		n += len(tab.Currencies())
	}
	if r.scale {
		n += int(tab.Scale)
	}
	return n
}
