package sqlcore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// Store is an event table in a SQL database: a kpi.Source and a kpi.Pusher,
// and, over the own schema, a writable store (Apply, Import). It is safe for
// concurrent use.
type Store struct {
	db  *sql.DB
	d   Dialect
	m   Mapping
	own bool
}

// New returns a Store over db. A nil mapping means the own schema
// (goalkit_events; call Migrate before use); otherwise the host's table
// described by m, which the Store only reads.
func New(db *sql.DB, d Dialect, m *Mapping) (*Store, error) {
	s := &Store{db: db, d: d, m: Own, own: m == nil}
	if m != nil {
		s.m = *m
	}
	if err := s.m.check(d); err != nil {
		return nil, err
	}
	return s, nil
}

// DB returns the database the Store uses.
func (s *Store) DB() *sql.DB { return s.db }

// Dialect returns the Store's dialect.
func (s *Store) Dialect() Dialect { return s.d }

var _ kpi.Pusher = (*Store)(nil)

// The instants a bigint time column is compared with: two days either side
// of UTC's years 1678–2261, as unix seconds. An event's time is of those
// years in its own zone (kpi.Event.Validate), so within two days of them in
// UTC, and every instant between is a whole int64 of nanoseconds.
const (
	firstNanoUnix = -9214560000 - 2*86400 // 1677-12-30T00:00:00Z
	endNanoUnix   = 9214646400 + 2*86400  // 2262-01-03T00:00:00Z
)

// timeLit is the SQL literal of instant t compared with the time column; ok
// is false when the column cannot hold it exactly. A bound is judged as an
// instant, in UTC as the column keeps it, whatever year its own zone spells.
func (s *Store) timeLit(t time.Time) (string, bool) {
	if s.m.timestamp() {
		u := t.UTC()
		if t.Nanosecond()%1000 != 0 || u.Year() < 1 || u.Year() > 9999 {
			return "", false
		}
		return "'" + u.Format("2006-01-02T15:04:05.000000Z") + "'::timestamptz", true
	}
	if sec := t.Unix(); sec < firstNanoUnix || sec >= endNanoUnix {
		return "", false
	}
	return fmt.Sprint(t.UnixNano()), true
}

// kindsAndRange appends the conditions of a kind list and a time range.
func (s *Store) kindsAndRange(w []string, args []any, kinds []string, from, to time.Time) ([]string, []any, error) {
	if kinds != nil {
		if len(kinds) == 0 {
			return append(w, "1 = 0"), args, nil
		}
		ph := make([]string, len(kinds))
		for i, k := range kinds {
			args = append(args, k)
			ph[i] = s.d.placeholder(len(args))
		}
		w = append(w, s.m.col(s.m.Kind)+" IN ("+strings.Join(ph, ", ")+")")
	}
	for i, t := range []time.Time{from, to} {
		if t.IsZero() {
			continue
		}
		if s.m.timestamp() {
			// The column holds whole microseconds: t <= x ⇔ ceil(t) <= x.
			if c := t.Truncate(time.Microsecond); !c.Equal(t) {
				t = c.Add(time.Microsecond)
			}
		}
		lit, ok := s.timeLit(t)
		if !ok {
			// Outside what the column holds: compare in Go terms.
			if (i == 0) == (t.Unix() < 0) {
				continue // from before everything, or to after everything
			}
			return append(w, "1 = 0"), args, nil
		}
		op := " >= "
		if i == 1 {
			op = " < "
		}
		w = append(w, s.m.col(s.m.Time)+op+lit)
	}
	return w, args, nil
}

// timeCol reads the time column as Unix nanoseconds. A timestamp without
// time zone is cast to timestamptz, in the session's TimeZone, as PostgreSQL
// casts it where the column is compared with a bound (kindsAndRange, Push):
// read as UTC, it would be judged by one instant and read as another.
func (s *Store) timeCol() string {
	if s.m.timestamp() {
		return "(extract(epoch from " + s.m.col(s.m.Time) + "::timestamptz)*1000000)::bigint*1000"
	}
	return s.m.col(s.m.Time)
}

func (s *Store) optCol(c, zero string) string {
	if c == "" {
		return zero
	}
	return s.m.col(c)
}

func (s *Store) amountText() string {
	if s.m.Amount == "" {
		return "NULL"
	}
	if s.d.pg {
		return s.m.col(s.m.Amount) + "::text"
	}
	return "CAST(" + s.m.col(s.m.Amount) + " AS TEXT)"
}

func (s *Store) attrsText() string {
	if s.m.Attrs == "" {
		return "NULL"
	}
	if s.d.pg {
		return s.m.col(s.m.Attrs) + "::text"
	}
	return s.m.col(s.m.Attrs)
}

// Scan implements kpi.Source: it streams the matching rows of the table.
// Numbers among the attributes come back as decimal.Decimal.
func (s *Store) Scan(ctx context.Context, q kpi.Query, fn func(*kpi.Event) error) error {
	w, args, err := s.kindsAndRange(nil, nil, q.Kinds, q.From, q.To)
	if err != nil {
		return err
	}
	cols, names := s.scanColumns()
	query := "SELECT " + cols + " FROM " + quoteIdent(s.m.Table)
	if len(w) > 0 {
		query += " WHERE " + strings.Join(w, " AND ")
	}
	if err := s.oneRowPerID(ctx, "scan", w, args); err != nil {
		return err
	}
	return s.scanRows(ctx, query, args, names, fn)
}

// scanColumns are the columns a scan reads of a row, and the names of the
// attributes of columns of their own that follow the others.
func (s *Store) scanColumns() (cols string, names []string) {
	cols = strings.Join([]string{s.m.col(s.m.ID), s.m.col(s.m.Kind), s.timeCol(),
		s.optCol(s.m.Offset, "0"), s.m.col(s.m.Actor), s.amountText(), s.optCol(s.m.Currency, "''"),
		s.attrsText(), s.optCol(s.m.Known, "NULL")}, ", ")
	names = s.m.attrNames()
	for _, n := range names {
		cols += ", " + s.attrColText(s.m.AttrColumns[n])
	}
	return cols, names
}

// scanRows runs query (with args), whose columns are scanColumns', and
// passes each row's event to fn, refusing as Scan does what no event may
// have.
func (s *Store) scanRows(ctx context.Context, query string, args []any, names []string, fn func(*kpi.Event) error) error {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return s.ctxErr(ctx, "scan", err)
	}
	defer rows.Close()
	var (
		e                       kpi.Event
		id                      sql.NullString // NULL: the own table's id may be (SQLite)
		off                     intCell        // NULL: no offset, UTC
		kind                    sql.NullString
		ts                      intCell
		amount, currency, attrs sql.NullString
		actor                   sql.NullString
		known                   intCell
	)
	cols := make([]sql.NullString, len(names))
	dest := []any{&id, &kind, &ts, &off, &actor, &amount, &currency, &attrs, &known}
	for i := range cols {
		dest = append(dest, &cols[i])
	}
	var (
		bad                refused
		okKind, okCurrency string // the last kind and currency found good
	)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			// The columns are scanned in order: the id is read.
			e.ID = id.String
			for _, c := range []struct {
				cell      *intCell
				col, what string
			}{{&ts, s.m.Time, "the time, in Unix nanoseconds"}, {&off, s.m.Offset, "the offset, in seconds east of UTC"}, {&known, s.m.Known, "when it was known, in Unix nanoseconds"}} {
				if c.cell.bad != nil {
					return fmt.Errorf("sqlcore: scan: table %s: event %s: column %s holds %s, not an integer (%s)", s.m.Table, display.QuoteID(e.ID), c.col, c.cell.badText(), c.what)
				}
			}
			return fmt.Errorf("sqlcore: scan: table %s: %w", s.m.Table, err)
		}
		e.ID = id.String
		if !kind.Valid || !ts.Valid {
			what, col := "kind", s.m.Kind
			if kind.Valid {
				what, col = "time", s.m.Time
			}
			return fmt.Errorf("sqlcore: scan: table %s: event %s has no %s (column %s is NULL)", s.m.Table, display.QuoteID(e.ID), what, col)
		}
		if bad.holds(id, actor.String) {
			continue
		}
		e.Kind = kind.String
		e.Actor = actor.String
		e.Time = instant(ts.Int64, off.Int64)
		e.Amount = decimal.NullDecimal{}
		if amount.Valid {
			d, err := decimal.NewFromString(amount.String)
			if err != nil {
				return fmt.Errorf("sqlcore: scan: table %s: event %s: column %s holds %s, not a decimal (the amount)", s.m.Table, display.QuoteID(e.ID), s.m.Amount, display.QuoteID(amount.String))
			}
			e.Amount = decimal.NewNullDecimal(d)
		}
		e.Currency = currency.String
		e.Attrs = nil
		if attrs.Valid {
			if e.Attrs, err = decodeAttrs(attrs.String, !s.own && !s.d.pg); err != nil {
				return fmt.Errorf("sqlcore: scan: table %s: event %s: column %s (the attributes): %w", s.m.Table, display.QuoteID(e.ID), s.m.Attrs, err)
			}
		}
		for i, n := range names {
			if !cols[i].Valid {
				continue
			}
			c := s.m.AttrColumns[n]
			v, err := attrFromText(cols[i].String, c.Type)
			if err != nil {
				return fmt.Errorf("sqlcore: scan: table %s: event %s: column %s (attribute %s): %w", s.m.Table, display.QuoteID(e.ID), c.Column, display.QuoteID(n), err)
			}
			if e.Attrs == nil {
				e.Attrs = map[string]any{}
			}
			e.Attrs[n] = v
		}
		e.Known = time.Time{}
		if known.Valid {
			e.Known = time.Unix(0, known.Int64).UTC()
		}
		if err := s.rowProblem(&e, &okKind, &okCurrency); err != nil {
			return err
		}
		if err := fn(&e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return s.ctxErr(ctx, "scan", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return bad.err(s, "scan")
}

// rowProblem is the error of a scan for what else kpi.Event.Validate
// refuses in e, a row's event whose id and actor are good, naming the table,
// the event and the column, where the engine refused the event after the
// scan ("source: event …"): a kind or currency with a control character
// or invalid UTF-8, an amount's exponent past ±colstore.MaxExponent, a time
// or known time outside the years 1678–2261, more than
// colstore.MaxEventAttrs attributes. (decodeAttrs and attrFromText check
// the attributes' names and values.) okKind and okCurrency hold the last
// kind and currency found good, which most rows repeat.
func (s *Store) rowProblem(e *kpi.Event, okKind, okCurrency *string) error {
	col := func(c, what, format string, a ...any) error {
		return fmt.Errorf("sqlcore: scan: table %s: event %s: column %s (%s): %s", s.m.Table, display.QuoteID(e.ID), c, what, fmt.Sprintf(format, a...))
	}
	if e.Kind != *okKind {
		if p := display.IDProblem(e.Kind); p != "" {
			return col(s.m.Kind, "the kind", "%s %s", display.QuoteID(e.Kind), p)
		}
		*okKind = e.Kind
	}
	if e.Currency != "" && e.Currency != *okCurrency {
		if p := display.IDProblem(e.Currency); p != "" {
			return col(s.m.Currency, "the currency", "%s %s", display.QuoteID(e.Currency), p)
		}
		*okCurrency = e.Currency
	}
	if e.Amount.Valid {
		if x := e.Amount.Decimal.Exponent(); x < -colstore.MaxExponent || x > colstore.MaxExponent {
			return col(s.m.Amount, "the amount", "exponent %d is outside ±%d", x, colstore.MaxExponent)
		}
	}
	if !colstore.InsideYears(e.Time.Unix()) && !colstore.InYears(e.Time) {
		return col(s.m.Time, "the time", "%s is outside the years 1678–2261", e.Time.Format(time.RFC3339))
	}
	if !e.Known.IsZero() && !colstore.InsideYears(e.Known.Unix()) && !colstore.InYears(e.Known) {
		return col(s.m.Known, "when it was known", "%s is outside the years 1678–2261", e.Known.Format(time.RFC3339))
	}
	if len(e.Attrs) > colstore.MaxEventAttrs {
		return fmt.Errorf("sqlcore: scan: table %s: event %s has %d attributes (at most %d)", s.m.Table, display.QuoteID(e.ID), len(e.Attrs), colstore.MaxEventAttrs)
	}
	return nil
}

// refused gathers the ids and actors of the rows a scan refuses for them
// (kpi.Event.Validate: no id, an id or actor with a control character or
// invalid UTF-8, the actor "*"), so that its error names the least of them,
// as a push names the least actor (and oneRowPerID the least id), whatever
// order the database reads the rows in: a scan that stopped at the first
// named another row on SQLite than on PostgreSQL. Such rows are not passed
// on. A row without an id (NULL, which the own table's SQLite primary key
// takes, or empty) comes first, as in oneRowPerID.
type refused struct {
	ids, actors    []string
	nulls, empties int
}

// holds reports whether a row of id and actor is refused, and keeps what
// refuses it.
func (r *refused) holds(id sql.NullString, actor string) bool {
	switch {
	case !id.Valid:
		r.nulls++
		return true
	case id.String == "":
		r.empties++
		return true
	case display.IDProblem(id.String) != "":
		r.ids = append(r.ids, id.String)
		return true
	}
	if badActor(actor) {
		r.actors = append(r.actors, actor)
		return true
	}
	return false
}

// err is the error of op for what r holds, nil when nothing: the rows
// without an id, else the least id, else the least actor, and how many
// others.
func (r *refused) err(s *Store, op string) error {
	if r.nulls > 0 || r.empties > 0 {
		n, what := r.nulls, "NULL"
		if n == 0 {
			n, what = r.empties, "empty"
		}
		if n == 1 {
			return fmt.Errorf("sqlcore: %s: table %s: a row has no event id (column %s is %s)", op, s.m.Table, s.m.ID, what)
		}
		return fmt.Errorf("sqlcore: %s: table %s: %d rows have no event id (column %s is %s)", op, s.m.Table, n, s.m.ID, what)
	}
	if len(r.ids) > 0 {
		ids := uniq(r.ids)
		err := fmt.Errorf("sqlcore: %s: table %s: event id %s %s", op, s.m.Table, display.QuoteID(ids[0]), display.IDProblem(ids[0]))
		if len(ids) > 1 {
			err = fmt.Errorf("%w (and %d more event ids no event may have)", err, len(ids)-1)
		}
		return err
	}
	if len(r.actors) > 0 {
		return s.actorsProblem(op, r.actors)
	}
	return nil
}

// ownSuspect is the condition of a row of the own table that a scan would
// refuse for its id (none, empty, a control character, a NUL, invalid
// UTF-8), which Apply never writes and a hand or a foreign writer may: a
// push finds such rows in its own pass over the range, and ownIDs then
// names them, where a push counted them. In SQLite, which has no test of
// UTF-8, every id with a byte past printable ASCII is a suspect, which Go
// tells from a valid one; its columns also keep a REAL where an integer is
// wanted, and nonInt holds for a time that is not an integer, which a push
// would compare with its bounds and a scan refuses. An offset or a known
// time that is not an integer, which a push does not read, is looked for
// in the index of migration 6 (nonIntIndex): looking for them here too
// cost a push of the standard workload about a sixth more again
// (BENCHMARKS.md).
func (s *Store) ownSuspect() (cond, nonInt string) {
	if s.d.pg {
		// The primary key is NOT NULL, text is valid in its encoding and
		// holds no NUL, and the columns hold their types.
		return `(id = '' OR id ~ '[\x01-\x1f\x7f-\x9f]')`, "false"
	}
	nonInt = "typeof(ts_ns) <> 'integer'"
	// Printable ASCII, which display.IDProblem passes at once, is the
	// range from space to tilde; SQLite's GLOB stops at a NUL.
	return "(id IS NULL OR id = '' OR CAST(id AS TEXT) GLOB '*[^ -~]*' OR instr(CAST(id AS BLOB), x'00') > 0 OR " + nonInt + ")", nonInt
}

// ownIDs is the error of a push over the own table whose rows that the
// conditions w (with args) select hold ownSuspect's: the scan's, naming the
// same row (refused); nil when each suspect is an id past ASCII that a scan
// reads. It declines (errDecline) a range holding a time that is not an
// integer: the evaluation then scans, and the scan names the event.
func (s *Store) ownIDs(ctx context.Context, w []string, args []any) error {
	c, nonInt := s.ownSuspect()
	query := "SELECT id, " + nonInt + " FROM goalkit_events WHERE " + strings.Join(append(append([]string{}, w...), c), " AND ")
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return s.ctxErr(ctx, "push", err)
	}
	defer rows.Close()
	var bad refused
	for rows.Next() {
		var (
			id    sql.NullString
			other bool
		)
		if err := rows.Scan(&id, &other); err != nil {
			return s.ctxErr(ctx, "push", err)
		}
		if other {
			return errDecline
		}
		bad.holds(id, "")
	}
	if err := rows.Err(); err != nil {
		return s.ctxErr(ctx, "push", err)
	}
	return bad.err(s, "push")
}

// oneRowPerID refuses, for op, a host's table in which the rows the
// conditions w (with args) select hold an event id more than once: an id
// names one event (a later version replaces the earlier one), and a table
// does not say which of its rows is the later, so a scan would keep one of
// them and a pushed aggregate count both. The error names the first such
// id (a row without one first, then by the bytes of the id's text, on
// every database alike); a row without an id (NULL, or empty), or with an
// id that has a control character or is not valid UTF-8 (SQLite's text
// may hold any bytes; kpi.Event.Validate), is refused too, which a scan
// could not read and a push counted. The own table's id is
// its primary key, and needs no check. A push over SQLite declines
// (errDecline) a range holding a time, an offset or a known time that is
// not an integer.
func (s *Store) oneRowPerID(ctx context.Context, op string, w []string, args []any) error {
	if s.own {
		return nil
	}
	id := s.m.col(s.m.ID)
	// An id with a control character (C0, DEL, C1), which a scan refuses
	// (kpi.Event.Validate) and a push would count.
	ctrl := "CAST(" + id + " AS TEXT) GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*'"
	if s.d.pg {
		ctrl = "CAST(" + id + ` AS text) ~ '[\x01-\x1f\x7f-\x9f]'`
	}
	// A push over SQLite asks, in the same reading, for a time, an offset
	// or a known time that is not an integer (a REAL, which a column
	// without an integer affinity keeps): Scan refuses such a row, naming
	// it, where the pushed buckets would compare it with their bounds and
	// count it, so the push declines and the evaluation scans.
	nonInt := "0"
	// An empty id, which no event has (kpi.Event.Validate) and a push
	// would count, is refused as a NULL is.
	having := "count(*) > 1 OR " + id + " IS NULL OR CAST(" + id + " AS TEXT) = '' OR " + ctrl
	if !s.d.pg {
		// SQLite's text holds any bytes, and it has no test of UTF-8: the
		// ids with a byte past ASCII are read, and those that are not
		// valid UTF-8 (which a scan refuses) are told from the others
		// here; PostgreSQL's text is valid in its encoding.
		having += " OR CAST(" + id + " AS TEXT) GLOB '*[^' || char(1) || '-' || char(127) || ']*'"
		// A NUL, which SQLite's text holds and its GLOB does not read
		// past (the text ends there for it), found in the bytes.
		having += " OR instr(CAST(" + id + " AS BLOB), x'00') > 0"
	}
	if op == "push" && !s.d.pg {
		var cs []string
		for _, c := range []string{s.m.Time, s.m.Offset, s.m.Known} {
			if c != "" {
				cs = append(cs, "typeof("+s.m.col(c)+") NOT IN ('integer', 'null')")
			}
		}
		nonInt = "max(" + strings.Join(cs, " OR ") + ")"
		having += " OR " + nonInt
	}
	query := "SELECT " + id + ", count(*), " + nonInt + " FROM " + quoteIdent(s.m.Table)
	if len(w) > 0 {
		query += " WHERE " + strings.Join(w, " AND ")
	}
	query += " GROUP BY " + id + " HAVING " + having
	// The first in one order on every database: a NULL, then the ids by
	// the bytes of their text, as Go orders strings (a scan's and a push's
	// least actor). ORDER BY id put NULL last in PostgreSQL and first in
	// SQLite, and PostgreSQL's text by the database's collation.
	order := "CAST(" + id + " AS TEXT)"
	if s.d.pg {
		order += ` COLLATE "C"`
	}
	query += " ORDER BY " + order + " NULLS FIRST"
	if s.d.pg {
		query += " LIMIT 1"
	}
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return s.ctxErr(ctx, op, err)
	}
	defer rows.Close()
	var (
		dup      sql.NullString
		n, other int64
	)
	for {
		if !rows.Next() {
			if err := rows.Err(); err != nil {
				return s.ctxErr(ctx, op, err)
			}
			return nil
		}
		if err := rows.Scan(&dup, &n, &other); err != nil {
			return s.ctxErr(ctx, op, err)
		}
		// A SQLite id past ASCII on one row, valid UTF-8 without a
		// control character, is an id like any other.
		if n == 1 && other == 0 && dup.Valid && dup.String != "" && display.IDProblem(dup.String) == "" {
			continue
		}
		break
	}
	if err := rows.Close(); err != nil {
		return s.ctxErr(ctx, op, err)
	}
	switch {
	case other != 0:
		return errDecline
	case !dup.Valid && n == 1:
		return fmt.Errorf("sqlcore: %s: table %s: a row has no event id (column %s is NULL)", op, s.m.Table, s.m.ID)
	case !dup.Valid:
		return fmt.Errorf("sqlcore: %s: table %s: %d rows have no event id (column %s is NULL)", op, s.m.Table, n, s.m.ID)
	case dup.String == "" && n == 1:
		return fmt.Errorf("sqlcore: %s: table %s: a row has no event id (column %s is empty)", op, s.m.Table, s.m.ID)
	case dup.String == "":
		return fmt.Errorf("sqlcore: %s: table %s: %d rows have no event id (column %s is empty)", op, s.m.Table, n, s.m.ID)
	}
	if bad := display.IDProblem(dup.String); bad != "" {
		return fmt.Errorf("sqlcore: %s: table %s: event id %s %s", op, s.m.Table, display.QuoteID(dup.String), bad)
	}
	return fmt.Errorf("sqlcore: %s: table %s: event id %s is on %d rows; an id names one event (map a view that keeps one row per id)", op, s.m.Table, display.QuoteID(dup.String), n)
}

// The keys of PostgreSQL's advisory locks that serialize transactions: a
// track store's commits and its lease (trackLock), its snapshots
// (snapshotLock). Migrations take 7245001.
const (
	trackLock    = 7245002
	snapshotLock = 7245003
)

// beginWrite begins a write transaction for op; in PostgreSQL it first
// waits for the advisory lock key, held until the transaction ends.
func (s *Store) beginWrite(ctx context.Context, op string, key int64) (*sql.Tx, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, s.ctxErr(ctx, op, err)
	}
	if s.d.pg {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(`+strconv.FormatInt(key, 10)+`)`); err != nil {
			_ = tx.Rollback()
			return nil, s.ctxErr(ctx, op, err)
		}
	}
	return tx, nil
}

// ctxErr returns ctx's error when ctx is done (the driver's error for a
// cancelled query varies), else err wrapped.
func (s *Store) ctxErr(ctx context.Context, what string, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return fmt.Errorf("sqlcore: %s: %w", what, err)
}

// intCell is an integer column of a scanned row, NULL allowed, that keeps
// the value it could not read as an integer, for Scan to name the table,
// the event and the column: the driver's error named only the column's
// place in the query.
type intCell struct {
	sql.NullInt64
	bad any // the value that is not an integer; nil when it was read
}

// Scan implements sql.Scanner.
func (c *intCell) Scan(v any) error {
	c.bad = nil
	if err := c.NullInt64.Scan(v); err != nil {
		c.bad = v
		return err
	}
	return nil
}

// badText is the value that is not an integer as the error shows it: text
// quoted, a number as it is.
func (c *intCell) badText() string {
	switch v := c.bad.(type) {
	case []byte:
		return strconv.Quote(string(v))
	case string:
		return strconv.Quote(v)
	}
	return fmt.Sprint(c.bad)
}

// instant is the time of ts Unix nanoseconds, shown at off seconds east.
func instant(ts, off int64) time.Time {
	t := time.Unix(0, ts)
	if off == 0 {
		return t.UTC()
	}
	return t.In(time.FixedZone("", int(off)))
}

// attrColText reads an attribute column as text (a time as Unix
// microseconds).
func (s *Store) attrColText(c AttrColumn) string {
	col := quoteIdent(c.Column)
	switch {
	case s.d.pg && c.Type == kpi.AttrTime:
		return "((extract(epoch from " + col + "::timestamptz)*1000000)::bigint)::text"
	case s.d.pg && c.Type == kpi.AttrDecimal:
		return col + "::numeric::text"
	case s.d.pg && c.Type == kpi.AttrInt:
		return col + "::numeric::text" // not ::bigint, which rounds 2.5 to 3
	case s.d.pg:
		return col + "::text"
	}
	return "CAST(" + col + " AS TEXT)"
}

// attrFromText reads the text v of an attribute column of type t; its error
// says what v is not.
func attrFromText(v string, t kpi.AttrType) (any, error) {
	switch t {
	case kpi.AttrInt:
		// An integer, perhaps with a scale of zeros (5.0, from NUMERIC or
		// REAL); anything else is not an int.
		digits := v
		if i := strings.IndexByte(v, '.'); i > 0 && i < len(v)-1 && strings.Trim(v[i+1:], "0") == "" {
			digits = v[:i]
		}
		n, err := strconv.ParseInt(digits, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%s is not an int", display.QuoteID(v))
		}
		return n, nil
	case kpi.AttrDecimal:
		d, err := decimal.NewFromString(v)
		if err != nil {
			return nil, fmt.Errorf("%s is not a decimal", display.QuoteID(v))
		}
		if err := exponentProblem(d); err != nil {
			return nil, err
		}
		return d, nil
	case kpi.AttrBool:
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("%s is not a bool", display.QuoteID(v))
		}
		return b, nil
	case kpi.AttrTime:
		us, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%s is not a time (in Unix microseconds)", display.QuoteID(v))
		}
		return time.UnixMicro(us).UTC(), nil
	}
	return v, nil
}
