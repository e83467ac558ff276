package postgres

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/adaptertest"
	"github.com/goalkit/goalkit/adapters/mapping"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/adapters/sqlcore"
	"github.com/goalkit/goalkit/adapters/sqlcore/sqlcoretest"
	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

func TestMapped(t *testing.T) {
	db := crmEvents(t, true)
	sqlcoretest.InsertMapped(t, db, insertCRM, timestamptz)
	sqlcoretest.TestMapped(t, db, sqlcore.Postgres, sqlcoretest.MappedTable("at", "timestamp"), false)
}

// crmEvents creates the host's table of sqlcoretest's mapped tests,
// crm_events, in a fresh schema, its event_id the primary key when unique
// (else one id may stand on two rows), and returns the database.
func crmEvents(t *testing.T, unique bool) *sql.DB {
	t.Helper()
	db := open(t).DB()
	id := "event_id text"
	if unique {
		id += " PRIMARY KEY"
	}
	if _, err := db.ExecContext(context.Background(), `CREATE TABLE crm_events (`+id+`, type text, at timestamptz, user_id text, amt numeric(12,2), cur text, props jsonb, pipeline integer, vip boolean)`); err != nil {
		t.Fatal(err)
	}
	return db
}

// insertCRM inserts a row of sqlcoretest's mapped tests into crmEvents'
// table, its time given by timestamptz.
const insertCRM = `INSERT INTO crm_events VALUES ($1, $2, $3, $4, $5::numeric, $6, $7::jsonb, $8, $9)`

// timestamptz is an instant as the driver writes it into a timestamptz.
func timestamptz(ts time.Time) any { return ts }

// A host's table without a unique id, holding one id on two rows: scans
// and pushdown both refuse it, naming the id (sqlcoretest.TestDuplicateIDs).
func TestMappedDuplicateIDs(t *testing.T) {
	sqlcoretest.TestDuplicateIDs(t, crmEvents(t, false), sqlcore.Postgres, sqlcoretest.MappedTable("at", "timestamp"), insertCRM, timestamptz)
}

// A host's table holding an actor no event may have: pushdown refuses it,
// naming it, as a scan does (sqlcoretest.TestPushActors).
func TestMappedPushActors(t *testing.T) {
	sqlcoretest.TestPushActors(t, crmEvents(t, true), sqlcore.Postgres, sqlcoretest.MappedTable("at", "timestamp"), insertCRM, timestamptz)
}

// A host's table with a row whose id, kind or time is NULL: refused,
// naming the table, the event and the column (sqlcoretest.TestNullColumns).
func TestMappedNullColumns(t *testing.T) {
	sqlcoretest.TestNullColumns(t, crmEvents(t, false), sqlcore.Postgres, sqlcoretest.MappedTable("at", "timestamp"), insertCRM, timestamptz)
}

// A mapping's time column with a zone of its own reads a timestamp without
// time zone by its wall clock in that zone, and a timestamptz as the instant
// it is (pgx gives it in the machine's zone).
func TestMappingTimeZones(t *testing.T) {
	db := open(t).DB()
	ctx := context.Background()
	for _, q := range []string{
		`CREATE TABLE calls (id text, agent text, at timestamp, atz timestamptz)`,
		`INSERT INTO calls VALUES ('x', 'u', '2025-03-20 17:40:12', '2025-03-20 17:40:12+03:00')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	d, err := mapping.Parse("calls.yaml", []byte(`table: calls
key: [id]
columns:
  id: {type: string}
  agent: {type: string}
  at: {type: time, zone: Europe/Berlin}
  atz: {type: time, zone: Europe/Berlin}
events:
  - {kind: wall, time: at, actor: agent}
  - {kind: instant, time: atz, actor: agent}
`))
	if err != nil {
		t.Fatal(err)
	}
	m, err := mapping.Compile(d)
	if err != nil {
		t.Fatal(err)
	}
	s := memory.New(time.UTC)
	if err := m.LoadDB(ctx, s, db, mapping.Options{}); err != nil {
		t.Fatal(err)
	}
	want := map[string]time.Time{
		"wall:x":    time.Date(2025, 3, 20, 16, 40, 12, 0, time.UTC), // 17:40:12 in Berlin (+01:00)
		"instant:x": time.Date(2025, 3, 20, 14, 40, 12, 0, time.UTC),
	}
	events := adaptertest.Events(t, s)
	if len(events) != len(want) {
		t.Fatalf("events %v, want %v", events, want)
	}
	for _, e := range events {
		if w, ok := want[e.ID]; !ok || !e.Time.Equal(w) {
			t.Errorf("%s at %s, want %s", e.ID, e.Time.Format(time.RFC3339Nano), w.Format(time.RFC3339Nano))
		}
	}
}

// An int attribute column that holds a number with a fraction is not read
// as another number: Scan refuses it, naming the attribute, rather than
// round it, and Push, which would sum the fraction, declines or fails too.
func TestMappedIntColumnFraction(t *testing.T) {
	db := open(t).DB()
	ctx := context.Background()
	for _, q := range []string{
		`CREATE TABLE crm_events (event_id text PRIMARY KEY, type text, at timestamptz, user_id text, pipeline numeric)`,
		`INSERT INTO crm_events VALUES ('a', 'call', '2025-03-01T09:00:00Z', 'u1', 2.5), ('b', 'call', '2025-03-01T10:00:00Z', 'u1', 2)`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	s, err := sqlcore.New(db, sqlcore.Postgres, &sqlcore.Mapping{Table: "crm_events", ID: "event_id", Kind: "type", Time: "at", TimeType: "timestamp",
		Actor: "user_id", AttrColumns: map[string]sqlcore.AttrColumn{"pipeline": {Column: "pipeline", Type: kpi.AttrInt}}})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Scan(ctx, kpi.Query{}, func(e *kpi.Event) error {
		if e.ID == "a" {
			t.Errorf("scan: event a with pipeline %v (%T), a column value of 2.5", e.Attrs["pipeline"], e.Attrs["pipeline"])
		}
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), `"pipeline"`) {
		t.Errorf("scan: got %v, want an error naming the attribute", err)
	}
	bounds := []time.Time{time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 3, 2, 0, 0, 0, 0, time.UTC)}
	for _, q := range []kpi.PushQuery{
		{Value: "pipeline", Bounds: bounds},
		{Where: formula.Compare{Op: "<", L: formula.Ident{Name: "pipeline", Type: formula.TypeNumber}, R: formula.Const{Value: formula.Int(3)}}, Bounds: bounds},
	} {
		if rows, ok, err := s.Push(ctx, q); ok && err == nil {
			t.Errorf("push answered %+v over a value the scan cannot read", rows)
		}
	}
}

// A time column of type timestamp without time zone, declared as a
// timestamptz (TimeType "timestamp"), is read in the session's TimeZone,
// as PostgreSQL casts it, by Scan and Push alike: Scan read its wall clock
// as UTC while the bounds Scan and Push compare it with took it in the
// session's zone, so a scan bounded from an event's own time left it out
// and Push put it in another bucket. The session's zone here is Asia/Tokyo.
func TestMappedTimestampWithoutZone(t *testing.T) {
	dsn, _ := freshSchema(t, "tz")
	db := openDSN(t, dsn+"&timezone=Asia/Tokyo").DB()
	ctx := context.Background()
	var zone string
	if err := db.QueryRowContext(ctx, "SHOW TimeZone").Scan(&zone); err != nil || zone != "Asia/Tokyo" {
		t.Fatalf("session TimeZone %q, %v", zone, err)
	}
	for _, q := range []string{
		`CREATE TABLE calls (id text, kind text, at timestamp, agent text)`,
		`INSERT INTO calls VALUES ('a', 'call', '2025-03-01 00:30:00', 'u1'), ('b', 'call', '2025-03-01 10:00:00', 'u1'), ('c', 'call', '2025-02-28 08:00:00', 'u1')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	s, err := sqlcore.New(db, sqlcore.Postgres, &sqlcore.Mapping{Table: "calls", ID: "id", Kind: "kind", Time: "at", TimeType: "timestamp", Actor: "agent"})
	if err != nil {
		t.Fatal(err)
	}
	tokyo := time.FixedZone("JST", 9*3600)
	want := map[string]time.Time{
		"a": time.Date(2025, 3, 1, 0, 30, 0, 0, tokyo),
		"b": time.Date(2025, 3, 1, 10, 0, 0, 0, tokyo),
		"c": time.Date(2025, 2, 28, 8, 0, 0, 0, tokyo),
	}
	scan := func(from, to time.Time) map[string]time.Time {
		got := map[string]time.Time{}
		if err := s.Scan(ctx, kpi.Query{From: from, To: to}, func(e *kpi.Event) error { got[e.ID] = e.Time; return nil }); err != nil {
			t.Fatal(err)
		}
		return got
	}
	all := scan(time.Time{}, time.Time{})
	for id, w := range want {
		if !all[id].Equal(w) {
			t.Errorf("event %s at %v, want %v", id, all[id], w)
		}
	}
	bounds := []time.Time{
		time.Date(2025, 2, 28, 0, 0, 0, 0, time.UTC),
		time.Date(2025, 2, 28, 15, 30, 0, 0, time.UTC), // a's instant
		time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2025, 3, 2, 0, 0, 0, 0, time.UTC),
	}
	rows, ok, err := s.Push(ctx, kpi.PushQuery{Bounds: bounds})
	if err != nil || !ok {
		t.Fatalf("push: %v, %v", ok, err)
	}
	pushed := map[int]int64{}
	for _, r := range rows {
		pushed[r.Bucket] += r.Count
	}
	for i := range len(bounds) - 1 {
		from, to := bounds[i], bounds[i+1]
		var ids []string
		for id, at := range want {
			if !at.Before(from) && at.Before(to) {
				ids = append(ids, id)
			}
		}
		got := scan(from, to)
		for id, at := range got {
			if at.Before(from) || !at.Before(to) {
				t.Errorf("scan [%v, %v): event %s at %v", from, to, id, at)
			}
		}
		if len(got) != len(ids) {
			t.Errorf("scan [%v, %v): %v, want %v", from, to, got, ids)
		}
		if pushed[i] != int64(len(ids)) {
			t.Errorf("push [%v, %v): %d events, want %v", from, to, pushed[i], ids)
		}
	}
}

// A host's table whose amount, int and bool attribute columns are text,
// holding random rows: a push never answers where the scan of its range is
// refused, and where the scan passes it answers what aggregating the
// scanned events gives (sqlcoretest.TestHostRows). A text that is not a
// number, cast to numeric by the push, failed it with PostgreSQL's error.
func TestHostRows(t *testing.T) {
	db := open(t).DB()
	if _, err := db.ExecContext(context.Background(), `CREATE TABLE host_rows (id text, kind text, ts bigint, off integer, actor text,
		amt text, cur text, attrs jsonb, known bigint, n text, flag text)`); err != nil {
		t.Fatal(err)
	}
	sqlcoretest.TestHostRows(t, db, sqlcore.Postgres, "amt", "n", "flag")
}

// A text amount column holding a value that is not a decimal: a push, which
// casts the column to numeric, declines rather than fail with
// PostgreSQL's "invalid input syntax for type numeric" (or, of a sum,
// "function sum(text) does not exist"), and the evaluation scans and names
// the event, the column and the table; so does a text whose exponent a
// scan refuses. A push over the rows before it answers, and sums them.
func TestMappedTextAmount(t *testing.T) {
	db := open(t).DB()
	ctx := context.Background()
	for _, q := range []string{
		`CREATE TABLE deals (id text PRIMARY KEY, kind text, at timestamptz, agent text, amt text)`,
		`INSERT INTO deals VALUES ('a', 'deal.won', '2025-03-01T09:00:00Z', 'u1', '10.5'), ('b', 'deal.won', '2025-03-20T09:00:00Z', 'u1', 'n/a')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	s, err := sqlcore.New(db, sqlcore.Postgres, &sqlcore.Mapping{Table: "deals", ID: "id", Kind: "kind", Time: "at", TimeType: "timestamp", Actor: "agent", Amount: "amt"})
	if err != nil {
		t.Fatal(err)
	}
	march := []time.Time{time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)}
	big := formula.Compare{Op: ">", L: formula.Ident{Name: "amount", Type: formula.TypeNumber}, R: formula.Const{Value: formula.Int(5)}}
	for _, tc := range []struct{ amt, want string }{
		{"n/a", `column amt holds "n/a", not a decimal (the amount)`},
		{"", `column amt holds "", not a decimal (the amount)`},
		// A number to PostgreSQL, of a scale of 0; a scan reads the text.
		{"1e2000", `column amt (the amount): exponent 2000 is outside ±1000`},
	} {
		if _, err := db.ExecContext(ctx, `UPDATE deals SET amt = $1 WHERE id = 'b'`, tc.amt); err != nil {
			t.Fatal(err)
		}
		for _, q := range []kpi.PushQuery{
			{Bounds: march},
			{Bounds: march, Value: "amount"},
			{Bounds: march, Where: big},
			{Bounds: march, Value: "amount", AsOf: march[0].AddDate(0, 0, 2)},
		} {
			if rows, ok, err := s.Push(ctx, q); ok || err != nil {
				t.Errorf("amount %q: push %+v: got %+v, %v, %v; want it declined", tc.amt, q, rows, ok, err)
			}
		}
		want := `sqlcore: scan: table deals: event "b": ` + tc.want
		if err := s.Scan(ctx, kpi.Query{}, func(*kpi.Event) error { return nil }); err == nil || err.Error() != want {
			t.Errorf("scan: got %v, want %s", err, want)
		}
	}
	first := []time.Time{march[0], march[0].AddDate(0, 0, 10)}
	if ok, err := adaptertest.CheckPush(ctx, s, []kpi.Event{{ID: "a", Kind: "deal.won", Time: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC), Actor: "u1",
		Amount: decimal.NewNullDecimal(decimal.RequireFromString("10.5"))}}, kpi.PushQuery{Bounds: first, Value: "amount"}); err != nil || !ok {
		t.Errorf("push of the first ten days: answered %v, %v", ok, err)
	}
}

// A time attribute column of text holding a value PostgreSQL cannot read
// as a time: a scan, which casts it, fails; a push that does not filter by
// it answered, counting the row, and now declines (the evaluation scans,
// and fails), as it does over the int and bool columns of text holding
// what is not their type.
func TestMappedTextAttrColumns(t *testing.T) {
	db := open(t).DB()
	ctx := context.Background()
	for _, q := range []string{
		`CREATE TABLE calls (id text PRIMARY KEY, kind text, at timestamptz, agent text, due text, pipeline text, vip text)`,
		`INSERT INTO calls VALUES ('a', 'call', '2025-03-01T09:00:00Z', 'u1', '2025-03-05T00:00:00Z', '2', 'true')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	s, err := sqlcore.New(db, sqlcore.Postgres, &sqlcore.Mapping{Table: "calls", ID: "id", Kind: "kind", Time: "at", TimeType: "timestamp", Actor: "agent",
		AttrColumns: map[string]sqlcore.AttrColumn{"due": {Column: "due", Type: kpi.AttrTime}, "pipeline": {Column: "pipeline", Type: kpi.AttrInt},
			"vip": {Column: "vip", Type: kpi.AttrBool}}})
	if err != nil {
		t.Fatal(err)
	}
	march := []time.Time{time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)}
	if rows, ok, err := s.Push(ctx, kpi.PushQuery{Bounds: march}); !ok || err != nil || len(rows) != 1 || rows[0].Count != 1 {
		t.Fatalf("push over valid columns: %+v, %v, %v; want the one call", rows, ok, err)
	}
	for _, tc := range []struct{ col, value string }{{"due", "next week"}, {"pipeline", "two"}, {"pipeline", "2.5"}, {"vip", "yes"}, {"vip", "maybe"}} {
		if _, err := db.ExecContext(ctx, `INSERT INTO calls (id, kind, at, agent, `+tc.col+`) VALUES ('b', 'call', '2025-03-20T09:00:00Z', 'u2', $1)`, tc.value); err != nil {
			t.Fatal(err)
		}
		if err := s.Scan(ctx, kpi.Query{}, func(*kpi.Event) error { return nil }); err == nil {
			t.Errorf("%s %q: the scan passed", tc.col, tc.value)
		}
		for _, q := range []kpi.PushQuery{{Bounds: march}, {Bounds: march, Value: "pipeline"}, {Bounds: march, Where: formula.Ident{Name: "vip", Type: formula.TypeBool}}} {
			if rows, ok, err := s.Push(ctx, q); ok || err != nil {
				t.Errorf("%s %q: push %+v: got %+v, %v, %v; want it declined", tc.col, tc.value, q, rows, ok, err)
			}
		}
		if _, err := db.ExecContext(ctx, `DELETE FROM calls WHERE id = 'b'`); err != nil {
			t.Fatal(err)
		}
	}
}
