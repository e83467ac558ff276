package sqlcoretest

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/adaptertest"
	"github.com/goalkit/goalkit/adapters/sqlcore"
	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/kpi"
	"pgregory.net/rapid"
)

// hostRowsTable maps TestHostRows' table, host_rows: every field of an
// event in a column, an int attribute n and a bool flag in columns of
// their own, the others in the JSON column attrs.
var hostRowsTable = sqlcore.Mapping{Table: "host_rows", ID: "id", Kind: "kind", Time: "ts", Offset: "off", Actor: "actor",
	Amount: "amt", Currency: "cur", Attrs: "attrs", Known: "known", AttrColumns: map[string]sqlcore.AttrColumn{
		"n": {Column: "n", Type: kpi.AttrInt}, "flag": {Column: "flag", Type: kpi.AttrBool}}}

// hostRowsColumns are the columns of hostRowsTable's table, in
// hostRowsInsert's order.
var hostRowsColumns = []string{"id", "kind", "ts", "off", "actor", "amt", "cur", "attrs", "known", "n", "flag"}

// hostRowsInsert inserts a row of hostRowsTable, its columns in order: id,
// kind, ts, off, actor, amt, cur, attrs, known, n, flag (PostgreSQL's
// placeholders; SQLite reads $N too).
const hostRowsInsert = `INSERT INTO host_rows (id, kind, ts, off, actor, amt, cur, attrs, known, n, flag) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`

// hostCell draws the value of a host's cell: one of good (a value any
// event may have) mostly, else one of odd (a value of another type, which
// a scan may read or refuse).
func hostCell(t *rapid.T, name string, good, odd []any) any {
	if len(odd) > 0 && rapid.IntRange(0, 7).Draw(t, name+".odd") == 0 {
		return odd[rapid.IntRange(0, len(odd)-1).Draw(t, name)]
	}
	return good[rapid.IntRange(0, len(good)-1).Draw(t, name)]
}

// TestHostRows checks a Store over a host's table (db holds an empty table
// host_rows of the columns id, kind, ts (Unix nanoseconds), off, actor,
// amt, cur, attrs (JSON), known, n (an int attribute) and flag (a bool
// attribute), whose types the database may restrict) holding random rows,
// each cell a value an event may have or one of another type or form (a
// REAL or text where an integer is wanted, an amount or attribute that is
// not a number, attributes that are not JSON, a control character; not a
// time's object that is not a time's, which a push does not look for):
// where a scan of a push's kinds and range is refused, the push declines
// or is refused, never answering; where the push is refused, so is the
// scan, and the error names the table; where the scan passes, the push
// declines or answers what aggregating the scanned events gives. A row
// that the table's column types refuse is left out; text names the
// columns the table keeps as text, whose cells other than NULL are written
// as fmt.Sprint writes them (PostgreSQL's driver writes no number there).
func TestHostRows(t *testing.T, db *sql.DB, d sqlcore.Dialect, text ...string) {
	ctx := context.Background()
	m := hostRowsTable
	s, err := sqlcore.New(db, d, &m)
	if err != nil {
		t.Fatal(err)
	}
	march := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	bounds := []time.Time{march, march.AddDate(0, 0, 10), march.AddDate(0, 0, 20), march.AddDate(0, 1, 0)}
	ns := func(t *rapid.T, name string) int64 {
		// From five days before March to five days after.
		return march.AddDate(0, 0, -5).UnixNano() + rapid.Int64Range(0, 41).Draw(t, name+".day")*86400e9 + rapid.Int64Range(0, 3).Draw(t, name+".hour")*3600e9
	}
	var asked, answered, refused, kept, dropped int
	rapid.Check(t, func(rt *rapid.T) {
		if _, err := db.ExecContext(ctx, "DELETE FROM host_rows"); err != nil {
			rt.Fatal(err)
		}
		for i := range rapid.IntRange(1, 8).Draw(rt, "rows") {
			ts := ns(rt, "ts")
			known := ns(rt, "known")
			cells := []any{
				hostCell(rt, "id", []any{fmt.Sprint("e", i), fmt.Sprint("e", i)}, []any{"e0", "", "e\x1b"}),
				hostCell(rt, "kind", []any{"call", "deal"}, []any{"ca\x1bll"}),
				hostCell(rt, "ts", []any{ts}, []any{float64(ts), fmt.Sprint(ts), 1.5}),
				hostCell(rt, "off", []any{nil, int64(0), int64(3600), int64(-5 * 3600)}, []any{3600.0, 3600.5, "3600", "east"}),
				hostCell(rt, "actor", []any{"u1", "u2"}, []any{"*", "u\x01"}),
				hostCell(rt, "amt", []any{nil, "10", "2.5", "-1"}, []any{"abc", "1e3", "1,5", int64(7), 2.25, "1e2000", ""}),
				hostCell(rt, "cur", []any{"", "RUB", "USD"}, []any{"R\x01B"}),
				hostCell(rt, "attrs", []any{nil, `{"source":"web"}`, `{"source":"partner","num":2}`, `{"num":5}`, `{"at":{"$time":"2025-03-01T00:00:00Z"}}`},
					[]any{`{"num":1.5}`, `{"num":"x"}`, `[1]`, `{"":1}`, `{"num":1e3}`, `not json`}),
				hostCell(rt, "known", []any{nil, known}, []any{float64(known), fmt.Sprint(known), 2.5, int64(-9223372036854775807)}),
				hostCell(rt, "n", []any{nil, int64(1), int64(3)}, []any{3.0, 3.5, "3", "abc"}),
				hostCell(rt, "flag", []any{nil, true, false}, []any{int64(2), "yes"}),
			}
			for _, c := range text {
				if i := slices.Index(hostRowsColumns, c); cells[i] != nil {
					cells[i] = fmt.Sprint(cells[i])
				}
			}
			// A cell its column's type refuses leaves the row out.
			if _, err := db.ExecContext(ctx, hostRowsInsert, cells...); err != nil {
				dropped++
			} else {
				kept++
			}
		}
		for range 3 {
			q := kpi.PushQuery{
				Kinds:  rapid.SampledFrom([][]string{nil, {"call"}, {"call", "deal"}}).Draw(rt, "kinds"),
				Bounds: bounds[rapid.IntRange(0, 1).Draw(rt, "from"):],
				Value:  rapid.SampledFrom([]string{"", "amount", "n", "num"}).Draw(rt, "value"),
				Where: rapid.SampledFrom([]formula.Node{nil,
					formula.Compare{Op: "==", L: formula.Ident{Name: "source", Type: formula.TypeString}, R: formula.Const{Value: formula.String("web")}},
					formula.Compare{Op: ">=", L: formula.Ident{Name: "n", Type: formula.TypeNumber}, R: formula.Const{Value: formula.Int(2)}},
					formula.Ident{Name: "flag", Type: formula.TypeBool},
					formula.Compare{Op: ">", L: formula.Ident{Name: "amount", Type: formula.TypeNumber}, R: formula.Const{Value: formula.Int(1)}},
					formula.Compare{Op: ">", L: formula.Ident{Name: "num", Type: formula.TypeNumber}, R: formula.Const{Value: formula.Int(1)}},
				}).Draw(rt, "where"),
			}
			if rapid.Bool().Draw(rt, "asOf") {
				q.AsOf = march.AddDate(0, 0, 15)
			}
			var events []kpi.Event
			scanErr := s.Scan(ctx, kpi.Query{Kinds: q.Kinds, From: q.Bounds[0], To: q.Bounds[len(q.Bounds)-1]}, func(e *kpi.Event) error {
				events = append(events, e.Clone())
				return nil
			})
			asked++
			if scanErr != nil {
				refused++
				rows, ok, err := s.Push(ctx, q)
				if ok && err == nil {
					rt.Fatalf("push %+v answered %+v where a scan of its range was refused: %v", q, rows, scanErr)
				}
				if err != nil && !strings.Contains(err.Error(), "table "+m.Table) {
					rt.Fatalf("push %+v: %v; want an error naming the table %s", q, err, m.Table)
				}
				continue
			}
			ok, err := adaptertest.CheckPush(ctx, s, events, q)
			if err != nil {
				rt.Fatalf("%v (the scan of its range passed)", err)
			}
			if ok {
				answered++
			}
		}
	})
	t.Logf("%d rows written (%d refused by the table's types); of %d queries, the scan of %d was refused, and the push answered %d of the others",
		kept, dropped, asked, refused, answered)
}
