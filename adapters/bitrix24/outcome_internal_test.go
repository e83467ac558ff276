package bitrix24

import (
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/bitrix24/internal/rest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// The outcome of a deal against the rule of the stage history docs,
// computed here by a plain walk over the rows in order: won (or lost) only
// when the deal is in that semantic now, dated by the row that began the
// last run of it when the history ends in it, else by the first set
// fallback; retracted when not in it now but some row was, or when there
// is no history in an incremental sync. Rows come in any order, with
// equal instants in other zones (odd offsets, seconds in the offset),
// before 1970 and near the end of the years an event may have; ids up to
// the largest; amounts of any size and sign, with the currency only
// beside an amount.
func TestOutcomeProperty(t *testing.T) {
	zones := []*time.Location{time.UTC, time.FixedZone("NPT", 5*3600+45*60), time.FixedZone("X", -(30*60 + 17)), time.FixedZone("MSK", 3*3600)}
	sems := []string{rest.SemanticProcess, rest.SemanticSuccess, rest.SemanticFailure}
	rapid.Check(t, func(t *rapid.T) {
		base := rapid.SampledFrom([]int64{-2_000_000_000, 0, 1_700_000_000, 9_000_000_000}).Draw(t, "base")
		n := rapid.IntRange(0, 8).Draw(t, "rows")
		rows := make([]rest.StageHistoryRow, n)
		ids := rapid.SliceOfNDistinct(rapid.OneOf(rapid.Int64Range(1, 20), rapid.Int64Range(math.MaxInt64-20, math.MaxInt64)), n, n, rapid.ID[int64]).Draw(t, "ids")
		for i := range rows {
			id := ids[i]
			sec := base + rapid.Int64Range(0, 5).Draw(t, "sec") // ties likely
			zone := rapid.SampledFrom(zones).Draw(t, "zone")
			typ := int64(rest.HistoryMoved)
			if i == 0 {
				typ = rest.HistoryCreated
			}
			rows[i] = rest.StageHistoryRow{ID: id, TypeID: typ, OwnerID: 7, CreatedTime: time.Unix(sec, 0).In(zone), Semantic: rapid.SampledFrom(sems).Draw(t, "sem")}
		}
		current := rapid.SampledFrom(sems).Draw(t, "current")
		incremental := rapid.Bool().Draw(t, "incremental")
		var fallback []time.Time
		for _, set := range rapid.SliceOfN(rapid.Bool(), 3, 3).Draw(t, "fallbacks") {
			ft := time.Time{}
			if set {
				ft = time.Unix(base+rapid.Int64Range(0, 9).Draw(t, "fsec"), 0).UTC()
			}
			fallback = append(fallback, ft)
		}
		var amount decimal.NullDecimal
		if rapid.Bool().Draw(t, "has amount") {
			coef := rapid.Int64().Draw(t, "coef")
			exp := rapid.Int32Range(-20, 3).Draw(t, "exp")
			amount = decimal.NullDecimal{Decimal: decimal.New(coef, exp), Valid: true}
		}
		it := item{id: 42, semantic: current, actor: 5, created: time.Unix(base, 0).UTC(), closedAt: fallback,
			amount: amount, currency: "RUB", attrs: func() map[string]any { return map[string]any{"deal": int64(42)} }}

		// In the sync's order (sortHistory), and the reference's own.
		hist := append([]rest.StageHistoryRow(nil), rows...)
		sortHistory(hist)
		ref := append([]rest.StageHistoryRow(nil), rows...)
		for i := 1; i < len(ref); i++ { // insertion sort by instant, then id
			for j := i; j > 0; j-- {
				a, b := ref[j-1], ref[j]
				au, bu := a.CreatedTime.Unix(), b.CreatedTime.Unix()
				if au > bu || (au == bu && a.ID > b.ID) {
					ref[j-1], ref[j] = b, a
				}
			}
		}

		m := &mapper{prefix: "b24", loc: time.UTC}
		evs, err := m.itemEvents(dealSpec, it, hist, incremental)
		got := map[string]kpi.Event{}
		for _, e := range evs {
			if _, dup := got[e.ID]; dup {
				t.Fatalf("%s twice", e.ID)
			}
			got[e.ID] = e
		}

		// The date of the current outcome: the row that began the last run
		// of it, when the history ends in it; else the first fallback set.
		var when time.Time
		if len(ref) > 0 && ref[len(ref)-1].Semantic == current {
			for i, r := range ref {
				if r.Semantic == current && (i == 0 || ref[i-1].Semantic != current) {
					when = r.CreatedTime
				}
			}
		} else {
			for _, f := range fallback {
				if !f.IsZero() {
					when = f
					break
				}
			}
		}
		if current != rest.SemanticProcess && when.IsZero() {
			if err == nil {
				t.Fatalf("no date for the outcome %s, yet no error", current)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range []struct{ sem, suffix string }{{rest.SemanticSuccess, "won"}, {rest.SemanticFailure, "lost"}} {
			id := "b24:deal:42:" + o.suffix
			e, ok := got[id]
			if current != o.sem {
				ever := false
				for _, r := range ref {
					ever = ever || r.Semantic == o.sem
				}
				want := ever || (len(ref) == 0 && incremental)
				if ok != want || (ok && !e.Deleted) {
					t.Fatalf("%s: got %+v (present %v), want a retraction %v", id, e, ok, want)
				}
				continue
			}
			want := when
			if !ok || e.Deleted || !e.Time.Equal(want) {
				t.Fatalf("%s: got %+v (present %v), want at %s", id, e, ok, want)
			}
		}
		c, ok := got["b24:deal:42:created"]
		if !ok || c.Deleted || !c.Time.Equal(it.created) {
			t.Fatalf("created: %+v", c)
		}
		for _, e := range got {
			if e.Deleted {
				continue
			}
			if e.Amount.Valid != amount.Valid || (amount.Valid && !e.Amount.Decimal.Equal(amount.Decimal)) {
				t.Fatalf("%s: amount %v, want %v", e.ID, e.Amount, amount)
			}
			if (e.Currency != "") != amount.Valid {
				t.Fatalf("%s: currency %q beside amount %v", e.ID, e.Currency, amount)
			}
			if e.Actor != strconv.Itoa(5) {
				t.Fatalf("%s: actor %q", e.ID, e.Actor)
			}
		}
	})
}
