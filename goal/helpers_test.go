package goal

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
)

// events is a stream of event versions (kpi.Events).
type events = kpi.Events

// d, dec, nd and dp are a date, a decimal, a result's value and a
// definition's optional number, written as text.
var (
	d   = enginetest.Date
	dec = enginetest.Dec
	nd  = enginetest.Null
	dp  = enginetest.Ptr
)

func ev(id, kind, actor string, t time.Time) kpi.Event {
	return kpi.Event{ID: id, Kind: kind, Actor: actor, Time: t}
}

func mustCompile(t testing.TB, cal *period.Calendar, inds []kpi.IndicatorDef, defs ...Def) *Set {
	t.Helper()
	s, err := Compile(defs, Env{Calendar: cal, Indicators: inds, Attributes: map[string]kpi.AttrType{"source": kpi.AttrString}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func rowFor(t testing.TB, res *Result, goal, participant string) Row {
	t.Helper()
	for _, r := range res.Rows {
		if r.Goal == goal && r.Participant == participant {
			return *r
		}
	}
	t.Fatalf("no row for %s/%s", goal, participant)
	return Row{}
}

func str(d decimal.NullDecimal) string {
	if !d.Valid {
		return "null"
	}
	return d.Decimal.String()
}

// snapshot reads src into a table dated in the set's zone, as the root
// package does for every report.
func snapshot(s *Set, src kpi.Source) *kpi.Table { return enginetest.Table(s.cal.Location(), src) }

func loadOrg(t testing.TB, dir org.Directory) *org.Org {
	t.Helper()
	o, err := org.Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// keepBesideNotes notes the versions of batch batches times from another
// goroutine while, until those notes are done, it begins and keeps one
// evaluation (one that read events events) after another, as a tracker's
// reports do beside its writer. After each keep it calls each with m's lock
// held; an error from each fails the test.
func keepBesideNotes(t *testing.T, m *Memo, batch []kpi.Event, batches, events int, each func() error) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range batches {
			m.Note(batch, nil)
		}
	}()
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
		}
		pr, seq := m.begin(memoKey{}, instants{asOf: time.Unix(1<<40, 0)})
		if pr != nil {
			m.release(pr)
		}
		m.keep(&memoState{seq: seq, events: events})
		m.mu.Lock()
		err := each()
		m.mu.Unlock()
		if err != nil {
			t.Fatal(err)
		}
	}
}

// checkNotesCounted checks that m counted the noted versions, and that the
// changes it keeps are exactly those noted after its kept evaluation read
// the count, each once, with the noting bit set; with no evaluation kept,
// neither the noting bit nor any change.
func checkNotesCounted(t *testing.T, m *Memo, noted int) {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	if got := m.seq.Load() &^ noting; got != uint64(noted) {
		t.Fatalf("counted %d versions, noted %d", got, noted)
	}
	if m.last == nil {
		if m.seq.Load()&noting != 0 {
			t.Fatal("nothing kept, yet noting")
		}
		if len(m.changes) != 0 {
			t.Fatalf("nothing kept, %d changes", len(m.changes))
		}
		return
	}
	if m.seq.Load()&noting == 0 {
		t.Fatal("an evaluation kept without the noting bit")
	}
	if want := noted - int(m.last.seq); len(m.changes) != want {
		t.Fatalf("%d changes after the kept evaluation's count %d, want %d", len(m.changes), m.last.seq, want)
	}
	for i, c := range m.changes {
		if c.seq != m.last.seq+uint64(i)+1 {
			t.Fatalf("change %d has seq %d after %d", i, c.seq, m.last.seq)
		}
	}
}

// rowStatusAt is the status of goal's row for participant in a fresh
// evaluation of tab as of at (req's other fields kept, without the
// instants of achievement): what an achieved-at instant is checked by.
func rowStatusAt(t fataler, s *Set, tab *kpi.Table, req Request, goal, participant string, at time.Time) Status {
	t.Helper()
	req.AsOf, req.AchievedAt = at, false
	res, err := s.Evaluate(context.Background(), tab, req)
	if err != nil {
		t.Fatalf("%v", err)
	}
	for _, r := range res.Rows {
		if r.Goal == goal && r.Participant == participant {
			return r.Status
		}
	}
	t.Fatalf("no row %s/%s", goal, participant)
	return ""
}

// returnsIn5s returns f's answer, and fails the test at once when f has not
// returned in 5 s (it is left running): arithmetic that scales a number
// to a far exponent never returns, and the package's timeout would say
// nothing of which case.
func returnsIn5s[T any](t testing.TB, what string, f func() T) T {
	t.Helper()
	done := make(chan T, 1)
	go func() { done <- f() }()
	select {
	case v := <-done:
		return v
	case <-time.After(5 * time.Second):
		t.Fatalf("%s did not return in 5 s", what)
		panic("unreachable")
	}
}
