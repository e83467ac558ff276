package adaptertest_test

import (
	"context"
	"slices"
	"testing"

	"github.com/goalkit/goalkit/adapters/adaptertest"
	"github.com/goalkit/goalkit/internal/testenv"
	"github.com/goalkit/goalkit/kpi"
)

func harness(flaw string) adaptertest.Harness[*logSource] {
	return adaptertest.Harness[*logSource]{
		Open: func(testing.TB) *logSource { return &logSource{flaw: flaw} },
		Apply: func(ctx context.Context, s *logSource, events ...kpi.Event) error {
			return s.Apply(ctx, events...)
		},
		Unchecked: func(ctx context.Context, s *logSource, events ...kpi.Event) error {
			return s.Unchecked(ctx, events...)
		},
		UncheckedLimits: func(ctx context.Context, s *logSource, events ...kpi.Event) error {
			return s.Unchecked(ctx, events...)
		},
		MinPushed: 1,
	}
}

// TestLogSource runs the suites on a source without flaws: they pass.
func TestLogSource(t *testing.T) {
	t.Run("source", func(t *testing.T) { adaptertest.TestSource(t, harness("")) })
	t.Run("pusher", func(t *testing.T) { adaptertest.TestPusher(t, harness("")) })
}

// TestOpenSkips checks that an Open that skips (no database configured)
// skips the suites, inside the properties too, rather than failing them.
func TestOpenSkips(t *testing.T) {
	h := harness("")
	h.Open = func(t testing.TB) *logSource {
		t.Skip("no database")
		return nil
	}
	t.Run("source", func(t *testing.T) { adaptertest.TestSource(t, h) })
	t.Run("pusher", func(t *testing.T) { adaptertest.TestPusher(t, h) })
}

// childEnv, when set, makes TestFlawedSources run the suites on the flawed
// sources (and fail); unset, it runs itself so and checks that they failed.
const childEnv = "ADAPTERTEST_FLAWED_CHILD"

// TestFlawedSources checks that the suites catch sources (and
// snapshotters) that each break one rule of the contract. The suites must fail on them, so they run in a
// child process whose verbose output is read here.
func TestFlawedSources(t *testing.T) {
	// The child needs only to fail, not to shrink its cases, and must not
	// write rapid's fail files.
	if !testenv.Flawed(t, childEnv, slices.Concat(sourceFlaws, pushFlaws, snapshotFlaws), "-rapid.nofailfile", "-rapid.shrinktime=1ms") {
		return
	}
	for _, flaw := range sourceFlaws {
		t.Run(flaw, func(t *testing.T) { adaptertest.TestSource(t, harness(flaw)) })
	}
	for _, flaw := range pushFlaws {
		t.Run(flaw, func(t *testing.T) { adaptertest.TestPusher(t, harness(flaw)) })
	}
	for _, flaw := range snapshotFlaws {
		t.Run(flaw, func(t *testing.T) { snapshotSuite(t, flaw) })
	}
}
