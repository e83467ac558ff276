package kpi_test

import (
	"flag"
	"os"
	"runtime"
	"testing"

	"github.com/goalkit/goalkit/internal/colstore"
)

// TestMain has every tracker of the tests copy its growing columns aside
// (colstore.Table.CopyAside) from its first rows on, on two cores at
// least: the properties of trackers (live == batch, rollback, snapshots,
// readers during applies) then hold with copies under way, and -race
// checks that nothing reads what a copy writes. Benchmarks keep the
// defaults.
func TestMain(m *testing.M) {
	flag.Parse()
	if f := flag.Lookup("test.bench"); f == nil || f.Value.String() == "" {
		colstore.AsideRows = 1
		runtime.GOMAXPROCS(max(2, runtime.GOMAXPROCS(0)))
	}
	os.Exit(m.Run())
}
