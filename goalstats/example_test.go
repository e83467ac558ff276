package goalstats_test

import (
	"context"
	"fmt"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalstats"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Two deals a month for anna and boris: in January anna makes it on the
// 10th at noon and boris fails; in February both make it, anna on the 5th
// at 18:00 and boris on the 20th at 06:00.
func Example() {
	ctx := context.Background()
	cal, _ := period.LoadCalendar("UTC")
	two := decimal.NewFromInt(2)
	set, err := goal.Compile([]goal.Def{{ID: "won2", Indicator: "won", Target: &two,
		Period: goal.PeriodDef{From: date.New(2025, 1, 1), Every: period.Month}, Participants: goal.ParticipantsDef{Users: []string{"anna", "boris"}}}},
		goal.Env{Calendar: cal, Indicators: []kpi.IndicatorDef{{ID: "won", Kinds: []string{"deal.won"}, Aggregate: kpi.Count}}})
	if err != nil {
		panic(err)
	}
	won := func(id, actor string, month time.Month, day, hour int) kpi.Event {
		return kpi.Event{ID: id, Kind: "deal.won", Actor: actor, Time: time.Date(2025, month, day, hour, 0, 0, 0, time.UTC)}
	}
	events := kpi.Events{won("1", "anna", 1, 3, 12), won("2", "anna", 1, 10, 12), won("3", "boris", 1, 8, 9),
		won("4", "anna", 2, 2, 9), won("5", "anna", 2, 5, 18), won("6", "boris", 2, 3, 10), won("7", "boris", 2, 20, 6)}
	var res *goal.Result
	err = kpi.Snapshot(ctx, events, cal.Location(), kpi.Query{}, func(tab *kpi.Table) error {
		res, err = set.Evaluate(ctx, tab, goal.Request{AsOf: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC),
			From: date.New(2025, 1, 1), To: date.New(2025, 3, 1), AchievedAt: true})
		return err
	})
	if err != nil {
		panic(err)
	}
	st := goalstats.Summarize(set, res.Rows, nil)
	for _, t := range st.ByPeriod {
		fmt.Printf("%s: %d achieved, %d failed, share %s, change %s\n", t.Label, t.Achieved, t.Failed, t.AchievedShare.Decimal, num(t.AchievedShareChange))
	}
	d := st.Total.TimeToAchievement
	fmt.Printf("time to achievement over %d: median %s s, p90 %s s\n", d.Instances, d.Median.Decimal, d.P90.Decimal)
	// Output:
	// 2025-01: 1 achieved, 1 failed, share 0.5, change —
	// 2025-02: 2 achieved, 0 failed, share 1, change 0.5
	// time to achievement over 3: median 820800 s, p90 1494720 s
}

func num(d decimal.NullDecimal) string {
	if !d.Valid {
		return "—"
	}
	return d.Decimal.String()
}
