package bitrix24_test

import (
	"context"
	"testing"

	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// TestExpectedThroughEngine reproduces expected.json through goalkit's own
// engine: the synced events go into the embedded store and the March 2024
// indicators are evaluated in Moscow time, with the directory's users as
// participants so that users with no events report zeros.
func TestExpectedThroughEngine(t *testing.T) {
	t.Parallel()
	msk := moscow(t)
	x := loadExpected(t)
	c, evs := syncFresh(t, bitrix24.SyncOptions{Location: msk})
	bd, err := c.Directory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	store := memory.New(msk)
	if err := store.Apply(evs...); err != nil {
		t.Fatal(err)
	}
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "deals_created", Kinds: []string{"deal.created"}, Aggregate: "count"},
		{ID: "deals_won", Kinds: []string{"deal.won"}, Aggregate: "count"},
		{ID: "won_sum_rub", Kinds: []string{"deal.won"}, Where: `currency == "RUB"`, Aggregate: "sum", Value: "amount"},
		{ID: "won_sum_usd", Kinds: []string{"deal.won"}, Where: `currency == "USD"`, Aggregate: "sum", Value: "amount"},
		{ID: "deals_lost", Kinds: []string{"deal.lost"}, Aggregate: "count"},
		{ID: "calls", Kinds: []string{"call"}, Aggregate: "count"},
		{ID: "meetings", Kinds: []string{"meeting"}, Aggregate: "count"},
		{ID: "win_rate", Formula: "deals_won / (deals_won + deals_lost)"},
	}, kpi.Env{Attributes: map[string]kpi.AttrType{"direction": kpi.AttrString}})
	if err != nil {
		t.Fatal(err)
	}
	cal, err := period.NewCalendar(msk)
	if err != nil {
		t.Fatal(err)
	}
	march := cal.Containing(period.Month, date.New(2024, 3, 1))
	users, err := bd.Memberships(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var who []string
	for _, m := range users {
		who = append(who, m.User)
	}
	res, err := set.Evaluate(context.Background(), store, kpi.Request{Calendar: cal, Periods: []period.Period{march},
		AsOf: exportTime, Participants: who})
	if err != nil {
		t.Fatal(err)
	}
	check := func(who string, want expectedRow) {
		t.Helper()
		for id, w := range map[string]int{"deals_created": want.DealsCreated, "deals_won": want.DealsWon, "deals_lost": want.DealsLost,
			"calls": want.Calls, "meetings": want.Meetings} {
			got, ok := res.Value(id, who, march)
			if !ok || !got.Valid || got.Decimal.IntPart() != int64(w) || !got.Decimal.IsInteger() {
				t.Errorf("%s for user %s: got %v, want %d", id, who, got, w)
			}
		}
		for id, cur := range map[string]string{"won_sum_rub": "RUB", "won_sum_usd": "USD"} {
			got, _ := res.Value(id, who, march)
			if w := want.WonSum[cur]; !got.Valid || !got.Decimal.Equal(w) {
				t.Errorf("%s for user %s: got %v, want %s", id, who, got, w)
			}
		}
	}
	for u, row := range x.Users {
		check(u, row)
	}
	check(org.Everyone, x.Total)
	// A ratio of everyone comes from the totals, never from averaging users.
	got, _ := res.Value("win_rate", org.Everyone, march)
	won, closed := decimal.NewFromInt(int64(x.Total.DealsWon)), decimal.NewFromInt(int64(x.Total.DealsWon+x.Total.DealsLost))
	if !got.Valid || got.Decimal.Mul(closed).Sub(won).Abs().GreaterThan(decimal.New(1, -14)) {
		t.Errorf("win_rate of everyone = %v, want %s/%s", got, won, closed)
	}
}
