package memory_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// mixedIDs are the ids genMixed draws from: numbers on one id page and on
// others, and ids that are not numbers (one past the paged numbers, one
// with a leading zero).
var mixedIDs = []string{"1", "2", "17", "4095", "4096", "9000", "1099511627776", "007", "a", "b-1"}

// genMixed draws event versions over mixedIDs with every field a table
// codes: several kinds, actors and currencies, amounts at scales from 0
// to 12 (past the table's int64 units too), attributes of several names
// and types, times over a few days and known instants.
func genMixed(t *rapid.T, label string) []kpi.Event {
	return drawVersions(t, label, mixedIDs, 60, 6, func(id string) kpi.Event {
		e := kpi.Event{
			ID:    id,
			Kind:  rapid.SampledFrom([]string{"call", "deal.won", "meeting"}).Draw(t, label+" kind"),
			Actor: rapid.SampledFrom([]string{"ann", "bob", "cy", "dee"}).Draw(t, label+" actor"),
			Time:  t0.Add(time.Duration(rapid.IntRange(0, 3*24*60).Draw(t, label+" minute")) * time.Minute),
		}
		switch rapid.IntRange(0, 3).Draw(t, label+" amount") {
		case 1:
			e.Amount = decimal.NewNullDecimal(decimal.New(rapid.Int64Range(-99999, 99999).Draw(t, label+" units"), -int32(rapid.IntRange(0, 4).Draw(t, label+" places"))))
		case 2:
			// More places than the table keeps in int64 units, or too
			// large for them.
			e.Amount = decimal.NewNullDecimal(decimal.New(rapid.Int64Range(1, 1<<62).Draw(t, label+" big units"), -int32(rapid.SampledFrom([]int{0, 12}).Draw(t, label+" big places"))))
		}
		if e.Amount.Valid {
			e.Currency = rapid.SampledFrom([]string{"", "RUB", "USD"}).Draw(t, label+" currency")
		}
		for _, name := range []string{"source", "stage", "won", "n"} {
			if rapid.IntRange(0, 2).Draw(t, label+" has "+name) != 0 {
				continue
			}
			if e.Attrs == nil {
				e.Attrs = map[string]any{}
			}
			switch name {
			case "source", "stage":
				e.Attrs[name] = rapid.SampledFrom([]string{"web", "partner", "cold"}).Draw(t, label+" "+name)
			case "won":
				e.Attrs[name] = rapid.Bool().Draw(t, label+" won")
			default:
				e.Attrs[name] = rapid.Int64Range(0, 3).Draw(t, label+" n")
			}
		}
		if rapid.IntRange(0, 4).Draw(t, label+" known") == 0 {
			e.Known = e.Time.Add(time.Hour)
		}
		return e
	})
}

// inOrderRun is how a test drives ImportParallel: the parts, the cores,
// the size of the coded blocks and the goroutines' interleaving.
type inOrderRun struct {
	cuts  []int  // the start of each part, then the number of versions
	procs int    // GOMAXPROCS
	rows  int    // versions a coded block
	hold  bool   // part 0 starts once every other part has started
	yield []bool // a goroutine yields before adding each version
	n     int    // ImportParallel's n
}

// drawRun draws a run over versions.
func drawRun(t *rapid.T, versions []kpi.Event) inOrderRun {
	parts := rapid.IntRange(1, 8).Draw(t, "parts")
	cuts := []int{0}
	for range parts - 1 {
		cuts = append(cuts, rapid.IntRange(0, len(versions)).Draw(t, "cut"))
	}
	slices.Sort(cuts)
	r := inOrderRun{
		cuts:  append(cuts, len(versions)),
		procs: rapid.IntRange(1, 4).Draw(t, "procs"),
		rows:  rapid.IntRange(1, 6).Draw(t, "block rows"),
		yield: rapid.SliceOfN(rapid.Bool(), len(versions), len(versions)).Draw(t, "yields"),
		n:     rapid.SampledFrom([]int{0, len(versions)}).Draw(t, "n"),
	}
	// With one core the goroutine that holds part 0 would wait for
	// itself.
	r.hold = r.procs > 1 && rapid.Bool().Draw(t, "hold part 0")
	return r
}

// importParallel runs ImportParallel of versions into s as r says; part
// p calls fail(p, k) before adding its k-th version and after the last
// (k = its length), and returns the error fail returns.
func (r inOrderRun) importParallel(ctx context.Context, s *memory.Store, versions []kpi.Event, fail func(p, k int) error) error {
	defer memory.SetBlockRows(r.rows)()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(r.procs))
	parts := len(r.cuts) - 1
	var started sync.WaitGroup
	started.Add(parts - 1)
	return s.ImportParallel(ctx, parts, r.n, func(p int, add func(*kpi.Event) error) error {
		if p > 0 {
			started.Done()
		} else if r.hold {
			started.Wait()
		}
		part := versions[r.cuts[p]:r.cuts[p+1]]
		for k := range part {
			if err := fail(p, k); err != nil {
				return err
			}
			if r.yield[r.cuts[p]+k] {
				runtime.Gosched()
			}
			if err := addReusing(add, part[k:k+1]); err != nil {
				return err
			}
		}
		return fail(p, len(part))
	})
}

// Into an empty store ImportParallel leaves the table Apply leaves, row
// for row (dead rows, retractions and local dates included) and id for
// id, however the versions are cut into parts, the cores many, the coded
// blocks small and the goroutines interleaved.
func TestImportParallelInOrder(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		t.Fatal(err)
	}
	rapid.Check(t, func(t *rapid.T) {
		versions := genMixed(t, "versions")
		r := drawRun(t, versions)
		want := memory.New(loc)
		if err := want.Apply(versions...); err != nil {
			t.Fatal(err)
		}
		got := memory.New(loc)
		if err := r.importParallel(context.Background(), got, versions, func(int, int) error { return nil }); err != nil {
			t.Fatal(err)
		}
		if g, w := memory.Rows(got, mixedIDs), memory.Rows(want, mixedIDs); !slices.Equal(g, w) {
			t.Fatalf("ImportParallel leaves\n%s\nApply leaves\n%s", strings.Join(g, "\n"), strings.Join(w, "\n"))
		}
	})
}

// A part's fn that fails, or a version the table refuses, fails the import
// with the first failure in the order of the versions (the error of the
// lowest failing part, and in it the first), and leaves the store empty.
func TestImportParallelInOrderFails(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		versions := genMixed(t, "versions")
		if rapid.Bool().Draw(t, "a bad version") && len(versions) > 0 {
			i := rapid.IntRange(0, len(versions)-1).Draw(t, "bad")
			bad := ev(versions[i].ID, "call", "ann", t0)
			bad.Attrs = map[string]any{"weight": 1.5}
			versions[i] = bad
		}
		r := drawRun(t, versions)
		parts := len(r.cuts) - 1
		failing := rapid.IntRange(-1, parts-1).Draw(t, "failing part")
		failAt := 0
		if failing >= 0 {
			failAt = rapid.IntRange(0, r.cuts[failing+1]-r.cuts[failing]).Draw(t, "failing at")
		}
		fail := func(p, k int) error {
			if p == failing && k == failAt {
				return fmt.Errorf("part %d: fail", p)
			}
			return nil
		}
		// The first failure in order: Import's refusal of a version, or
		// the failing part's.
		serial := memory.New(time.UTC).Import(context.Background(), func(add func(*kpi.Event) error) error {
			for p := range parts {
				for k := r.cuts[p]; k <= r.cuts[p+1]; k++ {
					if err := fail(p, k-r.cuts[p]); err != nil {
						return err
					}
					if k < r.cuts[p+1] {
						if err := addReusing(add, versions[k:k+1]); err != nil {
							return err
						}
					}
				}
			}
			return nil
		})
		got := memory.New(time.UTC)
		err := r.importParallel(context.Background(), got, versions, fail)
		if fmt.Sprint(err) != fmt.Sprint(serial) {
			t.Fatalf("error %v, want %v", err, serial)
		}
		if err == nil {
			return
		}
		if g, w := memory.Rows(got, mixedIDs), memory.Rows(memory.New(time.UTC), mixedIDs); !slices.Equal(g, w) {
			t.Fatalf("a failed import left\n%s", strings.Join(g, "\n"))
		}
	})
}

// Versions that name one attribute too many for the store are refused
// with the error Import gives, the first version past the limit named,
// whether the part that holds it is applied in place or coded and
// stitched; a refused import leaves the store empty, and canceling the
// context does too.
func TestImportParallelPastTheNames(t *testing.T) {
	versions := make([]kpi.Event, kpi.MaxAttrNames+40)
	for i := range versions {
		versions[i] = ev(fmt.Sprint(i+1), "call", "ann", t0)
		versions[i].Attrs = map[string]any{fmt.Sprint("a", i): "x"}
	}
	want := memory.New(time.UTC).Import(context.Background(), func(add func(*kpi.Event) error) error {
		return addReusing(add, versions)
	})
	if want == nil || !strings.Contains(want.Error(), fmt.Sprintf(`event "%d"`, kpi.MaxAttrNames+1)) {
		t.Fatalf("Import past the names: %v", want)
	}
	never := func(int, int) error { return nil }
	for _, r := range []inOrderRun{
		{cuts: []int{0, 300, 700, 1000, len(versions)}, procs: 2, rows: 7, hold: true},
		{cuts: []int{0, 300, 700, 1000, len(versions)}, procs: 3, rows: 1 << 14},
		{cuts: []int{0, len(versions)}, procs: 2, rows: 5},
		{cuts: []int{0, 1, 2, len(versions)}, procs: 4, rows: 3, hold: true},
	} {
		r.yield = make([]bool, len(versions))
		s := memory.New(time.UTC)
		err := r.importParallel(context.Background(), s, versions, never)
		if fmt.Sprint(err) != want.Error() {
			t.Errorf("%+v: %v, want %v", r.cuts, err, want)
		}
		if s.Len() != 0 {
			t.Errorf("%+v: a refused import left %d events", r.cuts, s.Len())
		}
		// The first 1,000 versions fit; the context is canceled as the
		// last part starts.
		c := inOrderRun{procs: r.procs, rows: r.rows, hold: r.hold, yield: r.yield}
		for _, cut := range r.cuts {
			c.cuts = append(c.cuts, min(cut, 1000))
		}
		ctx, cancel := context.WithCancel(context.Background())
		err = c.importParallel(ctx, s, versions[:1000], func(p, k int) error {
			if p == len(c.cuts)-2 && k == 0 {
				cancel()
			}
			return nil
		})
		if !errors.Is(err, context.Canceled) || s.Len() != 0 {
			t.Errorf("%+v: canceled: %v, %d events", r.cuts, err, s.Len())
		}
	}
}
