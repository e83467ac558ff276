package mapping

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/adapters/eventfile"
)

// Any mapping file parses and compiles to a Mapper or to an error that
// names the file, without a panic; a Mapper loads a table without one.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"deals.yaml"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(base))
	f.Add([]byte(propMapping))
	f.Add([]byte(`{"timezone":"UTC","key":["id"],"columns":{"id":{"type":"int"},"t":{"type":"time","zone":"Asia/Tokyo"}},"events":[{"kind":"k","time":"t","actor":"id","amount":"1e3","attrs":{"x":"id"}}]}`))
	f.Add([]byte("key: [a]\ncolumns: {a: {type: date, zone: UTC, time_of_day: '23:59:59'}}\nevents: [{kind: k, time: a, actor: a, when: 'a > a'}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse("m.yaml", data)
		if err == nil {
			var m *Mapper
			if m, err = Compile(d); err == nil {
				table := "id,a,t,n\n1,2,2025-01-01,3\n"
				if lerr := m.LoadCSV(context.Background(), &recorder{}, strings.NewReader(table), "t.csv", Options{}); lerr != nil && !strings.HasPrefix(lerr.Error(), "t.csv") {
					t.Fatalf("load error without the table's name: %v", lerr)
				}
				return
			}
		}
		if !strings.HasPrefix(err.Error(), "m.yaml") {
			t.Fatalf("error without the file's name: %v", err)
		}
	})
}

// fuzzMapping reads every column type, with a key of two columns.
const fuzzMapping = `timezone: Europe/Berlin
key: [k, n]
columns:
  k: {type: string}
  n: {type: int}
  d: {type: decimal}
  b: {type: bool}
  day: {type: date, time_of_day: "02:30"}
  at: {type: time}
  cur: {type: string}
events:
  - {kind: a, when: b, time: day, actor: k, amount: d, currency: cur, attrs: {n: n, at: at}}
  - {kind: b, when: defined(at) && d > 0, time: at, actor: n, amount: n}
`

// Any CSV table loads without a panic to versions stores accept, the same
// on every load, one per row and rule, or to an error naming bad rows by
// lines of the table.
func FuzzLoadCSV(f *testing.F) {
	for _, name := range []string{"deals.csv", "deals-changed.csv", "bad-deals.csv"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("k,n,d,b,day,at,cur\nx,1,2.5,true,2025-03-30,2025-03-30T10:00:00Z,EUR\n\"y:z\",2,0,false,2025-10-26,,\n"))
	f.Add([]byte("\xef\xbb\xbfk,n,d,b,day,at,cur\r\nx,1,-1e3,true,2025-03-30,2025-03-30 10:00:00,eur\r\n"))
	f.Add([]byte("k,n,d,b,day,at,cur\n\"a\nb\",1,1,true,2025-03-30,,\nx,1,1,true,2025-03-30,,\n"))
	m := compileText(f, fuzzMapping)
	f.Fuzz(func(t *testing.T, data []byte) {
		var r recorder
		err := m.LoadCSV(context.Background(), &r, bytes.NewReader(data), "f", Options{})
		if err != nil {
			checkLoadError(t, err, data)
			return
		}
		var again recorder
		if err := m.LoadCSV(context.Background(), &again, bytes.NewReader(data), "f", Options{}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(ndjson(t, r.got, "n", "at"), ndjson(t, again.got, "n", "at")) {
			t.Fatal("two loads of one table differ")
		}
		if len(r.got)%len(m.rules) != 0 {
			t.Fatalf("%d versions for %d rules", len(r.got), len(m.rules))
		}
		for i, e := range r.got {
			if rl := m.rules[i%len(m.rules)]; !strings.HasPrefix(e.ID, rl.idPrefix) || !e.Deleted && e.Kind != rl.kind {
				t.Fatalf("version %d %+v is not of rule %q", i, e, rl.id)
			}
		}
	})
}

// checkLoadError checks that a load error names bad rows by lines within
// the table, or the table.
func checkLoadError(t *testing.T, err error, data []byte) {
	t.Helper()
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	lines := bytes.Count(data, []byte("\n")) + 1
	for i, e := range errs {
		var fe *eventfile.Error
		switch {
		case errors.As(e, &fe):
			if fe.File != "f" || fe.Line < 1 || fe.Line > lines || fe.Msg == "" {
				t.Fatalf("bad error %#v for a table of %d lines", fe, lines)
			}
		case i == maxErrors && strings.HasPrefix(e.Error(), "and "):
		case strings.HasPrefix(e.Error(), "f:"): // a version the store refused
		default:
			t.Fatalf("error %d names no row: %v", i, e)
		}
	}
}
