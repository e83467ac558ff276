package mapping

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goalkit/goalkit/adapters/eventfile"
	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/shopspring/decimal"
)

// proc maps the rows of one load into event versions for add. It belongs to
// one goroutine.
type proc struct {
	m     *Mapper
	name  string // of the table, in messages
	unit  string // what the table's places are: "line" (a file) or "row" (a result)
	add   func(*kpi.Event) error
	cells *cells
	row   []cell  // the current row's values, by column
	seen  *keySet // the keys of the rows so far
	bad   badRows
	ev    kpi.Event
	attrs map[string]any
	apply []bool // per rule: whether it applies to the current row
	// existing holds, for a complete load, the ids of this mapping's events
	// in the store that no row has made yet: retracted at the end.
	existing map[string]struct{}
	key      []byte
}

func (m *Mapper) newProc(name string, add func(*kpi.Event) error, existing map[string]struct{}) *proc {
	return &proc{m: m, name: name, unit: "line", add: add, cells: newCells(m.cols), row: make([]cell, len(m.cols)),
		seen: newKeySet(), attrs: map[string]any{}, apply: make([]bool, len(m.rules)), existing: existing}
}

// fail records a bad row.
func (p *proc) fail(line int, msg string) {
	p.bad.add(&eventfile.Error{File: p.name, Line: line, Msg: msg})
}

// failCell records a bad value of column i.
func (p *proc) failCell(line, i int, msg string) {
	p.fail(line, fmt.Sprintf("column %s: %s", strconv.Quote(p.m.cols[i].header), msg))
}

// Lookup implements formula.Scope over the current row.
func (p *proc) Lookup(r formula.Ref) formula.Value {
	i, ok := p.m.byName[r.Name]
	if !ok || r.Back != 0 || r.Func || !p.row[i].ok {
		return formula.Undefined()
	}
	c := &p.row[i]
	switch p.m.cols[i].typ {
	case String:
		return formula.String(c.s)
	case Int:
		return formula.Int(c.i)
	case Decimal:
		return formula.Number(c.d)
	case Bool:
		return formula.Bool(c.i != 0)
	}
	return formula.Time(c.t)
}

// mapRow turns the current row, on line line, into one version per rule:
// the event where the rule applies, its retraction where it does not. A
// row with a problem is recorded as bad and gives nothing; the error is
// one of add's, which ends the load.
func (p *proc) mapRow(line int) error {
	m := p.m
	// The key, its parts escaped so that the text is one-to-one.
	p.key = p.key[:0]
	for j, ci := range m.key {
		c := &p.row[ci]
		if !c.ok {
			p.failCell(line, ci, "empty key")
			return nil
		}
		if j > 0 {
			p.key = append(p.key, ':')
		}
		switch m.cols[ci].typ {
		case Int:
			p.key = strconv.AppendInt(p.key, c.i, 10)
		default:
			// The key is in the events' ids, which are identifiers.
			if bad := display.IDProblem(c.s); bad != "" {
				p.failCell(line, ci, fmt.Sprintf("key %s %s", quote(c.s), bad))
				return nil
			}
			p.key = appendEscaped(p.key, c.s)
		}
	}
	if first, dup := p.seen.add(p.key, line); dup {
		if first == 0 {
			p.fail(line, fmt.Sprintf("key %s repeats the key of an earlier row", p.keyText()))
		} else {
			p.fail(line, fmt.Sprintf("key %s repeats the key of %s %d", p.keyText(), p.unit, first))
		}
		return nil
	}
	for k := range m.rules {
		r := &m.rules[k]
		if msg := p.check(r, k); msg != "" {
			p.fail(line, fmt.Sprintf("rule %s: %s", strconv.Quote(r.id), msg))
			return nil
		}
	}
	if p.bad.n > 0 {
		return nil // the load fails: nothing more to stage
	}
	for k := range m.rules {
		r := &m.rules[k]
		id := r.idPrefix + string(p.key)
		if p.apply[k] {
			p.event(r, id)
		} else {
			p.ev = kpi.Event{ID: id, Deleted: true}
		}
		if p.existing != nil {
			delete(p.existing, id)
		}
		if err := p.add(&p.ev); err != nil {
			return p.addErr(line, err)
		}
	}
	return nil
}

// check decides whether rule k applies to the row and, if it does, that
// the row has what its event needs; the message says what is missing.
func (p *proc) check(r *rule, k int) string {
	p.apply[k] = true
	if r.when != nil {
		ok, err := r.when.EvalBool(p)
		if err != nil {
			return "when: " + err.Error()
		}
		if p.apply[k] = ok; !ok {
			return ""
		}
	}
	cols := p.m.cols
	if !p.row[r.time].ok {
		return fmt.Sprintf("time column %s is empty (a when condition such as defined(%s) skips such rows)", strconv.Quote(cols[r.time].header), cols[r.time].name)
	}
	if p.row[r.time].out {
		// A bad row like any other, named by its column, rather than a
		// version the store refuses, which ends the load.
		t := p.row[r.time].t
		layout := time.RFC3339Nano
		if _, off := t.Zone(); off%60 != 0 {
			layout = "2006-01-02T15:04:05.999999999Z07:00:00"
		}
		return fmt.Sprintf("time column %s is %s, outside the years 1678–2261 of an event's time", strconv.Quote(cols[r.time].header), t.Format(layout))
	}
	if !p.row[r.actor].ok {
		return fmt.Sprintf("actor column %s is empty (a when condition such as defined(%s) skips such rows)", strconv.Quote(cols[r.actor].header), cols[r.actor].name)
	}
	if cols[r.actor].typ != Int && p.row[r.actor].s == org.Everyone {
		return fmt.Sprintf("actor column %s is %q, the whole company's row in reports, not an actor", strconv.Quote(cols[r.actor].header), org.Everyone)
	}
	if cols[r.actor].typ != Int {
		if bad := display.IDProblem(p.row[r.actor].s); bad != "" {
			return fmt.Sprintf("actor column %s is %s, which %s", strconv.Quote(cols[r.actor].header), quote(p.row[r.actor].s), bad)
		}
	}
	if r.currency >= 0 && p.row[r.currency].ok {
		if s := p.row[r.currency].s; !currencyRE.MatchString(s) {
			return fmt.Sprintf("column %s: not a currency code (three upper-case letters) %s", strconv.Quote(cols[r.currency].header), quote(s))
		}
	}
	return ""
}

// event fills p.ev with rule r's event of the current row.
func (p *proc) event(r *rule, id string) {
	row := p.row
	clear(p.attrs)
	p.ev = kpi.Event{ID: id, Kind: r.kind, Time: row[r.time].t, Attrs: p.attrs}
	if a := &row[r.actor]; p.m.cols[r.actor].typ == Int {
		p.ev.Actor = strconv.FormatInt(a.i, 10)
	} else {
		p.ev.Actor = a.s
	}
	switch {
	case r.amount < 0:
		p.ev.Amount = r.amountC
	case row[r.amount].ok && p.m.cols[r.amount].typ == Int:
		p.ev.Amount = decimal.NewNullDecimal(decimal.NewFromInt(row[r.amount].i))
	case row[r.amount].ok:
		p.ev.Amount = decimal.NewNullDecimal(row[r.amount].d)
	}
	if p.ev.Amount.Valid {
		p.ev.Currency = r.currencyC
		if r.currency >= 0 {
			p.ev.Currency = row[r.currency].s
		}
	}
	for _, a := range r.attrs {
		c := &row[a.col]
		if !c.ok {
			continue
		}
		switch p.m.cols[a.col].typ {
		case String:
			p.attrs[a.name] = c.v
		case Int:
			p.attrs[a.name] = c.i
		case Decimal:
			p.attrs[a.name] = c.d
		case Bool:
			p.attrs[a.name] = c.i != 0
		default:
			p.attrs[a.name] = c.t
		}
	}
}

// finish ends a load whose rows have all been mapped: the bad rows, if any,
// or, for a complete load, the retraction of every event of the mapping
// that no row made.
func (p *proc) finish() error {
	if err := p.bad.err(); err != nil {
		return err
	}
	ids := make([]string, 0, len(p.existing))
	for id := range p.existing {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		p.ev = kpi.Event{ID: id, Deleted: true}
		if err := p.add(&p.ev); err != nil {
			return fmt.Errorf("%s: retracting %s: %w", p.name, quote(id), err)
		}
	}
	return nil
}

// addErr names the line of a version the store refused.
func (p *proc) addErr(line int, err error) error {
	return fmt.Errorf("%s:%d: %w", p.name, line, err)
}

// keyText shows the current row's key in a message.
func (p *proc) keyText() string {
	parts := make([]string, len(p.m.key))
	for j, ci := range p.m.key {
		c := &p.row[ci]
		if p.m.cols[ci].typ == Int {
			parts[j] = strconv.FormatInt(c.i, 10)
		} else {
			parts[j] = quote(c.s)
		}
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// appendEscaped appends a key part with '%' and ':' escaped as %25 and %3A,
// so that parts joined with ':' can be told apart.
func appendEscaped(b []byte, s string) []byte {
	if !strings.ContainsAny(s, "%:") {
		return append(b, s...)
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '%':
			b = append(b, "%25"...)
		case ':':
			b = append(b, "%3A"...)
		default:
			b = append(b, s[i])
		}
	}
	return b
}
