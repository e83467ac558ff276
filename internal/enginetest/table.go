package enginetest

import (
	"context"
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// Table reads src into a column table dated in loc, as the root package
// reads a source once for every report; it panics on an error. The table
// is the test's own, whatever src is: a kpi.TableSource (a memory store)
// is scanned like any other source rather than read in place, since its
// own table is valid only while kpi.Snapshot's callback runs.
func Table(loc *time.Location, src kpi.Source) *kpi.Table {
	var out *kpi.Table
	err := kpi.Snapshot(context.Background(), scanned{src}, loc, kpi.Query{}, func(t *kpi.Table) error {
		out = t
		return nil
	})
	if err != nil {
		panic(err)
	}
	return out
}

// scanned is a source with no capability but Scan.
type scanned struct{ kpi.Source }
