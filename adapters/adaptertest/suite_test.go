package adaptertest_test

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/adapters/adaptertest"
	"github.com/goalkit/goalkit/kpi"
)

func harness(flaw string) adaptertest.Harness[*logSource] {
	return adaptertest.Harness[*logSource]{
		Open: func(testing.TB) *logSource { return &logSource{flaw: flaw} },
		Apply: func(ctx context.Context, s *logSource, events ...kpi.Event) error {
			return s.Apply(ctx, events...)
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
	if os.Getenv(childEnv) != "" {
		for _, flaw := range sourceFlaws {
			t.Run(flaw, func(t *testing.T) { adaptertest.TestSource(t, harness(flaw)) })
		}
		for _, flaw := range pushFlaws {
			t.Run(flaw, func(t *testing.T) { adaptertest.TestPusher(t, harness(flaw)) })
		}
		for _, flaw := range snapshotFlaws {
			t.Run(flaw, func(t *testing.T) { snapshotSuite(t, flaw) })
		}
		return
	}
	if testing.Short() {
		t.Skip("runs the suites in a child process")
	}
	// The child needs only to fail, not to shrink its cases, and must not
	// write rapid's fail files.
	cmd := exec.Command(os.Args[0], "-test.run=^TestFlawedSources$", "-test.v", "-test.count=1",
		"-rapid.nofailfile", "-rapid.shrinktime=1ms")
	cmd.Env = append(os.Environ(), childEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the suites passed every flawed source:\n%s", out)
	}
	// A flaw is caught when its test fails; the subtests that failed with
	// it say which rule caught it.
	failed := map[string][]string{}
	for _, m := range regexp.MustCompile(`--- FAIL: TestFlawedSources/([^/ ]+)(/\S+)? `).FindAllStringSubmatch(string(out), -1) {
		caught := failed[m[1]]
		if sub, _, _ := strings.Cut(strings.TrimPrefix(m[2], "/"), "/"); sub != "" && !slices.Contains(caught, sub) {
			caught = append(caught, sub)
		}
		failed[m[1]] = caught
	}
	for _, flaw := range slices.Concat(sourceFlaws, pushFlaws, snapshotFlaws) {
		if caught, ok := failed[flaw]; !ok {
			t.Errorf("the suite passed an implementation that %s", strings.ReplaceAll(flaw, "_", " "))
		} else {
			t.Logf("%s: caught by %s", flaw, strings.Join(caught, ", "))
		}
	}
	if t.Failed() {
		t.Logf("the child's output:\n%s", out)
	}
}
