package kpi

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// TestTrackerEveryoneCellsAreTheMerge checks the cells of org.Everyone a
// tracker keeps against the merge of every actor's cells (what a read
// computed before they were kept): after random versions (new events,
// corrections of actor, day, amount and attributes, retractions, a scale
// that grows with a finer amount), the count of every group and the value
// of every indicator of every aggregate are the same in every period.
func TestTrackerEveryoneCellsAreTheMerge(t *testing.T) {
	ctx := context.Background()
	cal, err := period.LoadCalendar("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	p9 := decimal.New(9, -1)
	set, err := Compile([]IndicatorDef{
		{ID: "n", Kinds: []string{"won", "call"}, Aggregate: Count},
		{ID: "web", Kinds: []string{"won"}, Where: `source == "web"`, Aggregate: Count},
		{ID: "rev", Kinds: []string{"won"}, Aggregate: Sum, Value: "amount"},
		{ID: "mean", Kinds: []string{"won"}, Aggregate: Avg, Value: "amount"},
		{ID: "least", Kinds: []string{"won"}, Aggregate: Min, Value: "amount"},
		{ID: "most", Kinds: []string{"won"}, Aggregate: Max, Value: "amount"},
		{ID: "med", Kinds: []string{"won"}, Aggregate: Median, Value: "amount"},
		{ID: "p90", Kinds: []string{"won"}, Aggregate: Percentile, P: &p9, Value: "amount * 2"},
		{ID: "sources", Kinds: []string{"won", "call"}, Aggregate: Distinct, Value: "source"},
		{ID: "maxsize", Kinds: []string{"call"}, Aggregate: Max, Value: "size"},
	}, Env{Attributes: map[string]AttrType{"source": AttrString, "size": AttrInt}})
	if err != nil {
		t.Fatal(err)
	}
	jan := cal.Containing(period.Month, date.New(2025, 1, 1))
	req := Request{Calendar: cal, Periods: []period.Period{jan, cal.Next(jan)}}
	rapid.Check(t, func(rt *rapid.T) {
		tr, err := set.Track(ctx, req, nil)
		if err != nil {
			rt.Fatal(err)
		}
		for i := range rapid.IntRange(1, 60).Draw(rt, "versions") {
			id := fmt.Sprint(rapid.IntRange(0, 12).Draw(rt, "id"))
			if rapid.IntRange(0, 5).Draw(rt, "retract") == 0 {
				if err := tr.Apply(ctx, Event{ID: id, Deleted: true}); err != nil {
					rt.Fatal(err)
				}
				continue
			}
			e := Event{ID: id, Kind: rapid.SampledFrom([]string{"won", "call"}).Draw(rt, "kind"),
				Time:  time.Date(2025, 1, rapid.IntRange(-3, 62).Draw(rt, "day"), 12, 0, 0, 0, time.UTC),
				Actor: fmt.Sprint("u", rapid.IntRange(0, 4).Draw(rt, "actor")),
				Attrs: map[string]any{"source": rapid.SampledFrom([]string{"web", "ads", "tv"}).Draw(rt, "source"),
					"size": int64(rapid.IntRange(-5, 5).Draw(rt, "size"))}}
			if rapid.Bool().Draw(rt, "amount") {
				e.Amount = decimal.NewNullDecimal(decimal.New(rapid.Int64Range(-500, 500).Draw(rt, "units"), -int32(rapid.IntRange(0, 3).Draw(rt, "exp"))))
				e.Currency = "EUR"
			}
			if err := tr.Apply(ctx, e); err != nil {
				rt.Fatalf("version %d: %v", i, err)
			}
		}
		checkEveryone(rt, tr.st)
	})
}

// checkEveryone compares st's org.Everyone cells with the merge of its
// actors' cells.
func checkEveryone(t *rapid.T, st *trackState) {
	ev := st.ev
	nA, nP := len(st.tab.Actors()), ev.nP
	cells := nA * nP
	for gi, g := range ev.plan.groups {
		for p := range nP {
			var n int64
			for a := range nA {
				if c := a*nP + p; c < len(st.counts[gi]) {
					n += st.counts[gi][c]
				}
			}
			if got := st.allCounts[gi][p]; got != n {
				t.Fatalf("group %d, period %d: everyone counts %d, the actors %d", gi, p, got, n)
			}
		}
		for si, sl := range g.slots {
			trackCur := tracksCurrencies(st.tab, g, sl)
			actors := st.slots[gi][si].materialize(sl, cells, trackCur)
			all := st.allSlots[gi][si].materialize(sl, nP, trackCur)
			for _, ix := range ev.set.list {
				if b := ev.plan.bindings[ix.index]; ix.IsFormula() || b.group != gi || b.slot != si {
					continue
				}
				for p := range nP {
					merged := newSlotAcc(sl, 1, trackCur)
					for a := range nA {
						merged.mergeCell(0, actors, a*nP+p)
					}
					want, got := merged.value(ix, 0, st.tab.Scale), all.value(ix, p, st.tab.Scale)
					if !got.Equal(want) {
						t.Fatalf("%s, period %d: everyone %v, the merge of the actors %v", ix.Def.ID, p, got, want)
					}
				}
			}
		}
	}
}
