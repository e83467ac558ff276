package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/goalkit/goalkit/adapters/adaptertest"
	"github.com/goalkit/goalkit/adapters/sqlcore"
	"github.com/goalkit/goalkit/adapters/sqlcore/sqlcoretest"
	"github.com/goalkit/goalkit/kpi"
)

var seq atomic.Int64

func open(t testing.TB) *sqlcore.Store {
	return openAt(t, filepath.Join(t.TempDir(), fmt.Sprintf("events-%d.db", seq.Add(1))))
}

// openAt opens the database at path for one test, and closes it when the
// test ends.
func openAt(t testing.TB, path string) *sqlcore.Store {
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s.Store
}

func TestSource(t *testing.T) { adaptertest.TestSource(t, sqlcoretest.Harness(t, open)) }

func TestPusher(t *testing.T) { adaptertest.TestPusher(t, sqlcoretest.Harness(t, open)) }

func TestApply(t *testing.T) { sqlcoretest.TestApply(t, open) }

func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	for range 2 {
		s, err := Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
}

// BenchmarkWorkload needs a database loaded with the standard workload:
//
//	goalkit bench -n 1000000 -write w1m.csv
//	goalkit import -events w1m.csv -source sqlite:w1m.db
//	GOALKIT_BENCH_SQLITE=w1m.db go test -run '^$' -bench Workload -benchtime 3x
func BenchmarkWorkload(b *testing.B) {
	path := os.Getenv("GOALKIT_BENCH_SQLITE")
	if path == "" {
		b.Skip("GOALKIT_BENCH_SQLITE is not set")
	}
	sqlcoretest.BenchWorkload(b, openAt(b, path))
}

// BenchmarkWorkloadMapped measures BenchmarkWorkload's pushes over the
// same database's goalkit_events mapped as a host's table (OpenMapped with
// sqlcore.Own), which a push reads by no index of the own table's
// migrations: those it answers, the sum of amounts declined (a host's
// amounts in SQLite are text).
func BenchmarkWorkloadMapped(b *testing.B) {
	path := os.Getenv("GOALKIT_BENCH_SQLITE")
	if path == "" {
		b.Skip("GOALKIT_BENCH_SQLITE is not set")
	}
	s, err := OpenMapped(path, sqlcore.Own)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	ctx := context.Background()
	var qs []kpi.PushQuery
	for _, q := range sqlcoretest.WorkloadQueries() {
		if q.Value != "amount" {
			qs = append(qs, q)
		}
	}
	b.Run("push", func(b *testing.B) {
		for b.Loop() {
			for _, q := range qs {
				if _, ok, err := s.Push(ctx, q); err != nil || !ok {
					b.Fatalf("push: ok %v, %v", ok, err)
				}
			}
		}
	})
}

func TestPushNumbers(t *testing.T) { sqlcoretest.TestPushNumbers(t, open) }

// TestPushAmountPlaces: a push over amounts written with their places,
// 1000 of them among them (sqlcoretest.TestPushAmountPlaces).
func TestPushAmountPlaces(t *testing.T) { sqlcoretest.TestPushAmountPlaces(t, open) }

func TestAttrNUL(t *testing.T) { sqlcoretest.TestAttrNUL(t, open) }

func TestEvaluate(t *testing.T) { sqlcoretest.TestEvaluate(t, open) }

func TestBoundYears(t *testing.T) { sqlcoretest.TestBoundYears(t, open) }

// TestOwnRows: rows of goalkit_events written by hand with ids a scan
// refuses are refused by a push too (sqlcoretest.TestOwnRows).
func TestOwnRows(t *testing.T) { sqlcoretest.TestOwnRows(t, open) }

func TestExactTrack(t *testing.T) { sqlcoretest.TestExactTrack(t, open) }

func TestExactScan(t *testing.T) { sqlcoretest.TestExactScan(t, open) }

func TestDecimalPlaces(t *testing.T) { sqlcoretest.TestDecimalPlaces(t, open) }
