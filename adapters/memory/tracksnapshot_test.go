package memory_test

import (
	"testing"

	"github.com/goalkit/goalkit/adapters/adaptertest"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

func TestTrackSnapshotter(t *testing.T) {
	adaptertest.TestTrackSnapshotter(t, func(testing.TB) kpi.TrackSnapshotter { return memory.NewTrackStore() }, nil)
}
