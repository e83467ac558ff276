// Package adaptertest holds the conformance suites that every implementation
// of goalkit's storage interfaces runs, as testing/fstest does for io/fs:
//
//	func TestTrackStore(t *testing.T) {
//		adaptertest.TestTrackStore(t, func() kpi.TrackStore { return mystore.New(...) })
//	}
package adaptertest
