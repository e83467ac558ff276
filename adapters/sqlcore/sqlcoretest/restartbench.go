package sqlcoretest

import (
	"testing"

	"github.com/goalkit/goalkit/adapters/adaptertest"
)

// BenchRestart measures the restart of a tracker of the standard
// workload's plan from the database open returns, from its snapshot
// against a replay of every batch (adaptertest.BenchRestart).
func BenchRestart(b *testing.B, open OpenAgain) {
	s, _ := open(b)
	adaptertest.BenchRestart(b, workloadPlan(b), trackStore(b, s))
}
