package sqlcore

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// The own schema records, in goalkit_attr_types, the type of the values each
// attribute was written with (string, number, bool, time): a file imported
// without the plan that types it stores its attributes as strings, and a
// plan that reads them as numbers would compare and sum nothing. Values are
// not converted when read: a string the host wrote stays a string; instead
// CheckAttributes refuses a plan whose declared types the stored values
// contradict, so such a report fails instead of showing zeros.

// attrClass is the stored type of an attribute value ("": none, a nil).
func attrClass(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case bool:
		return "bool"
	case int, int32, int64, decimal.Decimal, *decimal.Decimal:
		return "number"
	case time.Time:
		return "time"
	}
	return ""
}

// accepts reports whether an attribute declared t reads values of class c.
func accepts(t kpi.AttrType, c string) bool {
	switch t {
	case kpi.AttrString:
		return c == "string"
	case kpi.AttrInt, kpi.AttrDecimal:
		return c == "number"
	case kpi.AttrBool:
		return c == "bool"
	case kpi.AttrTime:
		return c == "time"
	}
	return true
}

// writeTypes records the types the batch wrote.
func (b *batch) writeTypes() error {
	if len(b.types) == 0 {
		return nil
	}
	var sb strings.Builder
	sb.WriteString("INSERT INTO goalkit_attr_types (name, type) VALUES ")
	args := make([]any, 0, 2*len(b.types))
	for k := range b.types {
		if len(args) > 0 {
			sb.WriteString(", ")
		}
		args = append(args, k[0], k[1])
		sb.WriteString("(" + b.s.d.placeholder(len(args)-1) + ", " + b.s.d.placeholder(len(args)) + ")")
	}
	sb.WriteString(" ON CONFLICT (name, type) DO NOTHING")
	if _, err := b.tx.ExecContext(b.ctx, sb.String(), args...); err != nil {
		return b.s.ctxErr(b.ctx, "import", err)
	}
	clear(b.types)
	return nil
}

// CheckAttributes returns an error naming every declared attribute whose
// stored values have another type than declared (int and decimal both read
// numbers), such as
//
//	sqlcore: attribute "pipeline": declared int, but the store holds string values (import the events with the plan that declares the attribute's type)
//
// It reads the types recorded when events were written and confirms a
// mismatch against the events the store holds now (a type only replaced
// events had is not a mismatch). A store over a mapped table has no record
// and checks nothing. Push runs the check with the query's attributes.
func (s *Store) CheckAttributes(ctx context.Context, declared map[string]kpi.AttrType) error {
	if !s.own || len(declared) == 0 {
		return nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT name, type FROM goalkit_attr_types`)
	if err != nil {
		return s.ctxErr(ctx, "check attributes", err)
	}
	bad := map[string][]string{}
	for rows.Next() {
		var name, class string
		if err := rows.Scan(&name, &class); err != nil {
			rows.Close()
			return s.ctxErr(ctx, "check attributes", err)
		}
		if t, ok := declared[name]; ok && !accepts(t, class) {
			bad[name] = append(bad[name], class)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return s.ctxErr(ctx, "check attributes", err)
	}
	var msgs []string
	for name, classes := range bad {
		var held []string
		for _, c := range classes {
			ok, err := s.holds(ctx, name, c)
			if err != nil {
				return err
			}
			if ok {
				held = append(held, c)
			}
		}
		if len(held) > 0 {
			sort.Strings(held)
			msgs = append(msgs, fmt.Sprintf("attribute %s: declared %s, but the store holds %s values", display.QuoteID(name), declared[name], strings.Join(held, " and ")))
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	sort.Strings(msgs)
	return fmt.Errorf("sqlcore: %s (import the events with the plan that declares the attribute's type)", strings.Join(msgs, "; "))
}

// holds reports whether a current event has attribute name with a value of
// class c.
func (s *Store) holds(ctx context.Context, name, c string) (bool, error) {
	var q string
	if s.d.pg {
		q = `SELECT EXISTS (SELECT 1 FROM goalkit_events WHERE attrs ? $1 AND CASE jsonb_typeof(attrs -> $1) WHEN 'string' THEN 'string' WHEN 'number' THEN 'number' WHEN 'boolean' THEN 'bool' WHEN 'object' THEN 'time' ELSE '' END = $2)`
	} else {
		q = `SELECT EXISTS (SELECT 1 FROM goalkit_events, json_each(goalkit_events.attrs) a WHERE goalkit_events.attrs IS NOT NULL AND a.key = ?1 AND CASE a.type WHEN 'text' THEN 'string' WHEN 'integer' THEN 'number' WHEN 'real' THEN 'number' WHEN 'true' THEN 'bool' WHEN 'false' THEN 'bool' WHEN 'object' THEN 'time' ELSE '' END = ?2)`
	}
	var ok bool
	if err := s.db.QueryRowContext(ctx, q, name, c).Scan(&ok); err != nil {
		return false, s.ctxErr(ctx, "check attributes", err)
	}
	return ok, nil
}
