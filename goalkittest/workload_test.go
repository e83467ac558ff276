package goalkittest_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
)

// hashEvents hashes every event version gen passes: each field, the time
// with its offset, and the attributes by name with their Go types.
func hashEvents(gen func(func(*kpi.Event) error) error) (string, int, error) {
	h := sha256.New()
	n := 0
	err := gen(func(e *kpi.Event) error {
		n++
		amount := "-"
		if e.Amount.Valid {
			amount = e.Amount.Decimal.String()
		}
		fmt.Fprintf(h, "%s|%s|%s|%s|%s|%s|%t", e.ID, e.Kind, e.Time.Format("2006-01-02T15:04:05.999999999Z07:00"), e.Actor, amount, e.Currency, e.Deleted)
		keys := make([]string, 0, len(e.Attrs))
		for k := range e.Attrs {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			fmt.Fprintf(h, "|%s=%T:%v", k, e.Attrs[k], e.Attrs[k])
		}
		h.Write([]byte{'\n'})
		return nil
	})
	return hex.EncodeToString(h.Sum(nil)), n, err
}

// TestWorkloadIsStable pins the events of the standard workload: the
// figures in BENCHMARKS.md and the output of `goalkit bench` were measured
// on exactly these. The hashes were computed with the generator before it
// moved into this package; a change to the generator that changes them
// changes every published figure.
func TestWorkloadIsStable(t *testing.T) {
	for _, tc := range []struct {
		w        goalkittest.Workload
		versions int
		hash     string
	}{
		{goalkittest.Workload{N: 100_000}, 100_000, "7124ee66dadbee4cc81ac89b5075e1a383217cf3fe4e17a71275648146437fa6"},
		{goalkittest.Workload{N: 100_000, CorrectedPerMille: 50, RetractedPerMille: 20}, 106_941, "236b02ea0f34b196ccf6fb0bcdd9f02af2ee3673d0c2a6b3f91eb27688328245"},
		{goalkittest.Workload{N: 1000, Seed: 7, CorrectedPerMille: 300, RetractedPerMille: 100}, 1437, "8a79da2c27275a331c5efc76f3e4a5ae36ce077e5c667d77eef80cd94e7de409"},
		// The size `goalkit bench` runs by default.
		{goalkittest.Workload{N: 1_000_000}, 1_000_000, "cd4d77ac70cd701b97400424b51de2d8d15af0867052fc95db4d0a06c04050d6"},
	} {
		t.Run(fmt.Sprintf("%+v", tc.w), func(t *testing.T) {
			if tc.w.N > 100_000 && (testing.Short() || raceEnabled) {
				t.Skip("a million events: not in -short or under the race detector")
			}
			got, n, err := hashEvents(tc.w.Generate)
			if err != nil || n != tc.versions || got != tc.hash {
				t.Errorf("generated %d versions hashing to %s (%v), want %d hashing to %s", n, got, err, tc.versions, tc.hash)
			}
			b, err := tc.w.Draw()
			if err != nil {
				t.Fatal(err)
			}
			got, n, err = hashEvents(b.Replay)
			if err != nil || n != tc.versions || got != tc.hash || b.Len() != n {
				t.Errorf("replayed %d versions (Len %d) hashing to %s (%v), want %d hashing to %s", n, b.Len(), got, err, tc.versions, tc.hash)
			}
			// Its parts, replayed in turn, are the same versions.
			for _, parts := range []int{1, 3, 7} {
				got, n, err = hashEvents(func(fn func(*kpi.Event) error) error {
					for p := range parts {
						if err := b.ReplayPart(p, parts, fn); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil || n != tc.versions || got != tc.hash {
					t.Errorf("%d parts replayed %d versions hashing to %s (%v), want %d hashing to %s", parts, n, got, err, tc.versions, tc.hash)
				}
			}
		})
	}
}

// TestWorkloadReplayIsGenerate checks that a drawn buffer replays exactly
// the events Generate yields, corrections and retractions included.
func TestWorkloadReplayIsGenerate(t *testing.T) {
	w := goalkittest.Workload{N: 20_000, CorrectedPerMille: 50, RetractedPerMille: 20}
	var want []kpi.Event
	if err := w.Generate(func(e *kpi.Event) error {
		c := e.Clone()
		c.ID = string([]byte(e.ID))
		want = append(want, c)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	b, err := w.Draw()
	if err != nil {
		t.Fatal(err)
	}
	i := 0
	err = b.Replay(func(e *kpi.Event) error {
		w := want[i]
		i++
		same := e.ID == w.ID && e.Deleted == w.Deleted
		if !w.Deleted {
			same = same && e.Kind == w.Kind && e.Time.Equal(w.Time) && e.Actor == w.Actor && e.Amount.Valid == w.Amount.Valid &&
				(!w.Amount.Valid || e.Amount.Decimal.Equal(w.Amount.Decimal)) && e.Attrs["source"] == w.Attrs["source"] && e.Attrs["pipeline"] == w.Attrs["pipeline"]
		}
		if !same {
			t.Fatalf("event %d: replayed %+v, generated %+v", i-1, *e, w)
		}
		return nil
	})
	if err != nil || i != len(want) {
		t.Fatalf("replayed %d of %d events: %v", i, len(want), err)
	}
}

// TestWorkloadStopsOnError checks that Generate and Replay return fn's
// error and call it no more.
func TestWorkloadStopsOnError(t *testing.T) {
	w := goalkittest.Workload{N: 100, CorrectedPerMille: 500}
	b, err := w.Draw()
	if err != nil {
		t.Fatal(err)
	}
	stop := fmt.Errorf("stop")
	for name, gen := range map[string]func(func(*kpi.Event) error) error{"Generate": w.Generate, "Replay": b.Replay} {
		calls := 0
		err := gen(func(*kpi.Event) error {
			calls++
			if calls == 3 {
				return stop
			}
			return nil
		})
		if err != stop || calls != 3 {
			t.Errorf("%s: fn failed on its third call: %v after %d calls", name, err, calls)
		}
	}
}

// TestWorkloadPlanCompiles checks that the plan compiles and that callers
// cannot change it.
func TestWorkloadPlanCompiles(t *testing.T) {
	p := goalkittest.WorkloadPlan()
	plan := goalkittest.CompilePlan(t, string(p))
	if got := plan.Indicators().Kinds(); !slices.Equal(got, []string{"call", "deal_created", "deal_won", "meeting"}) {
		t.Errorf("the plan reads the kinds %q", got)
	}
	clear(p)
	if _, err := goalkit.ParseDefinition("workload.yaml", goalkittest.WorkloadPlan()); err != nil {
		t.Errorf("a caller cleared the plan: %v", err)
	}
}

// Events keeps every version Generate hands out, each with its own ID
// (Generate reuses the ID's bytes): the originals are "1" to N in order.
func TestWorkloadEvents(t *testing.T) {
	w := goalkittest.Workload{N: 1000, CorrectedPerMille: 50, RetractedPerMille: 20}
	events, err := w.Events()
	if err != nil {
		t.Fatal(err)
	}
	versions, corrections := 0, 0
	if err := w.Generate(func(e *kpi.Event) error {
		if versions >= w.N && !e.Deleted {
			corrections++
		}
		versions++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(events) != versions || corrections == 0 {
		t.Fatalf("%d events, want %d versions with corrections (%d)", len(events), versions, corrections)
	}
	for i := range w.N {
		if want := strconv.Itoa(i + 1); events[i].ID != want {
			t.Fatalf("event %d: ID %q, want %q", i, events[i].ID, want)
		}
	}
}
