package sqlcore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// unitsExp is the exponent of amount_units (SQLite): 10⁻⁴.
const unitsExp = 4

// chunkRows is how many event versions go into one statement.
const chunkRows = 500

// Apply applies event versions in order, in one transaction: new events,
// corrections (same ID: the later version replaces the row) and retractions
// (Deleted: the row is deleted). If any event is invalid or the database
// fails, nothing is applied and the error names the event.
func (s *Store) Apply(ctx context.Context, events ...kpi.Event) error {
	return s.Import(ctx, func(add func(*kpi.Event) error) error {
		for i := range events {
			if err := add(&events[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// Import runs fn with an add function that applies event versions inside one
// transaction, committed when fn returns nil and rolled back otherwise: the
// way to load a file whose validity is known only at its end. add copies what
// it needs, so the event may be reused.
func (s *Store) Import(ctx context.Context, fn func(add func(*kpi.Event) error) error) (err error) {
	if !s.own {
		return fmt.Errorf("sqlcore: import: the store reads a mapped table")
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.ctxErr(ctx, "import", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	b := &batch{s: s, tx: tx, ctx: ctx, last: map[string]int{}, types: map[[2]string]bool{}}
	n := 0
	if err := fn(func(e *kpi.Event) error {
		n++
		if err := e.Validate(); err != nil {
			return fmt.Errorf("sqlcore: event %d: %w", n-1, err)
		}
		return b.add(e)
	}); err != nil {
		return err
	}
	if err := b.flush(); err != nil {
		return err
	}
	if err := b.writeTypes(); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return s.ctxErr(ctx, "import: commit", err)
	}
	return nil
}

// row is one event version ready for the table.
type row struct {
	id, kind, actor, currency string
	deleted                   bool
	ts, off                   int64
	amount, attrs             sql.NullString
	units, known              sql.NullInt64
}

type batch struct {
	s    *Store
	tx   *sql.Tx
	ctx  context.Context
	rows []row
	last map[string]int // id → index of its last version in rows
	// types holds the stored type of every attribute written (attrClass).
	types map[[2]string]bool
}

func (b *batch) add(e *kpi.Event) error {
	r := row{id: e.ID, deleted: e.Deleted}
	if !e.Deleted {
		r.kind, r.actor, r.currency = e.Kind, e.Actor, e.Currency
		r.ts = e.Time.UnixNano()
		_, off := e.Time.Zone()
		r.off = int64(off)
		if e.Amount.Valid {
			r.amount = sql.NullString{String: textWithPlaces(e.Amount.Decimal), Valid: true}
			if u, ok := units(e.Amount.Decimal); ok {
				r.units = sql.NullInt64{Int64: u, Valid: true}
			}
		}
		a, err := encodeAttrs(e.Attrs)
		if err == nil && b.s.d.pg {
			err = jsonbText(e.Attrs)
		}
		if err != nil {
			return fmt.Errorf("sqlcore: event %s: %w", display.QuoteID(e.ID), err)
		}
		r.attrs = sql.NullString{String: a, Valid: a != ""}
		for k, v := range e.Attrs {
			if c := attrClass(v); c != "" {
				b.types[[2]string{k, c}] = true
			}
		}
		if !e.Known.IsZero() {
			r.known = sql.NullInt64{Int64: e.Known.UnixNano(), Valid: true}
		}
	}
	b.last[r.id] = len(b.rows)
	b.rows = append(b.rows, r)
	if len(b.rows) >= chunkRows {
		return b.flush()
	}
	return nil
}

// units is d in 10⁻⁴ units, when exact and within int64.
func units(d decimal.Decimal) (int64, bool) {
	u := d.Shift(unitsExp)
	if !u.IsInteger() {
		return 0, false
	}
	bi := u.BigInt()
	if !bi.IsInt64() {
		return 0, false
	}
	return bi.Int64(), true
}

// flush writes the last version of every id in the chunk: later versions of
// an id win, so only those matter.
func (b *batch) flush() error {
	if len(b.rows) == 0 {
		return nil
	}
	var del []any
	var up []row
	for i, r := range b.rows {
		if b.last[r.id] != i {
			continue
		}
		if r.deleted {
			del = append(del, r.id)
		} else {
			up = append(up, r)
		}
	}
	b.rows = b.rows[:0]
	clear(b.last)
	d := b.s.d
	if len(del) > 0 {
		ph := make([]string, len(del))
		for i := range del {
			ph[i] = d.placeholder(i + 1)
		}
		if _, err := b.tx.ExecContext(b.ctx, "DELETE FROM goalkit_events WHERE id IN ("+strings.Join(ph, ", ")+")", del...); err != nil {
			return b.s.ctxErr(b.ctx, "import", err)
		}
	}
	if len(up) == 0 {
		return nil
	}
	cols := []string{"id", "kind", "ts_ns", "tz_offset", "actor", "amount", "currency", "attrs", "known_ns"}
	if !d.pg {
		cols = append(cols, "amount_units")
	}
	var sb strings.Builder
	sb.WriteString("INSERT INTO goalkit_events (" + strings.Join(cols, ", ") + ") VALUES ")
	args := make([]any, 0, len(up)*len(cols))
	for i, r := range up {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteByte('(')
		vals := []any{r.id, r.kind, r.ts, r.off, r.actor, r.amount, r.currency, r.attrs, r.known}
		if !d.pg {
			vals = append(vals, r.units)
		}
		for j, v := range vals {
			if j > 0 {
				sb.WriteString(", ")
			}
			args = append(args, v)
			sb.WriteString(d.placeholder(len(args)))
			if d.pg {
				switch cols[j] {
				case "amount":
					sb.WriteString("::numeric")
				case "attrs":
					sb.WriteString("::jsonb")
				}
			}
		}
		sb.WriteByte(')')
	}
	sb.WriteString(" ON CONFLICT (id) DO UPDATE SET ")
	for i, c := range cols[1:] {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(c + " = excluded." + c)
	}
	if _, err := b.tx.ExecContext(b.ctx, sb.String(), args...); err != nil {
		return b.s.ctxErr(b.ctx, "import", err)
	}
	return nil
}
