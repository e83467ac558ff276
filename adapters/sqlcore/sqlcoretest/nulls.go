package sqlcoretest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/goalkit/goalkit/adapters/sqlcore"
	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/kpi"
)

// TestNullColumns checks a Store over a host's table (empty, insert as for
// InsertMapped) with a row whose id, kind or time is NULL (or whose id is
// empty, which is no id either): Scan refuses it
// naming the table, the event and the column, and a row without an id is
// refused by Push too, which counted it. Scan failed with the driver's
// "converting NULL to string is unsupported", naming neither the table nor
// the event. A row whose id has a control character is refused by both,
// naming it: a scan was refused for it (kpi.Event.Validate) and a push
// counted it.
func TestNullColumns(t *testing.T, db *sql.DB, d sqlcore.Dialect, m sqlcore.Mapping, insert string, at func(time.Time) any) {
	ctx := context.Background()
	s, err := sqlcore.New(db, d, &m)
	if err != nil {
		t.Fatal(err)
	}
	when := time.Date(2025, 3, 20, 9, 0, 0, 0, time.UTC)
	bounds := marchBounds()
	// so reads an integer column of the table as the offset.
	mo := m
	mo.Offset, mo.AttrColumns = "pipeline", nil
	so, err := sqlcore.New(db, d, &mo)
	if err != nil {
		t.Fatal(err)
	}
	// An offset column whose value is NULL shows the time in UTC; Scan
	// failed with "converting NULL to int64 is unsupported".
	t.Run("no offset", func(t *testing.T) {
		if err := refill(t, db, m.Table, insert, row{"utc", "call", at(when), "u1", nil}, row{"plus1", "call", at(when), "u1", 3600}); err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		err := so.Scan(ctx, kpi.Query{}, func(e *kpi.Event) error {
			if !e.Time.Equal(when) {
				t.Errorf("%s: time %v, want %v", e.ID, e.Time, when)
			}
			_, got[e.ID] = e.Time.Zone()
			return nil
		})
		if err != nil || len(got) != 2 || got["utc"] != 0 || got["plus1"] != 3600 {
			t.Errorf("scan: offsets %v, %v; want utc 0 and plus1 3600", got, err)
		}
	})
	// A time, an offset or a known time that is not an integer, in a table
	// whose columns take it (SQLite's do; a typed column refuses it, and
	// the case is passed over), is refused by Scan naming the table, the
	// event and the column: the driver's error named only the column's
	// place in the query.
	t.Run("not an integer", func(t *testing.T) {
		for _, tc := range []struct {
			at, off    any
			col, value string
		}{
			{"soon", nil, m.Time, `"soon"`},
			{1.5, nil, m.Time, "1.5"},
			{at(when), "east", "pipeline", `"east"`},
		} {
			if refill(t, db, m.Table, insert, row{"e1", "call", tc.at, "u1", tc.off}) != nil {
				continue // the column takes only its type
			}
			err := so.Scan(ctx, kpi.Query{}, func(*kpi.Event) error { return nil })
			want := "table " + m.Table + `: event "e1": column ` + tc.col + " holds " + tc.value + ", not an integer"
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("scan of %v, %v: got %v, want an error saying %s", tc.at, tc.off, err, want)
			}
		}
	})
	// A REAL in a row of March (a host's table whose columns keep a double
	// as it is): a time of Unix nanoseconds written as a double, or an
	// offset of 3600.5 seconds. Scan refuses each, as it refuses 1.5, and
	// Push declines rather than count the row, so that the evaluation
	// scans and says which event it is; Push counted it in March.
	t.Run("a real in range", func(t *testing.T) {
		ns, ok := at(when).(int64)
		if !ok {
			t.Skip("the table's time is not Unix nanoseconds")
		}
		for _, tc := range []struct {
			at, off any
			col     string
		}{{float64(ns), nil, m.Time}, {ns, 3600.5, "pipeline"}} {
			if refill(t, db, m.Table, insert, row{"e1", "call", tc.at, "u1", tc.off}) != nil {
				continue // the column takes only its type
			}
			var typ string
			if err := db.QueryRowContext(ctx, "SELECT typeof("+tc.col+") FROM "+m.Table).Scan(&typ); err != nil || typ != "real" {
				continue // the column's affinity made it an integer (or the database has no typeof)
			}
			err := so.Scan(ctx, kpi.Query{}, func(*kpi.Event) error { return nil })
			if want := `event "e1": column ` + tc.col + " holds "; err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("scan of %v, %v: got %v, want an error saying %s", tc.at, tc.off, err, want)
			}
			if rows, ok, err := so.Push(ctx, kpi.PushQuery{Kinds: []string{"call"}, Bounds: bounds}); ok || err != nil {
				t.Errorf("push of %v, %v: got %+v, %v, %v; want it declined", tc.at, tc.off, rows, ok, err)
			}
		}
	})
	// Of several rows refused for their ids, both name the first on every
	// database: a row without an id, then the least id by its bytes.
	// PostgreSQL named a repeated id before a NULL one, which SQLite
	// named first.
	t.Run("several", func(t *testing.T) {
		for _, tc := range []struct {
			ids  []any
			want string
		}{
			{[]any{"c2", "c2", nil, "c1\r"}, "table " + m.Table + ": a row has no event id (column " + m.ID + " is NULL)"},
			{[]any{"c2", "c2", "", "c1\r"}, "table " + m.Table + ": a row has no event id (column " + m.ID + " is empty)"},
			{[]any{"c2", "c2", "c1\r"}, "table " + m.Table + `: event id "c1\r" has a control character (U+000D)`},
			{[]any{"b2", "B2", "b2", "b1\x01"}, "table " + m.Table + `: event id "b1\x01" has a control character (U+0001)`},
			{[]any{"b2", "B2", "B2", "b1\x01"}, "table " + m.Table + `: event id "B2" is on 2 rows`},
			// Ids past ASCII are passed over to the first refused one.
			{[]any{"я", "а", "а"}, "table " + m.Table + `: event id "а" is on 2 rows`},
			{[]any{"а", "я", "я", "\xff"}, "table " + m.Table + `: event id "я" is on 2 rows`},
			{[]any{"а", "я", "\xffя", "\xff"}, "table " + m.Table + `: event id "\xff" is not valid UTF-8`},
		} {
			var rows []row
			for _, id := range tc.ids {
				rows = append(rows, row{id, "call", at(when), "u1", nil})
			}
			if err := refill(t, db, m.Table, insert, rows...); err != nil {
				if !utf8.ValidString(fmt.Sprint(tc.ids...)) {
					continue // the database keeps no text that is not UTF-8
				}
				t.Fatal(err)
			}
			err := s.Scan(ctx, kpi.Query{}, func(*kpi.Event) error { return nil })
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("scan of %q: got %v, want an error saying %s", tc.ids, err, tc.want)
			}
			_, _, err = s.Push(ctx, kpi.PushQuery{Kinds: []string{"call"}, Bounds: bounds})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("push of %q: got %v, want an error saying %s", tc.ids, err, tc.want)
			}
		}
	})
	// An error quotes a row's id and cell cut short: a host's id of 100
	// KB on two rows made an error of 100 KB, and with an amount that is
	// not a decimal, of 200 KB.
	t.Run("long id", func(t *testing.T) {
		long := strings.Repeat("i", 100<<10)
		short := func(what string, err error, want string) {
			t.Helper()
			if err == nil || !strings.Contains(err.Error(), want) || len(err.Error()) > 1000 {
				t.Errorf("%s: an error of %d bytes (want at most 1000, saying %s): %.300v", what, len(fmt.Sprint(err)), want, err)
			}
		}
		if err := refill(t, db, m.Table, insert, row{long, "call", at(when), "u1", nil}, row{long, "call", at(when), "u1", nil}); err != nil {
			t.Fatal(err)
		}
		err := s.Scan(ctx, kpi.Query{}, func(*kpi.Event) error { return nil })
		short("scan of an id on two rows", err, `event id "iiii`)
		_, _, err = s.Push(ctx, kpi.PushQuery{Kinds: []string{"call"}, Bounds: bounds})
		short("push of an id on two rows", err, `event id "iiii`)
		if err := refill(t, db, m.Table, insert); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, insert, long, "call", at(when), "u1", "1,"+long, "", nil, nil, nil); err != nil {
			return // the amount's column takes only numbers
		}
		err = s.Scan(ctx, kpi.Query{}, func(*kpi.Event) error { return nil })
		short("scan of an amount that is not a decimal", err, "not a decimal (the amount)")
	})
	// A name the JSON of a row's attributes holds twice (a host's SQLite
	// text column may; PostgreSQL's jsonb keeps the last) reads in a scan
	// as a push filters by it: SQLite's json_extract takes the first, and
	// the scan took the last, so a pushed report counted the row as "web"
	// and a scanned one as "partner".
	t.Run("a name twice", func(t *testing.T) {
		if err := refill(t, db, m.Table, insert); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, insert, "e1", "call", at(when), "u1", nil, "", `{"source":"web","source":"partner"}`, nil, nil); err != nil {
			t.Fatal(err)
		}
		var source any
		if err := s.Scan(ctx, kpi.Query{}, func(e *kpi.Event) error { source = e.Attrs["source"]; return nil }); err != nil {
			t.Fatal(err)
		}
		web := formula.Compare{Op: "==", L: formula.Ident{Name: "source", Type: formula.TypeString}, R: formula.Const{Value: formula.String("web")}}
		rows, ok, err := s.Push(ctx, kpi.PushQuery{Kinds: []string{"call"}, Bounds: bounds, Where: web})
		if err != nil || !ok {
			t.Fatalf("push: %v, %v", ok, err)
		}
		pushed := int64(0)
		for _, r := range rows {
			pushed += r.Count
		}
		if scanned := map[bool]int64{true: 1}[source == "web"]; pushed != scanned {
			t.Errorf("the scan read source %v, and the push counted %d calls of source web", source, pushed)
		}
	})
	// A value its column's type cannot hold (SQLite's columns take any;
	// a typed column refuses it, and the case is passed over) is refused
	// by Scan naming the table, the event and the column; the errors named
	// neither the table nor the column, and a bool's only the parser.
	t.Run("not its type", func(t *testing.T) {
		for _, tc := range []struct {
			amt, props, pipeline, vip any
			want                      string
		}{
			{"1,5", nil, nil, nil, "column " + m.Amount + ` holds "1,5", not a decimal (the amount)`},
			{nil, "[1]", nil, nil, "column " + m.Attrs + " (the attributes): "},
			{nil, nil, "abc", nil, "column " + m.AttrColumns["pipeline"].Column + ` (attribute "pipeline"): "abc" is not an int`},
			{nil, nil, nil, "maybe", "column " + m.AttrColumns["vip"].Column + ` (attribute "vip"): "maybe" is not a bool`},
		} {
			if err := refill(t, db, m.Table, insert); err != nil {
				t.Fatal(err)
			}
			if _, err := db.ExecContext(ctx, insert, "e1", "call", at(when), "u1", tc.amt, "", tc.props, tc.pipeline, tc.vip); err != nil {
				continue // the column takes only its type
			}
			err := s.Scan(ctx, kpi.Query{}, func(*kpi.Event) error { return nil })
			if want := "sqlcore: scan: table " + m.Table + `: event "e1": ` + tc.want; err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("scan: got %v, want an error saying %s", err, want)
			}
		}
	})
	for _, tc := range []struct {
		name     string
		id, kind any
		at       any
		want     string
		pushWant string // "" when Push answers
	}{
		{"no id", nil, "call", at(when), "table " + m.Table + ": a row has no event id (column " + m.ID + " is NULL)",
			"table " + m.Table + ": a row has no event id (column " + m.ID + " is NULL)"},
		// An empty id, which no event has, as a NULL: Scan passed the
		// event on, and Push counted it.
		{"empty id", "", "call", at(when), "table " + m.Table + ": a row has no event id (column " + m.ID + " is empty)",
			"table " + m.Table + ": a row has no event id (column " + m.ID + " is empty)"},
		{"CR in the id", "c2\r", "call", at(when), "table " + m.Table + `: event id "c2\r" has a control character (U+000D)`,
			"table " + m.Table + `: event id "c2\r" has a control character (U+000D)`},
		{"C1 in the id", "c2\u0085", "call", at(when), "table " + m.Table + `: event id "c2\u0085" has a control character (U+0085)`,
			"table " + m.Table + `: event id "c2\u0085" has a control character (U+0085)`},
		// An id that is not valid UTF-8, which SQLite's text holds (and
		// PostgreSQL's refuses: the case is passed over): Push counted it,
		// Scan refused it.
		{"invalid UTF-8 in the id", "c2\xff", "call", at(when), "table " + m.Table + `: event id "c2\xff" is not valid UTF-8`,
			"table " + m.Table + `: event id "c2\xff" is not valid UTF-8`},
		{"a lone continuation byte in the id", "\x80c2", "call", at(when), "table " + m.Table + `: event id "\x80c2" is not valid UTF-8`,
			"table " + m.Table + `: event id "\x80c2" is not valid UTF-8`},
		// A NUL, which SQLite's text holds and its GLOB does not see past.
		{"NUL in the id", "c2\x00x", "call", at(when), "table " + m.Table + `: event id "c2\x00x" has a control character (U+0000)`,
			"table " + m.Table + `: event id "c2\x00x" has a control character (U+0000)`},
		{"no kind", "k", nil, at(when), "table " + m.Table + `: event "k" has no kind (column ` + m.Kind + " is NULL)", ""},
		{"no time", "t", "call", nil, "table " + m.Table + `: event "t" has no time (column ` + m.Time + " is NULL)", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// An id in any script is an identifier.
			if err := refill(t, db, m.Table, insert, row{"звонок №1", "call", at(when), "u1", nil}, row{tc.id, tc.kind, tc.at, "u1", nil}); err != nil {
				if id, ok := tc.id.(string); ok && (!utf8.ValidString(id) || strings.Contains(id, "\x00")) {
					t.Skipf("the database keeps no text that is not UTF-8: %v", err)
				}
				t.Fatal(err)
			}
			err := s.Scan(ctx, kpi.Query{}, func(*kpi.Event) error { return nil })
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("scan: got %v, want an error saying %s", err, tc.want)
			}
			rows, ok, err := s.Push(ctx, kpi.PushQuery{Kinds: []string{"call"}, Bounds: bounds})
			switch {
			case tc.pushWant != "" && (err == nil || !strings.Contains(err.Error(), tc.pushWant)):
				t.Errorf("push: got %v, %v, want an error saying %s", rows, err, tc.pushWant)
			case tc.pushWant == "" && (err != nil || !ok || len(rows) != 1 || rows[0].Count != 1):
				t.Errorf("push: got %+v, %v, %v, want the one call, звонок №1", rows, ok, err)
			}
		})
	}
}
