package mapping

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/goalkit/goalkit/adapters/eventfile"
)

// LoadRows reads the rows of a SQL result through m into dst, in one
// Import, as LoadCSV reads a file: the result's columns are found by name
// (the mapping's columns must each be there once; others are ignored), and
// a bad row is reported as "NAME:ROW: …" with the 1-based number of the row
// in the result. The caller closes rows.
//
// Values are taken as the driver gives them: NULL is absent, text is parsed
// as a CSV field is, and the driver's integers, bools and times are taken
// where the column's type allows (an int64 for string, int, decimal and
// bool 0/1; a time.Time for date, at midnight, and time: an instant, or
// in a time column with a zone of its own, a time in UTC is a wall clock
// in that zone). A floating-point value is refused, since it is not exact:
// select such a column as text.
func (m *Mapper) LoadRows(ctx context.Context, dst eventfile.Store, rows *sql.Rows, name string, opt Options) error {
	if rows == nil {
		return fmt.Errorf("mapping.LoadRows: %s: no Rows to read", name)
	}
	return m.load(ctx, dst, name, opt, once("LoadRows", name, func(p *proc) error { return p.readRows(ctx, rows) }))
}

// LoadDB reads the mapping's table, or the result of its query, from db
// into dst, as LoadRows does; the query runs inside dst's Import. A table
// is read as SELECT of the mapping's columns ORDER BY the key, so rows are
// numbered in key order; messages name the table (or "query").
func (m *Mapper) LoadDB(ctx context.Context, dst eventfile.Store, db *sql.DB, opt Options) error {
	q, name, err := m.selectSQL()
	if err != nil {
		return err
	}
	if db == nil {
		return fmt.Errorf("mapping.LoadDB: %s: no DB to read", name)
	}
	return m.load(ctx, dst, name, opt, func(p *proc) error {
		rows, err := db.QueryContext(ctx, q)
		if err != nil {
			return fmt.Errorf("mapping: %s: %w", name, err)
		}
		defer rows.Close()
		return p.readRows(ctx, rows)
	})
}

// selectSQL is the query LoadDB runs and the name of what it reads.
func (m *Mapper) selectSQL() (query, name string, err error) {
	switch {
	case m.query != "":
		return m.query, "query", nil
	case m.table == "":
		return "", "", errors.New("mapping: the mapping names no table or query to read")
	}
	var b strings.Builder
	b.WriteString("SELECT ")
	seen := map[string]bool{}
	for _, c := range m.cols {
		if seen[c.header] {
			continue
		}
		if len(seen) > 0 {
			b.WriteString(", ")
		}
		seen[c.header] = true
		b.WriteString(quoteIdent(c.header))
	}
	b.WriteString(" FROM ")
	for i, part := range strings.Split(m.table, ".") {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(quoteIdent(part))
	}
	b.WriteString(" ORDER BY ")
	for i, k := range m.key {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quoteIdent(m.cols[k].header))
	}
	return b.String(), m.table, nil
}

// quoteIdent quotes a SQL identifier, as PostgreSQL and SQLite both read it.
func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// skip is the destination of result columns the mapping does not read.
type skip struct{}

func (skip) Scan(any) error { return nil }

func (p *proc) readRows(ctx context.Context, rows *sql.Rows) error {
	p.unit = "row"
	names, err := rows.Columns()
	if err != nil {
		return fmt.Errorf("%s: %w", p.name, err)
	}
	idx, msgs := p.columns(names)
	if len(msgs) > 0 {
		errs := make([]error, len(msgs))
		for i, msg := range msgs {
			errs[i] = fmt.Errorf("%s: %s", p.name, msg)
		}
		return errors.Join(errs...)
	}
	vals := make([]any, len(names))
	dest := make([]any, len(names))
	for j := range dest {
		dest[j] = skip{}
	}
	for _, j := range idx {
		dest[j] = &vals[j]
	}
	for n := 1; rows.Next(); n++ {
		if n%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("%s:%d: %w", p.name, n, err)
		}
		good := true
		for i := range p.m.cols {
			if msg := p.cells.value(i, vals[idx[i]], &p.row[i]); msg != "" {
				p.failCell(n, i, msg)
				good = false
				break
			}
		}
		if good {
			if err := p.mapRow(n); err != nil {
				return err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: %w", p.name, err)
	}
	return nil
}
