package postgres

import (
	"os"
	"testing"

	"github.com/goalkit/goalkit/adapters/adaptertest"
	"github.com/goalkit/goalkit/kpi"
)

func TestTrackStore(t *testing.T) {
	if os.Getenv("GOALKIT_PG_DSN") == "" {
		t.Skip("GOALKIT_PG_DSN is not set (scripts/pg-test.sh runs these tests against a throwaway server)")
	}
	adaptertest.TestTrackStore(t, func() kpi.TrackStore {
		ts, err := open(t).TrackStore()
		if err != nil {
			t.Fatal(err)
		}
		return ts
	})
}
