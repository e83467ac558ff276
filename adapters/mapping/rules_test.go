package mapping

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// Every part of a rule, on small tables: the versions a load gives, as an
// event file.
func TestRules(t *testing.T) {
	for _, tc := range []struct {
		name, mapping, table string
		attrs                []string
		want                 string
	}{
		{"amount and currency from columns, an int actor",
			`timezone: UTC
key: [id]
columns: {id: {type: int}, agent: {type: int}, at: {type: time}, cents: {type: int}, cur: {type: string}}
events: [{kind: sale, time: at, actor: agent, amount: cents, currency: cur}]
`, "id,agent,at,cents,cur\n007,42,2025-03-01T10:00:00+03:00,1999,EUR\n8,43,2025-03-01T10:00:00Z,,EUR\n9,44,2025-03-01T10:00:00Z,5,\n", nil,
			`{"id":"sale:7","kind":"sale","time":"2025-03-01T10:00:00+03:00","actor":"42","amount":"1999","currency":"EUR"}
{"id":"sale:8","kind":"sale","time":"2025-03-01T10:00:00Z","actor":"43"}
{"id":"sale:9","kind":"sale","time":"2025-03-01T10:00:00Z","actor":"44","amount":"5"}
`},
		{"constant amount, attributes of every type",
			`timezone: Europe/Berlin
key: [id]
columns: {id: {type: string}, a: {type: string}, day: {type: date, time_of_day: "12:30:15"}, n: {type: int}, d: {type: decimal}, b: {type: bool}, at: {type: time}}
events: [{kind: visit, time: day, actor: a, amount: "1.50", currency: EUR, attrs: {n: n, d: d, b: b, at: at, day: day, who: a}}]
`, "id,a,day,n,d,b,at\nv1,anna,2025-07-01,-3,0.10,true,2025-07-01T08:00:00Z\nv2,boris,2025-12-01,,,,\n", []string{"who", "n", "d", "b", "at", "day"},
			`{"id":"visit:v1","kind":"visit","time":"2025-07-01T12:30:15+02:00","actor":"anna","amount":"1.50","currency":"EUR","attrs":{"who":"anna","n":-3,"d":0.10,"b":true,"at":"2025-07-01T08:00:00Z","day":"2025-07-01T12:30:15+02:00"}}
{"id":"visit:v2","kind":"visit","time":"2025-12-01T12:30:15+01:00","actor":"boris","amount":"1.50","currency":"EUR","attrs":{"who":"boris","day":"2025-12-01T12:30:15+01:00"}}
`},
		{"a key of several columns, escaped, and an id prefix",
			`timezone: UTC
id_prefix: "crm/"
key: [pipeline, id, day]
columns: {pipeline: {type: string}, id: {type: int}, day: {type: date}, a: {type: string}}
events: [{kind: deal.won, id: won, time: day, actor: a}]
`, "pipeline,id,day,a\nB2B,1,2025-01-02,x\n\"50%:off\",1,2025-01-02,y\n\"B2B:1\",2,2025-01-02,z\n", nil,
			`{"id":"crm/won:B2B:1:2025-01-02","kind":"deal.won","time":"2025-01-02T00:00:00Z","actor":"x"}
{"id":"crm/won:50%25%3Aoff:1:2025-01-02","kind":"deal.won","time":"2025-01-02T00:00:00Z","actor":"y"}
{"id":"crm/won:B2B%3A1:2:2025-01-02","kind":"deal.won","time":"2025-01-02T00:00:00Z","actor":"z"}
`},
		{"when over numbers, times and absent values",
			`timezone: America/New_York
key: [id]
columns: {id: {type: string}, a: {type: string}, v: {type: decimal}, closed: {type: date}, vip: {type: bool}}
events:
  - {kind: big, when: "v >= 1000", time: closed, actor: a}
  - {kind: march, when: "month(closed) == 3 && year(closed) == 2017", time: closed, actor: a}
  - {kind: not_vip, when: "!vip", time: closed, actor: a}
`, "id,a,v,closed,vip\nx,a,1000.00,2017-03-01,true\ny,b,,2017-04-01,\n", nil,
			`{"id":"big:x","kind":"big","time":"2017-03-01T00:00:00-05:00","actor":"a"}
{"id":"march:x","kind":"march","time":"2017-03-01T00:00:00-05:00","actor":"a"}
{"id":"not_vip:x","deleted":true}
{"id":"big:y","deleted":true}
{"id":"march:y","deleted":true}
{"id":"not_vip:y","kind":"not_vip","time":"2017-04-01T00:00:00-04:00","actor":"b"}
`},
		{"a byte order mark, CRLF (a quoted one inside a column the mapping does not read), quotes, blank lines",
			`timezone: UTC
key: [id]
columns: {id: {type: string}, who: {type: string, column: "Sales Agent"}, day: {type: date, column: "Close Date"}}
events: [{kind: k, time: day, actor: who}]
`, "\xef\xbb\xbfid,Sales Agent,other,Close Date\r\n\r\n\"a\",\"Smith, \"\"J\"\"\",x,2025-01-01\r\nb,Jones,\"two\r\nlines\",2025-01-02\r\n", nil,
			`{"id":"k:a","kind":"k","time":"2025-01-01T00:00:00Z","actor":"Smith, \"J\""}
{"id":"k:b","kind":"k","time":"2025-01-02T00:00:00Z","actor":"Jones"}
`},
		// As in an event file: a line of only spaces and tabs is blank
		// and skipped, before the header too, with any line end or none.
		{"lines of spaces and tabs are blank", "timezone: UTC\nkey: [id]\ncolumns: {id: {type: string}, d: {type: date}}\nevents: [{kind: k, time: d, actor: id}]\n",
			"  \t\r\nid,d\n \n\"a\",2025-01-01\r\n\t\r\n\nb,2025-01-02\n \t ", nil,
			`{"id":"k:a","kind":"k","time":"2025-01-01T00:00:00Z","actor":"a"}
{"id":"k:b","kind":"k","time":"2025-01-02T00:00:00Z","actor":"b"}
`},
		{"a header and no rows", "timezone: UTC\nkey: [id]\ncolumns: {id: {type: string}, d: {type: date}}\nevents: [{kind: k, time: d, actor: id}]\n",
			"id,d\n", nil, ``},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := compileText(t, tc.mapping)
			got, err := versions(t, m, tc.table, "t.csv")
			if err != nil {
				t.Fatal(err)
			}
			if s := string(ndjson(t, got, tc.attrs...)); s != tc.want {
				t.Errorf("got\n%s\nwant\n%s", s, tc.want)
			}
		})
	}
}

// The attribute values have the Go types of FORMATS.md.
func TestAttributeTypes(t *testing.T) {
	m := compileText(t, `timezone: UTC
key: [id]
columns: {id: {type: string}, n: {type: int}, b: {type: bool}, at: {type: time}}
events: [{kind: k, time: at, actor: id, attrs: {n: n, b: b, at: at}}]
`)
	got, err := versions(t, m, "id,n,b,at\nx,5,false,2025-01-01T00:00:00Z\n", "t.csv")
	if err != nil {
		t.Fatal(err)
	}
	a := got[0].Attrs
	if _, ok := a["n"].(int64); !ok {
		t.Errorf("n is %T", a["n"])
	}
	if _, ok := a["b"].(bool); !ok {
		t.Errorf("b is %T", a["b"])
	}
	if _, ok := a["at"].(time.Time); !ok {
		t.Errorf("at is %T", a["at"])
	}
}

// A retraction of an id a store never held changes nothing, in every store
// a load can go to: what makes the retractions of a first load harmless.
func TestRetractUnknownIsNoOp(t *testing.T) {
	at := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	held := kpi.Event{ID: "deal.won:A", Kind: "deal.won", Time: at, Actor: "anna"}
	unknown := kpi.Event{ID: "deal.won:B", Deleted: true}
	numeric := kpi.Event{ID: "12345", Deleted: true}
	check := func(t *testing.T, src kpi.Source, wantLen int) {
		t.Helper()
		var ids []string
		if err := src.Scan(context.Background(), kpi.Query{}, func(e *kpi.Event) error {
			ids = append(ids, e.ID)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if len(ids) != wantLen || wantLen == 1 && ids[0] != held.ID {
			t.Fatalf("events %v", ids)
		}
	}
	t.Run("kpi.Table Apply", func(t *testing.T) {
		tab := kpi.NewTable(time.UTC)
		for _, e := range []kpi.Event{unknown, numeric, held, unknown, numeric} {
			if err := tab.Apply(&e); err != nil {
				t.Fatal(err)
			}
		}
		check(t, tab, 1)
	})
	for _, empty := range []bool{true, false} {
		name := "kpi.Table Import into a table that holds events"
		if empty {
			name = "kpi.Table Import into an empty table"
		}
		t.Run(name, func(t *testing.T) {
			tab := kpi.NewTable(time.UTC)
			if !empty {
				if err := tab.Apply(&held); err != nil {
					t.Fatal(err)
				}
			}
			if err := tab.Import(context.Background(), func(add func(*kpi.Event) error) error {
				for _, e := range []kpi.Event{unknown, numeric} {
					if err := add(&e); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if empty {
				check(t, tab, 0)
				// The id is free: a later version of it is a new event.
				b := held
				b.ID = unknown.ID
				if err := tab.Apply(&b); err != nil || tab.Len() != 1 {
					t.Fatalf("%v, %d events", err, tab.Len())
				}
			} else {
				check(t, tab, 1)
			}
		})
	}
	t.Run("memory.Store", func(t *testing.T) {
		s := memory.New(time.UTC)
		if err := s.Apply(unknown, held, numeric); err != nil {
			t.Fatal(err)
		}
		if err := s.Import(context.Background(), func(add func(*kpi.Event) error) error { return add(&unknown) }); err != nil {
			t.Fatal(err)
		}
		check(t, s, 1)
	})
	t.Run("a first load into memory.Store", func(t *testing.T) {
		s := memory.New(time.UTC)
		m := compileFile(t, "deals.yaml")
		if err := m.LoadCSV(context.Background(), s, strings.NewReader(readTestdata(t, "deals.csv")), "deals.csv", Options{}); err != nil {
			t.Fatal(err)
		}
		// 10 deals engaged, 6 won, 2 lost.
		if s.Len() != 18 {
			t.Fatalf("%d events", s.Len())
		}
	})
}

// A rule's when reads a column's times in the column's zone (its own, or
// the mapping's timezone): without a mapping timezone its time helpers read
// them in UTC, so month(close_date) == 3 was false for 2017-03-01 in a date
// column zoned Europe/Berlin (2017-02-28T23:00Z). Times of columns in
// different zones cannot be read by one formula's helpers: a problem.
func TestWhenReadsTimesInTheirZone(t *testing.T) {
	for _, tc := range []struct {
		name, mapping, table string
		want                 []string
	}{
		{"a date column's own zone, no timezone", `key: [id]
columns: {id: {type: string}, a: {type: string}, close_date: {type: date, zone: Europe/Berlin}}
events: [{kind: march, when: "month(close_date) == 3 && day(close_date) == 1", time: close_date, actor: a}]
`, "id,a,close_date\nx,a,2017-03-01\ny,a,2017-02-28\n", []string{"march:x"}},
		{"a time column's own zone, no timezone", `key: [id]
columns: {id: {type: string}, a: {type: string}, at: {type: time, zone: Asia/Tokyo}}
events: [{kind: morning, when: "hour(at) < 9 && weekday(at) == 6", time: at, actor: a}]
`, "id,a,at\nx,a,2025-03-01 08:30:00\ny,a,2025-03-01 09:30:00\nz,a,2025-02-28T23:30:00Z\n", []string{"morning:x", "morning:z"}},
		{"a column's own zone over the mapping's timezone", `timezone: UTC
key: [id]
columns: {id: {type: string}, a: {type: string}, close_date: {type: date, zone: Europe/Berlin}}
events: [{kind: march, when: "month(close_date) == 3", time: close_date, actor: a}]
`, "id,a,close_date\nx,a,2017-03-01\ny,a,2017-02-28\n", []string{"march:x"}},
		{"the mapping's timezone for a time column with offsets", `timezone: America/New_York
key: [id]
columns: {id: {type: string}, a: {type: string}, at: {type: time}}
events: [{kind: feb, when: "month(at) == 2", time: at, actor: a}]
`, "id,a,at\nx,a,2025-03-01T03:00:00Z\ny,a,2025-03-01T06:00:00Z\n", []string{"feb:x"}},
		{"offsets and no zone: UTC", `key: [id]
columns: {id: {type: string}, a: {type: string}, at: {type: time}}
events: [{kind: feb, when: "month(at) == 2", time: at, actor: a}]
`, "id,a,at\nx,a,2025-03-01T03:00:00+05:00\ny,a,2025-03-01T06:00:00+05:00\n", []string{"feb:x"}},
		{"a zoned column and one with offsets: the column's zone", `key: [id]
columns: {id: {type: string}, a: {type: string}, d: {type: date, zone: Europe/Berlin}, at: {type: time}}
events: [{kind: k, when: "days_between(at, d) == 1", time: d, actor: a}]
`, "id,a,d,at\nx,a,2017-03-02,2017-02-28T23:30:00Z\ny,a,2017-03-02,2017-02-28T22:30:00Z\n", []string{"k:x"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := versions(t, compileText(t, tc.mapping), tc.table, "t.csv")
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, e := range got {
				if !e.Deleted { // a rule whose when is false retracts
					ids = append(ids, e.ID)
				}
			}
			if !slices.Equal(ids, tc.want) {
				t.Errorf("events %v, want %v", ids, tc.want)
			}
		})
	}
	d, err := Parse("m.yaml", []byte(`key: [id]
columns: {id: {type: string}, a: {type: string}, d: {type: date, zone: Europe/Berlin}, at: {type: time, zone: Asia/Tokyo}}
events:
  - {kind: k, when: "days_between(at, d) == 1", time: d, actor: a}
  - {kind: l, when: "at < d", time: d, actor: a}
`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Compile(d)
	want := `m.yaml:4: events[0].when: its time helpers would read columns of different zones (at in Asia/Tokyo, d in Europe/Berlin); they read one: give the columns one zone, or set the mapping's timezone and leave their own out`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}
