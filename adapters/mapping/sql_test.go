package mapping

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

// A tiny database/sql driver: each query text has a fixed result.
type fakeDB map[string]fakeResult

type fakeResult struct {
	cols []string
	rows [][]driver.Value
	err  error // of the rows, after them
}

func (db fakeDB) open() *sql.DB { return sql.OpenDB(fakeConnector{db}) }

type fakeConnector struct{ db fakeDB }

func (c fakeConnector) Connect(context.Context) (driver.Conn, error) { return fakeConn(c), nil }
func (c fakeConnector) Driver() driver.Driver                        { return fakeDriver{} }

type fakeDriver struct{}

func (fakeDriver) Open(string) (driver.Conn, error) {
	return nil, errors.New("fake: open through the connector")
}

type fakeConn struct{ db fakeDB }

func (c fakeConn) Prepare(q string) (driver.Stmt, error) { return fakeStmt{c.db, q}, nil }
func (fakeConn) Close() error                            { return nil }
func (fakeConn) Begin() (driver.Tx, error)               { return nil, errors.New("fake: no transactions") }

type fakeStmt struct {
	db fakeDB
	q  string
}

func (fakeStmt) Close() error  { return nil }
func (fakeStmt) NumInput() int { return -1 }
func (fakeStmt) Exec([]driver.Value) (driver.Result, error) {
	return nil, errors.New("fake: read only")
}
func (s fakeStmt) Query([]driver.Value) (driver.Rows, error) {
	r, ok := s.db[s.q]
	if !ok {
		return nil, fmt.Errorf("fake: no such table in %q", s.q)
	}
	return &fakeRows{r: r}, nil
}

type fakeRows struct {
	r fakeResult
	i int
}

func (r *fakeRows) Columns() []string { return r.r.cols }
func (r *fakeRows) Close() error      { return nil }
func (r *fakeRows) Next(dest []driver.Value) error {
	if r.i == len(r.r.rows) {
		if r.r.err != nil {
			return r.r.err
		}
		return io.EOF
	}
	copy(dest, r.r.rows[r.i])
	r.i++
	return nil
}

// dealsSelect is what LoadDB runs for testdata/deals.yaml: its columns, by
// name, and the rows in key order.
const dealsSelect = `SELECT "account", "close_date", "close_value", "deal_stage", "engage_date", "opportunity_id", "product", "sales_agent" FROM "deals" ORDER BY "opportunity_id"`

// dealsRows are the rows of testdata/deals.csv as a database gives them:
// dates as times at UTC midnight, values as integers, NULLs.
func dealsRows(t *testing.T) [][]driver.Value {
	t.Helper()
	r := csvRecords(t, readTestdata(t, "deals.csv"))
	var rows [][]driver.Value
	for _, rec := range r[1:] {
		v := func(i int) driver.Value {
			if rec[i] == "" {
				return nil
			}
			return rec[i]
		}
		day := func(i int) driver.Value {
			if rec[i] == "" {
				return nil
			}
			d, err := time.Parse(time.DateOnly, rec[i])
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		var value driver.Value
		if rec[7] != "" {
			var n int64
			fmt.Sscan(rec[7], &n)
			value = n
		}
		// account, close_date, close_value, deal_stage, engage_date, opportunity_id, product, sales_agent
		rows = append(rows, []driver.Value{v(3), day(6), value, []byte(rec[4]), day(5), rec[0], v(2), v(1)})
	}
	return rows
}

var dealsCols = []string{"account", "close_date", "close_value", "deal_stage", "engage_date", "opportunity_id", "product", "sales_agent"}

// Reading the deals from a database gives what reading them from the CSV
// file gives.
func TestLoadDB(t *testing.T) {
	m := compileFile(t, "deals.yaml")
	db := fakeDB{dealsSelect: {cols: dealsCols, rows: dealsRows(t)}}.open()
	defer db.Close()
	var fromDB recorder
	if err := m.LoadDB(context.Background(), &fromDB, db, Options{}); err != nil {
		t.Fatal(err)
	}
	fromCSV, err := versions(t, m, readTestdata(t, "deals.csv"), "deals.csv")
	if err != nil {
		t.Fatal(err)
	}
	got, want := string(ndjson(t, sortedByID(fromDB.got), dealsAttrs...)), string(ndjson(t, sortedByID(fromCSV), dealsAttrs...))
	if got != want {
		t.Fatalf("from the database:\n%s\nfrom the file:\n%s", got, want)
	}
}

func TestLoadDBErrors(t *testing.T) {
	rows := dealsRows(t)
	bad := append([][]driver.Value(nil), rows...)
	bad[2] = append([]driver.Value(nil), bad[2]...)
	bad[2][2] = 1054.5
	bad[4] = append([]driver.Value(nil), bad[4]...)
	bad[4][1] = time.Date(2017, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		mapping string // added to deals.yaml, which names the table deals
		db      fakeDB
		want    string
	}{
		{"bad values", "", fakeDB{dealsSelect: {cols: dealsCols, rows: bad}},
			"deals:3: column \"close_value\": the floating-point value 1054.5 is not exact: select the column as text (CAST(close_value AS TEXT)) or as an integer\n" +
				"deals:5: column \"close_date\": not a date: the time \"2017-03-01T12:00:00Z\" has a time of day"},
		{"missing columns", "", fakeDB{dealsSelect: {cols: []string{"account", "close_date", "close_value", "deal_stage", "deal_stage", "opportunity_id", "product"}}},
			"deals: column \"deal_stage\" appears twice\n" +
				"deals: no column \"engage_date\"\n" +
				"deals: no column \"sales_agent\""},
		// A result is no CSV file: a column named with a semicolon or a
		// carriage return says nothing of separators or line ends.
		{"one column", "", fakeDB{dealsSelect: {cols: []string{"a;b\r"}}},
			"deals: no column \"account\"\ndeals: no column \"close_date\"\ndeals: no column \"close_value\"\ndeals: no column \"deal_stage\"\n" +
				"deals: no column \"engage_date\"\ndeals: no column \"opportunity_id\"\ndeals: no column \"product\"\ndeals: no column \"sales_agent\""},
		{"no table", "", fakeDB{}, `mapping: deals: fake: no such table in "` + strings.ReplaceAll(dealsSelect, `"`, `\"`) + `"`},
		{"rows error", "", fakeDB{dealsSelect: {cols: dealsCols, rows: rows[:1], err: errors.New("connection lost")}}, "deals: connection lost"},
		{"a query", "query: SELECT * FROM deals WHERE product <> 'x'\n",
			fakeDB{"SELECT * FROM deals WHERE product <> 'x'": {cols: dealsCols, rows: [][]driver.Value{rows[0], rows[0]}}},
			`query:2: key "1C1I7A6R" repeats the key of row 1`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(readTestdata(t, "deals.yaml"), "table: deals\n", "table: deals\n"+tc.mapping, 1)
			if tc.mapping != "" {
				src = strings.Replace(src, "table: deals\n", "", 1)
			}
			m := compileText(t, src)
			db := tc.db.open()
			defer db.Close()
			err := m.LoadDB(context.Background(), &recorder{}, db, Options{})
			if err == nil || err.Error() != tc.want {
				t.Fatalf("got\n%v\nwant\n%s", err, tc.want)
			}
		})
	}
	t.Run("no table or query", func(t *testing.T) {
		m := compileText(t, base)
		err := m.LoadDB(context.Background(), &recorder{}, fakeDB{}.open(), Options{})
		if err == nil || err.Error() != "mapping: the mapping names no table or query to read" {
			t.Fatalf("got %v", err)
		}
	})
}

// LoadRows reads any result, such as one with a schema-qualified table and
// columns of other names; the rows of a table are read in key order.
func TestLoadRows(t *testing.T) {
	m := compileText(t, `timezone: UTC
table: crm.deals
key: [id, day]
columns:
  id: {type: int, column: "Deal ID"}
  day: {type: date, column: 'Close "Date"'}
  who: {type: string}
  won: {type: bool}
events: [{kind: k, when: won, time: day, actor: who}]
`)
	q, name, err := m.selectSQL()
	if want := `SELECT "Close ""Date""", "Deal ID", "who", "won" FROM "crm"."deals" ORDER BY "Deal ID", "Close ""Date"""`; err != nil || q != want || name != "crm.deals" {
		t.Fatalf("got %s, %s, %v", q, name, err)
	}
	db := fakeDB{q: {cols: []string{"extra", "Close \"Date\"", "Deal ID", "who", "won"}, rows: [][]driver.Value{
		{3.5, "2025-01-02", int64(7), "anna", int64(1)},
		{nil, time.Date(2025, 1, 3, 0, 0, 0, 0, time.UTC), "8", []byte("boris"), false},
	}}}.open()
	defer db.Close()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var r recorder
	if err := m.LoadRows(context.Background(), &r, rows, "t", Options{}); err != nil {
		t.Fatal(err)
	}
	want := `{"id":"k:7:2025-01-02","kind":"k","time":"2025-01-02T00:00:00Z","actor":"anna"}
{"id":"k:8:2025-01-03","deleted":true}
`
	if got := string(ndjson(t, r.got)); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}
