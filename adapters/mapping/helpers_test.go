package mapping

import (
	"bytes"
	"context"
	"encoding/csv"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/adapters/eventfile"
	"github.com/goalkit/goalkit/kpi"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// compileText compiles a mapping written in the test.
func compileText(t testing.TB, src string) *Mapper {
	t.Helper()
	d, err := Parse("m.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Compile(d)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// compileFile compiles a mapping of testdata.
func compileFile(t testing.TB, name string) *Mapper {
	t.Helper()
	m, err := CompileFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// recorder is a Store that keeps copies of the versions of a good load.
type recorder struct{ got []kpi.Event }

func (r *recorder) Import(_ context.Context, fn func(add func(*kpi.Event) error) error) error {
	var staged []kpi.Event
	err := fn(func(e *kpi.Event) error {
		if err := e.Validate(); err != nil {
			return err
		}
		staged = append(staged, e.Clone())
		return nil
	})
	if err == nil {
		r.got = append(r.got, staged...)
	}
	return err
}

// versions maps a CSV table and returns the versions a store gets.
func versions(t testing.TB, m *Mapper, table, name string) ([]kpi.Event, error) {
	t.Helper()
	var r recorder
	err := m.LoadCSV(context.Background(), &r, strings.NewReader(table), name, Options{})
	return r.got, err
}

// ndjson writes events as an event file.
func ndjson(t testing.TB, events []kpi.Event, attrs ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := eventfile.NewWriter(&buf, eventfile.NDJSON, attrs)
	for i := range events {
		if err := w.Write(&events[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readTestdata(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// csvRecords reads a CSV text.
func csvRecords(t testing.TB, s string) [][]string {
	t.Helper()
	r, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// sortedByID sorts versions by id, stably.
func sortedByID(es []kpi.Event) []kpi.Event {
	out := slices.Clone(es)
	slices.SortStableFunc(out, func(a, b kpi.Event) int { return strings.Compare(a.ID, b.ID) })
	return out
}
