package adaptertest

import (
	"context"
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"pgregory.net/rapid"
)

// Harness is how TestSource and TestPusher reach an implementation. A
// kpi.Source only reads, so the suites fill each source through the
// implementation's own write path, Apply, and then check what Scan (and
// Push) give back against what was applied.
//
// S is the implementation's type: TestPusher requires at compile time that
// it implements kpi.Pusher.
type Harness[S kpi.Source] struct {
	// Open returns an empty source. The suites call it for every case and
	// every run of a property (a few hundred times), use one source at a
	// time and never two at once, so Open may empty one store and return
	// it again. Register what releases the source with t.Cleanup: inside a
	// property it runs when the run ends. Open may call t.Skip, which skips
	// the whole test, and t.Fatal.
	Open func(t testing.TB) S
	// Apply writes event versions to src in order, through the write path
	// the host's data really takes: new events, corrections (a later
	// version with the same ID replaces the earlier one, any field
	// changed), retractions (Deleted) and exact duplicates, all valid by
	// kpi.Event.Validate. The suites call it one or more times per source,
	// sometimes with an empty batch; an error fails the case.
	Apply func(ctx context.Context, src S, events ...kpi.Event) error
	// Unchecked, when not nil, writes new events to src as they are, past
	// the checks of Apply, as a host's own table read through a mapping
	// may hold events kpi.Event.Validate refuses for their strings: an id,
	// an actor, a kind or a currency with a control character, the actor
	// "*", an attribute name that is empty or has a control character (the
	// events are otherwise valid). TestSource then checks that a scan of
	// them is refused: of ids and actors, naming the least such id, else
	// the least such actor, whatever order they were written in, as a push
	// that does not answer names it; of a kind, a currency or an attribute
	// name, naming the event. Nil: the source cannot hold such events, and
	// TestSource checks that Apply refuses them.
	Unchecked func(ctx context.Context, src S, events ...kpi.Event) error
	// UncheckedLimits, when not nil, writes new events to src as they
	// are, past the checks of Apply, where they pass the limits of
	// kpi.Event.Validate that only a store with wide enough columns can
	// hold: a time outside the years 1678–2261, an amount whose exponent
	// is past ±1000, more than 64 attributes (the events are otherwise
	// valid). TestSource then checks that a scan of them is refused,
	// naming the event. A host whose store cannot write such rows leaves
	// it nil, and TestSource checks that Apply refuses them.
	UncheckedLimits func(ctx context.Context, src S, events ...kpi.Event) error
	// MinPushed is the share of TestPusher's random queries, from 0 to 1,
	// that Push must answer (ok = true) rather than decline. Declining is
	// always correct, so the suite cannot tell a cautious Pusher from a
	// broken one that declines everything; zero asks only that Push answers
	// at least one query.
	MinPushed float64
}

// propT is the testing.TB Open gets inside a rapid property: failures go
// to rapid (which then shrinks the case), cleanups run when the run ends,
// and a skip skips the enclosing test.
type propT struct {
	testing.TB // the enclosing test, for Name, TempDir, Skip, Setenv…
	rt         *rapid.T
}

func (p propT) Cleanup(f func())                  { p.rt.Cleanup(f) }
func (p propT) Context() context.Context          { return p.rt.Context() }
func (p propT) Error(args ...any)                 { p.rt.Helper(); p.rt.Error(args...) }
func (p propT) Errorf(format string, args ...any) { p.rt.Helper(); p.rt.Errorf(format, args...) }
func (p propT) Fail()                             { p.rt.Fail() }
func (p propT) FailNow()                          { p.rt.FailNow() }
func (p propT) Failed() bool                      { return p.rt.Failed() }
func (p propT) Fatal(args ...any)                 { p.rt.Helper(); p.rt.Fatal(args...) }
func (p propT) Fatalf(format string, args ...any) { p.rt.Helper(); p.rt.Fatalf(format, args...) }
func (p propT) Log(args ...any)                   { p.rt.Log(args...) }
func (p propT) Logf(format string, args ...any)   { p.rt.Logf(format, args...) }

// openFilled opens a source and applies batches of versions to it, in
// order.
func openFilled[S kpi.Source](t testing.TB, h Harness[S], batches ...[]kpi.Event) S {
	t.Helper()
	src := h.Open(t)
	ctx := context.Background()
	for i, b := range batches {
		if err := h.Apply(ctx, src, b...); err != nil {
			t.Fatalf("apply, batch %d of %d (%d versions): %v", i+1, len(batches), len(b), err)
		}
	}
	return src
}
