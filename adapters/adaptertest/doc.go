// Package adaptertest holds the conformance suites that every implementation
// of goalkit's storage interfaces runs, as testing/fstest does for io/fs.
// goalkit's own adapters run them, and so can a host's own implementation,
// from its tests:
//
//   - TestSource checks a kpi.Source: corrections, retractions, duplicates,
//     queries, exact round trips of every field, errors and cancellation.
//   - TestPusher checks a kpi.Pusher: Push equals the aggregation of the
//     live events, for random events, filters and buckets, and over rows
//     a scan refuses it declines or is refused as the scan is.
//   - TestTrackStore checks a kpi.TrackStore.
//   - TestTrackSnapshotter checks a kpi.TrackSnapshotter: snapshots read
//     back byte for byte whatever their size, the latest wins, a failed
//     one changes nothing, LoadAfter returns exactly the later batches, and
//     a reopened store still has them.
//
// A source only reads, so the suites fill it through the implementation's
// own write path, given in a Harness with the function that opens an empty
// source:
//
//	func TestEvents(t *testing.T) {
//		h := adaptertest.Harness[*events.Store]{
//			Open: func(t testing.TB) *events.Store {
//				s := events.OpenTemp(t.TempDir())
//				t.Cleanup(func() { s.Close() })
//				return s
//			},
//			Apply: func(ctx context.Context, s *events.Store, evs ...kpi.Event) error {
//				return s.Write(ctx, evs)
//			},
//		}
//		t.Run("source", func(t *testing.T) { adaptertest.TestSource(t, h) })
//		t.Run("pusher", func(t *testing.T) { adaptertest.TestPusher(t, h) })
//	}
//
//	func TestTrackStore(t *testing.T) {
//		adaptertest.TestTrackStore(t, func() kpi.TrackStore { return events.NewTrackStore() })
//	}
//
//	func TestTrackSnapshotter(t *testing.T) {
//		open := func(testing.TB) kpi.TrackSnapshotter { return events.NewTrackStore() }
//		adaptertest.TestTrackSnapshotter(t, open, nil) // nil: nothing persists to reopen
//	}
//
// The random cases are rapid properties: a failure prints the smallest
// case found and the flag that replays it (-rapid.seed or -rapid.failfile),
// and -rapid.checks sets how many cases run (100 by default).
package adaptertest
