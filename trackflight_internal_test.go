package goalkit

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goal"
)

// flightBench drives reportFlights with a computation that counts its
// calls, numbers the reports it returns (AsOf is the call's number, in
// seconds) and waits for a release per call.
type flightBench struct {
	fs      reportFlights
	calls   atomic.Int64
	release chan struct{}
	// panicAt panics the computation of that number.
	panicAt int64
}

func newFlightBench() *flightBench { return &flightBench{release: make(chan struct{}, 16)} }

var benchKey = flightKey{sec: 1}

func (b *flightBench) compute(ctx context.Context) (*Report, error) {
	n := b.calls.Add(1)
	select {
	case <-b.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if n == b.panicAt {
		panic("computation failed")
	}
	return &Report{AsOf: time.Unix(n, 0), Goals: &goal.Result{Rows: []*goal.Row{{Goal: "g"}}}}, nil
}

type flightOutcome struct {
	rep *Report
	err error
}

// ask calls do on a goroutine of its own and returns where the outcome
// comes; a panic comes as an error.
func (b *flightBench) ask(ctx context.Context) chan flightOutcome {
	out := make(chan flightOutcome, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				out <- flightOutcome{err: errors.New("panicked")}
			}
		}()
		rep, err := b.fs.do(ctx, benchKey, b.compute)
		out <- flightOutcome{rep, err}
	}()
	return out
}

// until waits for cond, which reads the flights under their lock.
func (b *flightBench) until(t *testing.T, what string, cond func(s *flightSlot) bool) {
	t.Helper()
	for range 5000 {
		b.fs.mu.Lock()
		s := b.fs.by[benchKey]
		ok := cond(s)
		b.fs.mu.Unlock()
		if ok {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("timed out waiting until %s", what)
}

func pendingWaiters(n int) func(s *flightSlot) bool {
	return func(s *flightSlot) bool { return s != nil && s.pending != nil && s.pending.waiting == n }
}

func (b *flightBench) callsAre(t *testing.T, n int64) {
	t.Helper()
	b.until(t, "the computations started", func(*flightSlot) bool { return b.calls.Load() == n })
}

func get(t *testing.T, c chan flightOutcome) flightOutcome {
	t.Helper()
	select {
	case o := <-c:
		return o
	case <-time.After(5 * time.Second):
		t.Fatal("no outcome")
		return flightOutcome{}
	}
}

// Calls made while a report is computed wait for the next computation,
// which starts once the first ends and serves all of them; a call made
// while that one runs waits for a third. Each caller gets a Report of its
// own with the computed contents.
func TestReportFlightsShareTheNextComputation(t *testing.T) {
	ctx := context.Background()
	b := newFlightBench()
	first := b.ask(ctx)
	b.callsAre(t, 1)
	var next []chan flightOutcome
	for i := range 3 {
		next = append(next, b.ask(ctx))
		b.until(t, "the callers joined the next computation", pendingWaiters(i+1))
	}
	b.release <- struct{}{}
	if o := get(t, first); o.err != nil || o.rep.AsOf.Unix() != 1 {
		t.Fatalf("the first caller got %+v, want the first computation's report", o)
	}
	b.callsAre(t, 2) // the next computation, started by one of the three
	late := b.ask(ctx)
	b.until(t, "the late caller waits", pendingWaiters(1))
	b.release <- struct{}{}
	seen := map[*Report]bool{}
	rows := map[*goal.Result]bool{}
	for _, c := range next {
		o := get(t, c)
		if o.err != nil || o.rep.AsOf.Unix() != 2 {
			t.Fatalf("a caller of the second computation got %+v, %v", o.rep, o.err)
		}
		if seen[o.rep] || rows[o.rep.Goals] {
			t.Fatal("two callers got the same Report or goals")
		}
		seen[o.rep], rows[o.rep.Goals] = true, true
	}
	b.callsAre(t, 3)
	b.release <- struct{}{}
	if o := get(t, late); o.err != nil || o.rep.AsOf.Unix() != 3 {
		t.Fatalf("the late caller got %+v, %v, want the third computation's report", o.rep, o.err)
	}
	if got := b.calls.Load(); got != 3 {
		t.Fatalf("%d computations for 5 calls, want 3", got)
	}
	if len(b.fs.by) != 0 {
		t.Fatalf("%d flights left", len(b.fs.by))
	}
}

// A waiting caller whose context ends returns at once, and a next
// computation nobody waits for any more does not run; when the computing
// caller's context ends its computation, the callers waiting for it
// compute again with their own.
func TestReportFlightsCancel(t *testing.T) {
	b := newFlightBench()
	first := b.ask(context.Background())
	b.callsAre(t, 1)
	ctx, cancel := context.WithCancel(context.Background())
	gone := b.ask(ctx)
	b.until(t, "the caller waits", pendingWaiters(1))
	cancel()
	if o := get(t, gone); !errors.Is(o.err, context.Canceled) {
		t.Fatalf("a cancelled waiter got %v", o.err)
	}
	b.until(t, "the next computation is dropped", func(s *flightSlot) bool { return s.pending == nil })
	b.release <- struct{}{}
	get(t, first)
	if b.calls.Load() != 1 || len(b.fs.by) != 0 {
		t.Fatalf("%d computations, %d flights left; want 1, 0", b.calls.Load(), len(b.fs.by))
	}

	// y waits for the next computation, which x starts (as the first
	// waiter to wake does) with a context that then ends: y computes
	// again, with its own.
	b = newFlightBench()
	before := &flight{done: make(chan struct{})} // a computation under way
	b.fs.by = map[flightKey]*flightSlot{benchKey: {running: before}}
	y := b.ask(context.Background())
	b.until(t, "y waits", pendingWaiters(1))
	b.fs.mu.Lock()
	s := b.fs.by[benchKey]
	f := s.pending
	s.running, s.pending = f, nil // x starts f
	b.fs.mu.Unlock()
	ctx, cancel = context.WithCancel(context.Background())
	x := make(chan error, 1)
	go func() {
		_, err := b.fs.run(ctx, benchKey, f, b.compute)
		x <- err
	}()
	b.callsAre(t, 1)
	close(before.done) // y wakes, and waits for f
	cancel()
	if err := <-x; !errors.Is(err, context.Canceled) {
		t.Fatalf("the cancelled computing caller got %v", err)
	}
	b.callsAre(t, 2)
	b.release <- struct{}{}
	if o := get(t, y); o.err != nil || o.rep.AsOf.Unix() != 2 {
		t.Fatalf("the other caller got %+v, %v, want the second computation's report", o.rep, o.err)
	}
}

// A computation that panics panics in its caller's goroutine; the callers
// waiting for it get an error, and later calls compute again.
func TestReportFlightsPanic(t *testing.T) {
	ctx := context.Background()
	b := newFlightBench()
	b.panicAt = 2
	first := b.ask(ctx)
	b.callsAre(t, 1)
	x, y := b.ask(ctx), b.ask(ctx)
	b.until(t, "both wait", pendingWaiters(2))
	b.release <- struct{}{}
	get(t, first)
	b.callsAre(t, 2)
	b.release <- struct{}{}
	ox, oy := get(t, x), get(t, y)
	errs := []error{ox.err, oy.err}
	if !(errs[0] != nil && errs[1] != nil && (errors.Is(errs[0], errFlightPanicked) != errors.Is(errs[1], errFlightPanicked))) {
		t.Fatalf("after a panic: %v and %v, want one panic and one errFlightPanicked", errs[0], errs[1])
	}
	again := b.ask(ctx)
	b.callsAre(t, 3)
	b.release <- struct{}{}
	if o := get(t, again); o.err != nil {
		t.Fatal(o.err)
	}
}

// Many callers at once, on several keys, each told apart by its number:
// every caller gets a report of a computation that started after it
// asked, and no flight is left behind.
func TestReportFlightsStartAfterTheAsking(t *testing.T) {
	var fs reportFlights
	var clock atomic.Int64 // ticks at each call and each start
	compute := func(context.Context) (*Report, error) {
		started := clock.Add(1)
		time.Sleep(50 * time.Microsecond)
		return &Report{AsOf: time.Unix(0, started)}, nil
	}
	var wg sync.WaitGroup
	var calls, computed atomic.Int64
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				k := flightKey{sec: int64((g + i) % 3)}
				asked := clock.Add(1)
				rep, err := fs.do(context.Background(), k, func(ctx context.Context) (*Report, error) {
					computed.Add(1)
					return compute(ctx)
				})
				calls.Add(1)
				if err != nil {
					t.Error(err)
					return
				}
				if started := rep.AsOf.UnixNano(); started <= asked {
					t.Errorf("a report computed from tick %d served a call made at tick %d", started, asked)
					return
				}
			}
		})
	}
	wg.Wait()
	if len(fs.by) != 0 {
		t.Fatalf("%d flights left", len(fs.by))
	}
	t.Logf("%d calls, %d computations", calls.Load(), computed.Load())
}

// own copies the report, every part and every list of a part: a Report
// with every pointer set and every list of one element shares none of
// them with its copy. (Reflection: a part or list added later is
// checked too.)
func TestReportOwnSharesNoList(t *testing.T) {
	var r Report
	fill(reflect.ValueOf(&r).Elem(), 0)
	c := r.own()
	if !reflect.DeepEqual(&r, c) {
		t.Fatal("the copy differs from the report")
	}
	checkApart(t, "Report", reflect.ValueOf(&r).Elem(), reflect.ValueOf(c).Elem(), 0)
}

// fill sets the exported pointers of v to new values and its exported
// lists to one element, down to the parts of a Report (depth 1).
func fill(v reflect.Value, depth int) {
	for i := range v.NumField() {
		f, sf := v.Field(i), v.Type().Field(i)
		if !sf.IsExported() {
			continue
		}
		switch f.Kind() {
		case reflect.Pointer:
			if depth == 0 && f.Type().Elem().Kind() == reflect.Struct {
				f.Set(reflect.New(f.Type().Elem()))
				fill(f.Elem(), depth+1)
			}
		case reflect.Slice:
			f.Set(reflect.MakeSlice(f.Type(), 1, 1))
		}
	}
}

// checkApart fails when a and b share a part or a list's elements.
func checkApart(t *testing.T, path string, a, b reflect.Value, depth int) {
	for i := range a.NumField() {
		fa, fb, sf := a.Field(i), b.Field(i), a.Type().Field(i)
		if !sf.IsExported() {
			continue
		}
		p := path + "." + sf.Name
		switch fa.Kind() {
		case reflect.Pointer:
			if depth == 0 && fa.Type().Elem().Kind() == reflect.Struct {
				if fa.Pointer() == fb.Pointer() {
					t.Errorf("%s is shared", p)
					continue
				}
				checkApart(t, p, fa.Elem(), fb.Elem(), depth+1)
			}
		case reflect.Slice:
			if fa.Len() > 0 && fa.Pointer() == fb.Pointer() {
				t.Errorf("the list %s is shared", p)
			}
		}
	}
}
