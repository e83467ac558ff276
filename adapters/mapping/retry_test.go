package mapping

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/kpi"
)

// retrying is a store that retries its transaction: it runs the function
// of each import once into nothing (a transaction rolled back), then again
// into the recorder.
type retrying struct{ r *recorder }

func (s retrying) Import(ctx context.Context, fn func(add func(*kpi.Event) error) error) error {
	_ = fn(func(*kpi.Event) error { return nil })
	return s.r.Import(ctx, fn)
}

// A store that runs the function of its import twice gets, from LoadCSV
// and LoadRows, an error that says why, and keeps nothing: the table was
// read by the first run, and the second failed with "missing header row"
// or "sql: Rows are closed". LoadDB runs its query again, and the second
// run loads the table.
func TestLoadIntoStoreThatRetries(t *testing.T) {
	m := compileFile(t, "deals.yaml")
	ctx := context.Background()
	fromCSV, err := versions(t, m, readTestdata(t, "deals.csv"), "deals.csv")
	if err != nil {
		t.Fatal(err)
	}

	var r recorder
	err = m.LoadCSV(ctx, retrying{&r}, strings.NewReader(readTestdata(t, "deals.csv")), "deals.csv", Options{})
	want := "mapping.LoadCSV: deals.csv: the store ran the import's function again, but the table is read once, as it is imported: a store that retries its transaction must call LoadCSV again"
	if got := fmt.Sprint(err); got != want || len(r.got) != 0 {
		t.Errorf("LoadCSV: %d versions kept, error %q; want none and %q", len(r.got), got, want)
	}

	db := fakeDB{dealsSelect: {cols: dealsCols, rows: dealsRows(t)}}.open()
	defer db.Close()
	rows, err := db.QueryContext(ctx, dealsSelect)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	err = m.LoadRows(ctx, retrying{&r}, rows, "deals", Options{})
	want = "mapping.LoadRows: deals: the store ran the import's function again, but the table is read once, as it is imported: a store that retries its transaction must call LoadRows again"
	if got := fmt.Sprint(err); got != want || len(r.got) != 0 {
		t.Errorf("LoadRows: %d versions kept, error %q; want none and %q", len(r.got), got, want)
	}

	if err := m.LoadDB(ctx, retrying{&r}, db, Options{}); err != nil {
		t.Fatalf("LoadDB: %v", err)
	}
	if got, want := string(ndjson(t, sortedByID(r.got), dealsAttrs...)), string(ndjson(t, sortedByID(fromCSV), dealsAttrs...)); got != want {
		t.Errorf("LoadDB kept:\n%s\nwant:\n%s", got, want)
	}
}
