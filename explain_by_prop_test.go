package goalkit_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"
)

// An explanation of a breakdown row (its attributes' values given, nil
// for events without one) says the row's value in the report and
// includes exactly the events of that combination a plain loop finds (for
// a running total, in its window; those with a value, for an aggregate of
// one), and its text names the row.
func TestPropExplainABreakdownRowIsItsEvents(t *testing.T) {
	ctx := context.Background()
	rapid.Check(t, func(t *rapid.T) {
		zone := rapid.SampledFrom([]string{"UTC", "Asia/Kathmandu"}).Draw(t, "zone")
		plan := compile(t, parseDef(t, fmt.Sprintf(breakdownPropPlan, zone)))
		loc := plan.Calendar().Location()
		evs, ref := genBreakdownEvents(t, loc)
		store := storeOf(t, loc, evs...)
		asOf := drawnAsOf(loc)
		rep := mustEvaluate(t, plan, store, asOf)
		var rows []int
		all := rep.Values.Rows()
		for i, r := range all {
			if r.By != nil {
				rows = append(rows, i)
			}
		}
		if len(rows) == 0 {
			return
		}
		for range 3 {
			row := all[rapid.SampledFrom(rows).Draw(t, "row")]
			ex, err := plan.Explain(ctx, store, asOf, goalkit.Cell{Indicator: row.Indicator, Participant: row.Participant, Period: row.Period, By: row.By})
			if err != nil {
				t.Fatalf("explain %+v: %v", row, err)
			}
			if ex.Value.Valid != row.Value.Valid || ex.Value.Valid && !ex.Value.Decimal.Equal(row.Value.Decimal) {
				t.Fatalf("explanation of %+v says %v", row, ex.Value)
			}
			ix, _ := plan.Indicators().Lookup(row.Indicator)
			from := row.Period.Start
			switch row.Indicator {
			case "total_ytd":
				y, m, _ := (row.Period.End - 1).Date()
				from = date.New(y, time.Month((int(m)-1)/3*3+1), 1)
			}
			var want []string
			for i, e := range ref {
				match := e.day >= from && e.day < row.Period.End && (row.Participant == "*" || e.actor == row.Participant)
				for j, name := range ix.Def.By {
					match = match && bdKey([]any{e.attrs[name]}) == bdKey([]any{row.By[j]})
				}
				// An event whose value is undefined is left out.
				if v := map[string]string{"total": "price", "lo": "n", "hi": "price", "uniq": "n", "total_ytd": "price"}[row.Indicator]; v != "" {
					_, ok := e.attrs[v]
					match = match && ok
				}
				if match {
					want = append(want, evs[i].ID)
				}
			}
			var got []string
			for _, c := range ex.Included {
				got = append(got, c.Event)
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("explanation of %s of %s in %s by %v includes %v, a plain loop %v", row.Indicator, row.Participant, row.Period.Start, row.By, got, want)
			}
			var b strings.Builder
			if err := goalkit.WriteExplanation(&b, ex); err != nil {
				t.Fatal(err)
			}
			var by []string
			for j, name := range ix.Def.By {
				v := goalkit.AttrText(row.By[j])
				if row.By[j] == nil {
					v = "(none)"
				}
				by = append(by, name+" = "+v)
			}
			slices.Sort(by)
			if head := fmt.Sprintf(" with %s in ", strings.Join(by, ", ")); !strings.Contains(strings.SplitN(b.String(), "\n", 2)[0], head) {
				t.Fatalf("explanation's first line %q does not name%q", strings.SplitN(b.String(), "\n", 2)[0], head)
			}
		}
	})
}
