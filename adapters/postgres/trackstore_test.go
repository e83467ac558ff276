package postgres

import (
	"testing"

	"github.com/goalkit/goalkit/adapters/adaptertest"
	"github.com/goalkit/goalkit/kpi"
)

func TestTrackStore(t *testing.T) {
	serverDSN(t) // before the suite: its subtests open stores with this t
	adaptertest.TestTrackStore(t, func() kpi.TrackStore {
		ts, err := open(t).TrackStore()
		if err != nil {
			t.Fatal(err)
		}
		return ts
	})
}
