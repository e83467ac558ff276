package sqlcoretest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/sqlcore"
	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/kpi"
)

// TestOwnRows checks rows written by hand (or by a foreign writer) into
// the own table, goalkit_events, with ids no event may have: Scan and Push
// refuse them alike, naming the row, even where the push's filter leaves
// the row out; a push counted them. Ids past ASCII that are valid are
// counted as a scan reads them, filter or not. A time that is not an
// integer (SQLite keeps a REAL) makes a push decline, as the scan refuses
// it. A row the database does not take (PostgreSQL: NULL, a NUL, invalid
// UTF-8) is passed over.
func TestOwnRows(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	insert := "INSERT INTO goalkit_events (id, kind, ts_ns, actor) VALUES (?, ?, ?, ?)"
	if s.Dialect() == sqlcore.Postgres {
		insert = "INSERT INTO goalkit_events (id, kind, ts_ns, actor) VALUES ($1, $2, $3, $4)"
	}
	when := time.Date(2025, 3, 20, 9, 0, 0, 0, time.UTC)
	bounds := marchBounds()
	// The same table mapped as a host's, which a push reads by no index.
	mapped := sqlcore.Own
	host, err := sqlcore.New(s.DB(), s.Dialect(), &mapped)
	if err != nil {
		t.Fatal(err)
	}
	refill := func(t *testing.T, rows ...[4]any) bool {
		t.Helper()
		if _, err := s.DB().ExecContext(ctx, "DELETE FROM goalkit_events"); err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if _, err := s.DB().ExecContext(ctx, insert, r[:]...); err != nil {
				return false
			}
		}
		return true
	}
	u1 := formula.Compare{Op: "==", L: formula.Ident{Name: "actor", Type: formula.TypeString}, R: formula.Const{Value: formula.String("u1")}}
	pushes := []kpi.PushQuery{{Kinds: []string{"call"}, Bounds: bounds}, {Kinds: []string{"call"}, Bounds: bounds, Where: u1}}
	// A push as of an instant before the rows: the scan of its range
	// reads them all the same, and so must the push's checks.
	early := append(pushes[:2:2], kpi.PushQuery{Kinds: []string{"call"}, Bounds: bounds, AsOf: when.Add(-time.Hour)},
		kpi.PushQuery{Kinds: []string{"call"}, Bounds: bounds, AsOf: when.Add(-time.Hour), Where: u1})
	table := "table goalkit_events: "
	for _, tc := range []struct {
		name string
		id   any
		want string
	}{
		{"no id", nil, table + "a row has no event id (column id is NULL)"},
		{"empty id", "", table + "a row has no event id (column id is empty)"},
		{"CR", "c2\r", table + `event id "c2\r" has a control character (U+000D)`},
		{"C1", "c2\u0085", table + `event id "c2\u0085" has a control character (U+0085)`},
		{"NUL", "c2\x00x", table + `event id "c2\x00x" has a control character (U+0000)`},
		{"invalid UTF-8", "c2\xff", table + `event id "c2\xff" is not valid UTF-8`},
		{"a lone continuation byte", "\x80c2", table + `event id "\x80c2" is not valid UTF-8`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The bad row is u2's: the filter of the second push leaves it out.
			if !refill(t, [4]any{"ok", "call", when.UnixNano(), "u1"}, [4]any{tc.id, "call", when.UnixNano(), "u2"}) {
				t.Skip("the database does not take the row")
			}
			err := s.Scan(ctx, kpi.Query{}, func(*kpi.Event) error { return nil })
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("scan: got %v, want an error saying %s", err, tc.want)
			}
			for _, q := range early {
				rows, ok, err := s.Push(ctx, q)
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("push where %v as of %v: got %+v, %v, %v; want an error saying %s", q.Where, q.AsOf, rows, ok, err, tc.want)
				}
			}
		})
	}
	t.Run("valid ids past ASCII", func(t *testing.T) {
		refill(t, [4]any{"ok", "call", when.UnixNano(), "u1"}, [4]any{"звонок 1", "call", when.UnixNano(), "u1"},
			[4]any{"звонок 2", "call", when.UnixNano(), "u2"}, [4]any{"é", "call", when.UnixNano(), "u2"})
		// By hand: u1 has ok and звонок 1, u2 звонок 2 and é.
		for i, want := range []map[string]int64{{"u1": 2, "u2": 2}, {"u1": 2}} {
			rows, ok, err := s.Push(ctx, pushes[i])
			got := map[string]int64{}
			for _, r := range rows {
				got[r.Actor] += r.Count
			}
			if err != nil || !ok || len(got) != len(want) || got["u1"] != want["u1"] || got["u2"] != want["u2"] {
				t.Errorf("push where %v: got %v, %v, %v; want %v", pushes[i].Where, got, ok, err, want)
			}
		}
	})
	t.Run("a time not an integer", func(t *testing.T) {
		if !refill(t, [4]any{"e1", "call", 1.5, "u1"}) {
			t.Skip("the column takes only integers")
		}
		var typ string
		if err := s.DB().QueryRowContext(ctx, "SELECT typeof(ts_ns) FROM goalkit_events").Scan(&typ); err != nil || typ != "real" {
			t.Skip("the column made it an integer")
		}
		if err := s.Scan(ctx, kpi.Query{}, func(*kpi.Event) error { return nil }); err == nil {
			t.Error("scan of a time of 1.5 ns passed")
		}
		epoch := time.Unix(0, 0).UTC()
		q := kpi.PushQuery{Kinds: []string{"call"}, Bounds: []time.Time{epoch.Add(-time.Hour), epoch.Add(time.Hour)}}
		if rows, ok, err := s.Push(ctx, q); ok || err != nil {
			t.Errorf("push: got %+v, %v, %v; want it declined", rows, ok, err)
		}
	})
	// An attribute name no event may have, in the attributes' JSON: the
	// scan refuses the row, naming the table and the event, where the
	// engine refused it after the scan ("source: event …").
	for _, tc := range []struct{ attrs, want string }{
		{`{"b":1,"re\u0001gion":"north"}`, table + `event "e2": column attrs (the attributes): attribute name "re\x01gion" has a control character (U+0001)`},
		{`{"a\u0085":"x","b":true}`, table + `event "e2": column attrs (the attributes): attribute name "a\u0085" has a control character (U+0085)`},
		{`{"":"x"}`, table + `event "e2": column attrs (the attributes): an attribute without a name`},
	} {
		t.Run("attribute "+tc.attrs, func(t *testing.T) {
			if !refill(t, [4]any{"e1", "call", when.UnixNano(), "u1"}, [4]any{"e2", "call", when.UnixNano(), "u2"}) {
				t.Fatal("the rows were refused")
			}
			set := "UPDATE goalkit_events SET attrs = ? WHERE id = 'e2'"
			if s.Dialect() == sqlcore.Postgres {
				set = "UPDATE goalkit_events SET attrs = $1::jsonb WHERE id = 'e2'"
			}
			if _, err := s.DB().ExecContext(ctx, set, tc.attrs); err != nil {
				t.Fatal(err)
			}
			err := s.Scan(ctx, kpi.Query{}, func(*kpi.Event) error { return nil })
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("scan: got %v, want an error saying %s", err, tc.want)
			}
		})
	}
	// What else kpi.Event.Validate refuses of a row: the scan refuses it,
	// naming the table, the event and the column, where the engine refused
	// it after the scan ("source: event …", neither table nor column). A
	// push over a range whose scan refuses it declines, whatever its filter
	// and as-of instant, where it counted the event.
	many := make([]string, 65)
	for i := range many {
		many[i] = fmt.Sprintf(`"a%d":%d`, i, i)
	}
	// 23:00 of 2261's last day in UTC, 01:00 of 2262's first at +02:00.
	last := time.Date(2261, 12, 31, 23, 0, 0, 0, time.UTC)
	lastBounds := []time.Time{time.Date(2261, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(2262, 1, 2, 0, 0, 0, 0, time.UTC)}
	attrsErr := table + `event "e2": column attrs (the attributes): `
	for _, tc := range []struct {
		set    string
		want   []string
		bounds []time.Time // the push's, when not March's
	}{
		{"kind = 'call' || char(133)", []string{table + `event "e2": column kind (the kind): "call\u0085" has a control character (U+0085)`}, nil},
		{"kind = 'call' || chr(133)", []string{table + `event "e2": column kind (the kind): "call\u0085" has a control character (U+0085)`}, nil},
		{"kind = 'call' || chr(127)", []string{table + `event "e2": column kind (the kind): "call\x7f" has a control character (U+007F)`}, nil},
		{"kind = CAST(x'63ff' AS TEXT)", []string{table + `event "e2": column kind (the kind): "c\xff" is not valid UTF-8`}, nil},
		{"currency = 'RU' || char(27)", []string{table + `event "e2": column currency (the currency): "RU\x1b" has a control character (U+001B)`}, nil},
		{"currency = 'RU' || chr(27)", []string{table + `event "e2": column currency (the currency): "RU\x1b" has a control character (U+001B)`}, nil},
		{"amount = '1e-1001'", []string{table + `event "e2": column amount (the amount): exponent -1001 is outside ±1000`}, nil},
		// The ends of an int64 of nanoseconds: 1677 and 2262.
		{"ts_ns = -9223372036854775000", []string{table + `event "e2": column ts_ns (the time): 1677-09-21T`, "is outside the years 1678–2261"}, nil},
		{"known_ns = 9223372036854775000", []string{table + `event "e2": column known_ns (when it was known): 2262-04-11T`, "is outside the years 1678–2261"}, nil},
		{"attrs = '{" + strings.Join(many, ",") + "}'", []string{table + `event "e2" has 65 attributes (at most 64)`}, nil},
		{`attrs = '{"x":1e-1001}'`, []string{table + `event "e2": column attrs (the attributes): "x": exponent -1001 is outside ±1000`}, nil},
		{`attrs = '{"x":1e1001}'`, []string{table + `event "e2": column attrs (the attributes): "x": exponent 1001 is outside ±1000`}, nil},
		{`attrs = '{"x":0.` + strings.Repeat("0", 1000) + `1}'`, []string{table + `event "e2": column attrs (the attributes): "x": exponent -1001 is outside ±1000`}, nil},
		{"amount = '1e1001'", []string{table + `event "e2": column amount (the amount): exponent 1001 is outside ±1000`}, nil},
		{"amount = '0." + strings.Repeat("0", 1000) + "1'", []string{table + `event "e2": column amount (the amount): exponent -1001 is outside ±1000`}, nil},
		// An amount that is not a decimal (PostgreSQL's NUMERIC takes NaN).
		{"amount = 'NaN'", []string{table + `event "e2": column amount holds "NaN", not a decimal (the amount)`}, nil},
		{"amount = '1.2.3'", []string{table + `event "e2": column amount holds "1.2.3", not a decimal (the amount)`}, nil},
		{"amount = '5-'", []string{table + `event "e2": column amount holds "5-", not a decimal (the amount)`}, nil},
		{"known_ns = -9223372036854775000", []string{table + `event "e2": column known_ns (when it was known): 1677-09-21T`, "is outside the years 1678–2261"}, nil},
		{fmt.Sprintf("ts_ns = %d, tz_offset = 7200", last.UnixNano()), []string{table + `event "e2": column ts_ns (the time): 2262-01-01T01:00:00+02:00 is outside the years 1678–2261`}, lastBounds},
		// Attributes a scan refuses that the push's filter and value do
		// not name: names no event may have, values of no attribute's
		// type, text that is not one JSON object.
		{`attrs = '{"b":1,"re\u0001gion":"north"}'`, []string{attrsErr + `attribute name "re\x01gion" has a control character (U+0001)`}, nil},
		{`attrs = '{"a\n":"x"}'`, []string{attrsErr + `attribute name "a\n" has a control character (U+000A)`}, nil},
		{`attrs = '{"a\u0085":"x","b":true}'`, []string{attrsErr + `attribute name "a\u0085" has a control character (U+0085)`}, nil},
		{`attrs = '{"a\u009F":"x"}'`, []string{attrsErr + `attribute name "a\u009f" has a control character (U+009F)`}, nil},
		{"attrs = '{\"a" + "\u0085" + "\":\"x\"}'", []string{attrsErr + `attribute name "a\u0085" has a control character (U+0085)`}, nil},
		{"attrs = '{\"a" + "\x7f" + "\":\"x\"}'", []string{attrsErr + `attribute name "a\x7f" has a control character (U+007F)`}, nil},
		{`attrs = '{"":"x"}'`, []string{attrsErr + `an attribute without a name`}, nil},
		{`attrs = '{"b":1, "" : 2}'`, []string{attrsErr + `an attribute without a name`}, nil},
		{`attrs = '{"tags":["a","b"]}'`, []string{attrsErr + `"tags": unsupported value of type []interface {}`}, nil},
		{`attrs = '{"where":{"city":"Omsk"}}'`, []string{attrsErr + `"where": unsupported object`}, nil},
		{`attrs = '{"a":"x"} {"b":1}'`, []string{attrsErr + `text after the JSON object of attributes`}, nil},
		{`attrs = '{"a":"x"'`, []string{attrsErr}, nil},
		{`attrs = '["a"]'`, []string{attrsErr}, nil},
	} {
		name := tc.set
		if len(name) > 40 {
			name = name[:40] + "…"
		}
		t.Run(name, func(t *testing.T) {
			if strings.Contains(tc.set, "x'") && s.Dialect() == sqlcore.Postgres {
				t.Skip("PostgreSQL reads x'…' as a bit string")
			}
			if strings.Contains(tc.set, "e1001") && s.Dialect() == sqlcore.Postgres {
				t.Skip("PostgreSQL keeps 10^1001 in its digits, of exponent 0")
			}
			if !refill(t, [4]any{"e1", "call", when.UnixNano(), "u1"}, [4]any{"e2", "call", when.UnixNano(), "u2"}) {
				t.Fatal("the rows were refused")
			}
			if _, err := s.DB().ExecContext(ctx, "UPDATE goalkit_events SET "+tc.set+" WHERE id = 'e2'"); err != nil {
				t.Skipf("the database does not take it: %v", err)
			}
			err := s.Scan(ctx, kpi.Query{}, func(*kpi.Event) error { return nil })
			for _, w := range tc.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("scan: got %v, want an error saying %s", err, w)
				}
			}
			b := tc.bounds
			if b == nil {
				b = bounds
			}
			if s.Scan(ctx, kpi.Query{From: b[0], To: b[1]}, func(*kpi.Event) error { return nil }) == nil {
				return // the push's range does not hold the row
			}
			for _, where := range []formula.Node{nil, u1} {
				for _, asOf := range []time.Time{{}, b[0]} {
					q := kpi.PushQuery{Bounds: b, Where: where, AsOf: asOf}
					if rows, ok, err := s.Push(ctx, q); ok {
						t.Errorf("push where %v as of %v: got %+v, %v, %v; want it declined or refused", where, asOf, rows, ok, err)
					}
					// The table mapped as a host's: no index, the
					// push's own pass looks for the row.
					if rows, ok, err := host.Push(ctx, q); ok {
						t.Errorf("push over the table mapped where %v as of %v: got %+v, %v, %v; want it declined or refused", where, asOf, rows, ok, err)
					}
				}
			}
		})
	}
	// Rows a push reads again for Go to check, each good: it answers,
	// counting them, as the scan reads them.
	t.Run("good rows a push checks", func(t *testing.T) {
		if !refill(t, [4]any{"e1", "call", when.UnixNano(), "u1"}, [4]any{"e2", "call", when.UnixNano(), "u2"}) {
			t.Fatal("the rows were refused")
		}
		set := `UPDATE goalkit_events SET amount = '1e5', attrs = '{"note":"` + strings.Repeat(":", 400) +
			`","t":{"$time":"2025-03-20T09:00:00Z"},"memo":"[R\u0026D] {a} \"q\"\n\u0085","":null}' WHERE id = 'e2'`
		if _, err := s.DB().ExecContext(ctx, set); err != nil {
			t.Fatal(err)
		}
		if err := s.Scan(ctx, kpi.Query{}, func(e *kpi.Event) error { return e.Validate() }); err != nil {
			t.Fatalf("scan: %v", err)
		}
		for _, st := range []*sqlcore.Store{s, host} {
			for _, where := range []formula.Node{nil, u1} {
				rows, ok, err := st.Push(ctx, kpi.PushQuery{Kinds: []string{"call"}, Bounds: bounds, Where: where})
				want := 2
				if where != nil {
					want = 1
				}
				if err != nil || !ok || len(rows) != want || rows[0].Actor != "u1" || rows[0].Count != 1 || want == 2 && rows[1].Count != 1 {
					t.Errorf("push where %v (mapped %v): got %+v, %v, %v; want a call of u1 and, unfiltered, one of u2", where, st != s, rows, ok, err)
				}
			}
		}
	})
	// An offset or a known time that is not an integer, which a push does
	// not read: it declines, whatever its filter and as-of instant, as the
	// scan refuses it.
	for _, set := range []string{"tz_offset = 3600.5", "tz_offset = 'east'", "known_ns = 1.5", "known_ns = 'then'",
		// A kind or currency that is not an identifier, which the
		// engine refuses after a scan.
		"currency = 'RU' || char(27)", "kind = 'call' || char(133)", "currency = CAST(x'52ff' AS TEXT)",
		// The same in PostgreSQL's words (chr; SQLite has no such function).
		"currency = 'RU' || chr(27)", "kind = 'call' || chr(133)", "kind = 'call' || chr(127)"} {
		t.Run(set, func(t *testing.T) {
			if !refill(t, [4]any{"e1", "call", when.UnixNano(), "u1"}, [4]any{"e2", "call", when.UnixNano(), "u2"}) {
				t.Fatal("the rows were refused")
			}
			if _, err := s.DB().ExecContext(ctx, "UPDATE goalkit_events SET "+set+" WHERE id = 'e2'"); err != nil {
				t.Skipf("the database does not take it: %v", err)
			}
			scanErr := s.Scan(ctx, kpi.Query{}, func(e *kpi.Event) error { return e.Validate() })
			if scanErr == nil && s.Dialect() == sqlcore.Postgres {
				// The column made it an integer: a push answers too.
				return
			}
			if scanErr == nil || !strings.Contains(scanErr.Error(), `"e2"`) {
				t.Errorf("scan: got %v, want the refusal of event e2", scanErr)
			}
			only := formula.Compare{Op: "==", L: formula.Ident{Name: "actor", Type: formula.TypeString}, R: formula.Const{Value: formula.String("u1")}}
			for _, where := range []formula.Node{nil, only} {
				for _, asOf := range []time.Time{{}, when.Add(-time.Hour)} {
					q := kpi.PushQuery{Bounds: bounds, Where: where, AsOf: asOf}
					if rows, ok, err := s.Push(ctx, q); ok {
						t.Errorf("push where %v as of %v: got %+v, %v, %v; want it declined or refused", where, asOf, rows, ok, err)
					}
				}
			}
		})
	}
}
