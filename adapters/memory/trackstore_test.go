package memory_test

import (
	"testing"

	"github.com/goalkit/goalkit/adapters/adaptertest"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

func TestTrackStore(t *testing.T) {
	adaptertest.TestTrackStore(t, func() kpi.TrackStore { return memory.NewTrackStore() })
}
