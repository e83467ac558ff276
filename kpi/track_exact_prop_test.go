package kpi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// exactText is a decimal as its coefficient and exponent: 0 and 0.00 are
// two values, where Equal takes them as one.
func exactText(d decimal.Decimal) string {
	return fmt.Sprintf("%s×10^%d", d.Coefficient(), d.Exponent())
}

// exactAttrs writes an event's attributes with each decimal's exponent
// and each time's instant and offset, sorted by name.
func exactAttrs(attrs map[string]any) string {
	var out []string
	for k, v := range attrs {
		switch x := v.(type) {
		case decimal.Decimal:
			out = append(out, k+"=d:"+exactText(x))
		case time.Time:
			_, off := x.Zone()
			out = append(out, fmt.Sprintf("%s=t:%d.%09d%+d", k, x.Unix(), x.Nanosecond(), off))
		default:
			out = append(out, fmt.Sprintf("%s=%T:%v", k, v, v))
		}
	}
	slices.Sort(out)
	return fmt.Sprint(out)
}

// liveOf is the reference's live events: the last version of each id, a
// retraction leaving none, written with their attributes exactly and
// their amount's value (a table holds amounts at its scale).
func liveOf(versions []kpi.Event) map[string]string {
	live := map[string]string{}
	for _, e := range versions {
		if e.Deleted {
			delete(live, e.ID)
			continue
		}
		live[e.ID] = eventText(&e)
	}
	return live
}

func eventText(e *kpi.Event) string {
	amount := "none"
	if e.Amount.Valid {
		amount = e.Amount.Decimal.Rat().RatString()
	}
	return fmt.Sprintf("%s %s %s %d %s %s %s", e.Kind, e.Actor, e.Currency, e.Time.UnixNano(), amount, exactAttrs(e.Attrs), e.Known.UTC())
}

// liveScan is what a source's Scan passes, as liveOf writes it.
func liveScan(t *rapid.T, what string, src kpi.Source) map[string]string {
	got := map[string]string{}
	err := src.Scan(context.Background(), kpi.Query{}, func(e *kpi.Event) error {
		got[e.ID] = eventText(e)
		return nil
	})
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return got
}

func sameLive(t *rapid.T, what string, got, want map[string]string) {
	for id, w := range want {
		if g, ok := got[id]; !ok || g != w {
			t.Fatalf("%s: event %s is %q, want %q", what, id, g, w)
		}
	}
	for id, g := range got {
		if _, ok := want[id]; !ok {
			t.Fatalf("%s: event %s (%s) is not live", what, id, g)
		}
	}
}

// refusingStore is a SnapStore whose Commit fails while refuse is set: the
// tracker takes the batch back (its state rebuilt from the versions
// before it).
type refusingStore struct {
	*kpi.SnapStore
	refuse bool
}

func (s *refusingStore) Commit(ctx context.Context, b *kpi.TrackBatch) error {
	if s.refuse {
		return errCommit
	}
	return s.SnapStore.Commit(ctx, b)
}

// A tracker keeps every attribute value as it was applied, whatever came
// before it: a decimal of another scale than an equal one applied earlier
// (0 then 0.00, 1 then 1.0), an int64 at its limits, a time in another
// zone, and an amount's value near int64's limits in minor units. Its own
// table, the replica its readers read (built from it, then caught up from
// frozen views of its table), a restart from a snapshot and the batches after it, and a
// restart by replay of every batch each pass every live event exactly as
// its last version was applied (and the source of what was known at an
// instant, the last version known then); and its values equal a batch evaluation's
// of the same versions, breakdown rows (by a decimal) included, and so do
// its explanations; a batch its store refuses leaves it as it was.
func TestTrackerKeepsValuesExact(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := context.Background()
		cal, err := period.LoadCalendar(rapid.SampledFrom([]string{"UTC", "Europe/Moscow", "America/New_York"}).Draw(t, "zone"))
		if err != nil {
			t.Fatal(err)
		}
		mar := cal.Containing(period.Month, date.New(2025, 3, 1))
		req := kpi.Request{Calendar: cal, Periods: []period.Period{mar, cal.Next(mar)}}
		set, err := kpi.Compile([]kpi.IndicatorDef{
			{ID: "n", Kinds: []string{"deal"}, Aggregate: kpi.Count},
			{ID: "total", Kinds: []string{"deal"}, Aggregate: kpi.Sum, Value: "amount"},
			{ID: "by_score", Kinds: []string{"deal"}, Aggregate: kpi.Sum, Value: "score", By: []string{"score"}},
			{ID: "largest", Kinds: []string{"deal"}, Aggregate: kpi.Max, Value: "amount", Where: "score >= 0"},
		}, kpi.Env{Attributes: map[string]kpi.AttrType{"score": kpi.AttrDecimal, "n": kpi.AttrInt, "at": kpi.AttrTime}})
		if err != nil {
			t.Fatal(err)
		}
		start, _ := cal.Bounds(mar)
		dec := rapid.Custom(func(t *rapid.T) decimal.Decimal {
			return decimal.New(rapid.Int64Range(-2, 2).Draw(t, "coef"), rapid.Int32Range(-3, 1).Draw(t, "exp"))
		})
		amount := rapid.Custom(func(t *rapid.T) decimal.Decimal {
			switch rapid.IntRange(0, 3).Draw(t, "amount kind") {
			case 0:
				return decimal.New(math.MaxInt64-rapid.Int64Range(0, 2).Draw(t, "below"), -rapid.Int32Range(0, 3).Draw(t, "places"))
			case 1:
				return decimal.New(math.MinInt64+rapid.Int64Range(0, 2).Draw(t, "above"), -rapid.Int32Range(0, 3).Draw(t, "places"))
			default:
				return dec.Draw(t, "small")
			}
		})
		zones := []*time.Location{time.UTC, time.FixedZone("", 3*3600), time.FixedZone("", -5*3600-1800)}
		version := rapid.Custom(func(t *rapid.T) kpi.Event {
			e := kpi.Event{ID: fmt.Sprint("e", rapid.IntRange(0, 5).Draw(t, "id"))}
			if rapid.Bool().Draw(t, "known") {
				e.Known = start.Add(time.Duration(rapid.IntRange(0, 5).Draw(t, "known hours")) * time.Hour).In(rapid.SampledFrom(zones).Draw(t, "known zone"))
			}
			if rapid.IntRange(0, 7).Draw(t, "retract") == 0 {
				e.Deleted = true
				return e
			}
			e.Kind = "deal"
			e.Actor = rapid.SampledFrom([]string{"anna", "boris"}).Draw(t, "actor")
			e.Time = start.Add(time.Duration(rapid.IntRange(0, 24*60).Draw(t, "minutes")) * time.Hour).In(rapid.SampledFrom(zones).Draw(t, "time zone"))
			if rapid.Bool().Draw(t, "has amount") {
				e.Amount = decimal.NewNullDecimal(amount.Draw(t, "amount"))
			}
			e.Attrs = map[string]any{}
			if rapid.IntRange(0, 4).Draw(t, "no score") != 0 {
				e.Attrs["score"] = dec.Draw(t, "score")
			}
			if rapid.Bool().Draw(t, "has n") {
				e.Attrs["n"] = rapid.SampledFrom([]int64{0, 1, -1, math.MaxInt64, math.MinInt64}).Draw(t, "n")
			}
			if rapid.Bool().Draw(t, "has at") {
				e.Attrs["at"] = time.Date(2025, 3, 1, 12, 0, 0, rapid.IntRange(0, 2).Draw(t, "ns"), rapid.SampledFrom(zones).Draw(t, "at zone"))
			}
			return e
		})
		store := &refusingStore{SnapStore: kpi.NewSnapStore()}
		tr, err := set.Track(ctx, req, store)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { tr.Close() }()
		var applied []kpi.Event
		check := func(what string) {
			want := liveOf(applied)
			sameLive(t, what, liveScan(t, what, tr), want)
			if err := tr.ReadTable(ctx, func(tab *kpi.Table) error {
				sameLive(t, what+", the table in place", liveScan(t, what, tab), want)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			// The versions known at an instant: those known then or with
			// no known instant, the newest applied of each id winning.
			at := start.Add(time.Duration(rapid.IntRange(0, 5).Draw(t, "at hours"))*time.Hour - time.Duration(rapid.IntRange(0, 1).Draw(t, "before"))*time.Nanosecond)
			var then []kpi.Event
			for _, e := range applied {
				if e.Known.IsZero() || !e.Known.After(at) {
					then = append(then, e)
				}
			}
			src, err := tr.SourceAt(ctx, at)
			if err != nil {
				t.Fatal(err)
			}
			sameLive(t, fmt.Sprintf("%s, known at %v", what, at), liveScan(t, what, src), liveOf(then))
			res := must(t)(tr.Result(ctx, time.Time{}))
			batch := batchOf(t, set, req, applied)
			sameResult(t, what, res, batch)
			// One value explained, from the tracker's table and from the
			// batch's: the events counted and left out, with their values.
			ix := rapid.SampledFrom([]string{"n", "total", "by_score", "largest"}).Draw(t, "explained")
			who := rapid.SampledFrom([]string{"anna", "boris", "*"}).Draw(t, "participant")
			p := rapid.SampledFrom(req.Periods).Draw(t, "period")
			var by []any
			if ix == "by_score" && rapid.Bool().Draw(t, "a breakdown row") {
				by = []any{dec.Draw(t, "row")}
			}
			ge, gerr := explainOver(set, tr, req, ix, who, p, by)
			we, werr := explainOver(set, storeOf(t, req, applied), req, ix, who, p, by)
			gj, _ := json.Marshal(ge)
			wj, _ := json.Marshal(we)
			if fmt.Sprint(gerr) != fmt.Sprint(werr) || string(gj) != string(wj) {
				t.Fatalf("%s: %s of %s in %v by %v explained as %s (%v), want %s (%v)", what, ix, who, p, by, gj, gerr, wj, werr)
			}
			g, w := breakdownOf(res, "by_score"), breakdownOf(batch, "by_score")
			for i := range g {
				if fmt.Sprint(g[i].By) != fmt.Sprint(w[i].By) || !decimalsSame(g[i].By, w[i].By) {
					t.Fatalf("%s: by_score row %d: by %v, want %v", what, i, exactBy(g[i].By), exactBy(w[i].By))
				}
			}
		}
		steps := map[string]func(*rapid.T){
			"apply": func(t *rapid.T) {
				batch := rapid.SliceOfN(version, 1, 4).Draw(t, "batch")
				if err := tr.Apply(ctx, batch...); err != nil {
					t.Fatal(err)
				}
				applied = append(applied, batch...)
			},
			"refused batch": func(t *rapid.T) {
				store.refuse = true
				err := tr.Apply(ctx, rapid.SliceOfN(version, 1, 3).Draw(t, "refused")...)
				store.refuse = false
				if !errors.Is(err, errCommit) {
					t.Fatalf("a refused commit: %v", err)
				}
			},
			"read beside the writer": func(t *rapid.T) {
				kpi.ShareReads(tr)
				check("replica")
			},
			"snapshot": func(t *rapid.T) {
				if err := tr.Snapshot(ctx); err != nil {
					t.Fatal(err)
				}
			},
			"restart": func(t *rapid.T) {
				tr.Close()
				var src kpi.TrackStore = store
				if rapid.Bool().Draw(t, "replay every batch") {
					src = kpi.LoadOnly{TrackStore: store.SnapStore}
				}
				if tr, err = set.Track(ctx, req, src); err != nil {
					t.Fatal(err)
				}
				if _, ok := src.(kpi.LoadOnly); ok {
					check("replayed")
					// On the store that refuses batches again.
					tr.Close()
					if tr, err = set.Track(ctx, req, store); err != nil {
						t.Fatal(err)
					}
				}
				check("restarted")
			},
			"read": func(t *rapid.T) { check("own") },
		}
		// A few steps a case, applies the most: each read compares with a
		// batch evaluation.
		names := append(slices.Sorted(maps.Keys(steps)), "apply", "apply")
		for range rapid.IntRange(1, 14).Draw(t, "steps") {
			steps[rapid.SampledFrom(names).Draw(t, "step")](t)
			if err := tr.ReadTable(ctx, func(tab *kpi.Table) error {
				sameLive(t, "the table in place", liveScan(t, "the table in place", tab), liveOf(applied))
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}
		check("at the end")
	})
}

// decimalsSame reports whether two breakdown rows' values are the same,
// decimals by coefficient and exponent.
func decimalsSame(a, b []any) bool {
	return exactBy(a) == exactBy(b)
}

func exactBy(by []any) string {
	var out []string
	for _, v := range by {
		if d, ok := v.(decimal.Decimal); ok {
			out = append(out, exactText(d))
		} else {
			out = append(out, fmt.Sprint(v))
		}
	}
	return fmt.Sprint(out)
}
