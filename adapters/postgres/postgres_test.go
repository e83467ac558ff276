package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/goalkit/goalkit/adapters/adaptertest"
	"github.com/goalkit/goalkit/adapters/sqlcore"
	"github.com/goalkit/goalkit/adapters/sqlcore/sqlcoretest"
	_ "github.com/jackc/pgx/v5/stdlib"
)

var seq atomic.Int64

// open returns a store in a fresh schema of the test server.
func open(t testing.TB) *sqlcore.Store {
	dsn, _ := freshSchema(t, "t")
	return openDSN(t, dsn)
}

// openDSN connects to dsn for one test, and closes the connection when the
// test ends.
func openDSN(t testing.TB, dsn string) *sqlcore.Store {
	s, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s.Store
}

// freshSchema creates an empty schema, named by prefix, on the test server
// (skipping the test when there is none), drops it when the test ends, and
// returns the server's URL with that schema as its search_path, and the schema.
func freshSchema(t testing.TB, prefix string) (dsn, schema string) {
	server := serverDSN(t)
	ctx := context.Background()
	schema = fmt.Sprintf("%s%d_%d", prefix, os.Getpid(), seq.Add(1))
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if a, err := sql.Open("pgx", server); err == nil {
			_, _ = a.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE")
			a.Close()
		}
	})
	return withSearchPath(server, schema), schema
}

// serverDSN returns the test server's URL, GOALKIT_PG_DSN. Without it the
// test is skipped, or fails under GOALKIT_CI=1.
func serverDSN(t testing.TB) string {
	server := os.Getenv("GOALKIT_PG_DSN")
	if server == "" {
		if os.Getenv("GOALKIT_CI") == "1" {
			t.Fatal("GOALKIT_PG_DSN is not set, and CI needs these tests to run (scripts/pg-test.sh runs them against a throwaway server)")
		}
		t.Skip("GOALKIT_PG_DSN is not set (scripts/pg-test.sh runs these tests against a throwaway server)")
	}
	return server
}

// withSearchPath adds a search_path parameter to a postgres:// URL.
func withSearchPath(dsn, schema string) string {
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + schema
}

func TestSource(t *testing.T) { adaptertest.TestSource(t, sqlcoretest.Harness(t, open)) }

func TestPusher(t *testing.T) { adaptertest.TestPusher(t, sqlcoretest.Harness(t, open)) }

func TestApply(t *testing.T) { sqlcoretest.TestApply(t, open) }

func TestPushNumbers(t *testing.T) { sqlcoretest.TestPushNumbers(t, open) }

// TestPushAmountPlaces: a push over amounts written with their places,
// 1000 of them among them (sqlcoretest.TestPushAmountPlaces).
func TestPushAmountPlaces(t *testing.T) { sqlcoretest.TestPushAmountPlaces(t, open) }

func TestAttrNUL(t *testing.T) { sqlcoretest.TestAttrNUL(t, open) }

func TestEvaluate(t *testing.T) { sqlcoretest.TestEvaluate(t, open) }

func TestNoPasswordInErrors(t *testing.T) {
	_, err := Open(context.Background(), "postgres://u:s3cret-pw@127.0.0.1:1/db?connect_timeout=1")
	if err == nil || strings.Contains(err.Error(), "s3cret-pw") {
		t.Fatalf("error %v", err)
	}
	_, err = Open(context.Background(), "postgres://u:s3cret-pw@127.0.0.1:bad/db")
	if err == nil || strings.Contains(err.Error(), "s3cret-pw") {
		t.Fatalf("error %v", err)
	}
}

// BenchmarkWorkload needs a database loaded with the standard workload:
//
//	goalkit bench -n 1000000 -write w1m.csv
//	goalkit import -events w1m.csv -source "$DSN"
//	GOALKIT_BENCH_PG="$DSN" go test -run '^$' -bench Workload -benchtime 3x
func BenchmarkWorkload(b *testing.B) {
	dsn := os.Getenv("GOALKIT_BENCH_PG")
	if dsn == "" {
		b.Skip("GOALKIT_BENCH_PG is not set")
	}
	s, err := Open(context.Background(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	sqlcoretest.BenchWorkload(b, s.Store)
	// The workload's query written by hand over the same table, for scale.
	b.Run("hand-written-sql", func(b *testing.B) {
		const q = `SELECT actor, date_trunc('month', to_timestamp(ts_ns / 1e9) AT TIME ZONE 'Europe/Moscow') AS month,
  count(*) FILTER (WHERE kind = 'deal_created' AND attrs->>'source' IN ('web', 'partner')),
  count(*) FILTER (WHERE kind = 'deal_won' AND attrs->>'source' IN ('web', 'partner')),
  sum(amount) FILTER (WHERE kind = 'deal_won' AND attrs->>'source' IN ('web', 'partner')),
  avg(amount) FILTER (WHERE kind = 'deal_won' AND attrs->>'source' IN ('web', 'partner')),
  count(*) FILTER (WHERE kind IN ('call', 'meeting'))
FROM goalkit_events GROUP BY 1, 2`
		for b.Loop() {
			rows, err := s.DB().QueryContext(context.Background(), q)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for rows.Next() {
				n++
			}
			if err := rows.Close(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// A reader never creates goalkit's tables: OpenExisting on a database
// without them is an error and leaves it empty; after Open it opens.
func TestOpenExistingCreatesNothing(t *testing.T) {
	in, schema := freshSchema(t, "e")
	ctx := context.Background()
	admin, err := sql.Open("pgx", os.Getenv("GOALKIT_PG_DSN"))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	_, err = OpenExisting(ctx, in)
	want := "postgres: the database holds no goalkit events (no goalkit_events table): import some first (goalkit import)"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
	var tables int
	if err := admin.QueryRowContext(ctx, "SELECT count(*) FROM pg_tables WHERE schemaname = $1", schema).Scan(&tables); err != nil || tables != 0 {
		t.Fatalf("%d tables created (%v)", tables, err)
	}
	s, err := Open(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = OpenExisting(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

func TestBoundYears(t *testing.T) { sqlcoretest.TestBoundYears(t, open) }

// TestOwnRows: rows of goalkit_events written by hand with ids a scan
// refuses are refused by a push too (sqlcoretest.TestOwnRows).
func TestOwnRows(t *testing.T) { sqlcoretest.TestOwnRows(t, open) }

func TestExactTrack(t *testing.T) { sqlcoretest.TestExactTrack(t, open) }

func TestExactScan(t *testing.T) { sqlcoretest.TestExactScan(t, open) }

func TestDecimalPlaces(t *testing.T) { sqlcoretest.TestDecimalPlaces(t, open) }
