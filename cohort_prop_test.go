package goalkit_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"
)

const cohortPropPlan = `
timezone: %s
attributes: {deal: string, n: int}
indicators:
  - id: created
    kinds: [deal.created]
    aggregate: count
  - id: won_soon
    kinds: [deal.won]
    aggregate: count
    where: n >= 0
    cohort: {of: [deal.created], entity: deal, within: %d days}
  - id: won_ever
    kinds: [deal.won]
    aggregate: count
    where: n >= 0
    cohort: {of: [deal.created], entity: deal}
report:
  grain: month
  from: 2025-01-01
  to: 2025-05-01
`

// A cohort conversion counts each deal once, in the period of its first
// created event's local date and for that event's actor (whoever won it),
// by its first won event at or after it that passes the filter (within
// the window for won_soon; events after the as-of count for nothing), as
// a plain loop over the deals says.
func TestPropCohortsCountEachDealInItsFirstEventsCohort(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		zone := rapid.SampledFrom([]string{"UTC", "Europe/Berlin", "America/New_York"}).Draw(t, "zone")
		within := rapid.IntRange(1, 40).Draw(t, "within")
		plan := compile(t, parseDef(t, fmt.Sprintf(cohortPropPlan, zone, within)))
		loc := plan.Calendar().Location()
		type ev struct {
			id, kind, actor, deal string
			at                    time.Time
			n                     int64
			hasN                  bool
		}
		var evs []ev
		var stream []kpi.Event
		for i := range rapid.IntRange(0, 30).Draw(t, "events") {
			d := date.New(2024, 12, 1) + date.Date(rapid.IntRange(0, 160).Draw(t, "day"))
			y, m, dd := d.Date()
			// A few hours a day, so that events share instants.
			e := ev{id: "e" + strconv.Itoa(i), kind: rapid.SampledFrom([]string{"deal.created", "deal.won"}).Draw(t, "kind"),
				actor: rapid.SampledFrom([]string{"anna", "boris", "vera"}).Draw(t, "actor"),
				at:    time.Date(y, m, dd, rapid.SampledFrom([]int{0, 12, 23}).Draw(t, "hour"), 0, 0, 0, loc)}
			attrs := map[string]any{}
			if rapid.IntRange(0, 5).Draw(t, "deal?") > 0 {
				e.deal = "d" + strconv.Itoa(rapid.IntRange(0, 5).Draw(t, "deal"))
				attrs["deal"] = e.deal
			}
			if rapid.IntRange(0, 4).Draw(t, "n?") > 0 {
				e.n, e.hasN = int64(rapid.IntRange(-1, 2).Draw(t, "n")), true
				attrs["n"] = e.n
			}
			evs = append(evs, e)
			stream = append(stream, kpi.Event{ID: e.id, Kind: e.kind, Actor: e.actor, Time: e.at, Attrs: attrs})
		}
		asOf := time.Date(2025, 4, 1, 0, 0, 0, 0, loc).Add(time.Duration(rapid.IntRange(0, 70*24).Draw(t, "as of hours")) * time.Hour)
		rep := mustEvaluate(t, plan, storeOf(t, loc, stream...), asOf)
		local := func(at time.Time) date.Date {
			y, m, d := at.In(loc).Date()
			return date.New(y, m, d)
		}
		before := func(a, b ev) bool { return a.at.Before(b.at) || a.at.Equal(b.at) && a.id < b.id }
		// The plain loop: each deal's first created event, and its first
		// won event at or after it that passes n >= 0.
		type key struct {
			who   string
			month date.Date
		}
		soon, ever, created := map[key]int{}, map[key]int{}, map[key]int{}
		monthOf := func(d date.Date) date.Date {
			y, m, _ := d.Date()
			return date.New(y, m, 1)
		}
		firsts := map[string]ev{}
		for _, e := range evs {
			if e.at.After(asOf) || e.kind != "deal.created" {
				continue
			}
			for _, who := range []string{e.actor, "*"} {
				created[key{who, monthOf(local(e.at))}]++
			}
			if f, ok := firsts[e.deal]; e.deal != "" && (!ok || before(e, f)) {
				firsts[e.deal] = e
			}
		}
		for deal, c := range firsts {
			var conv *ev
			for i, e := range evs {
				if e.kind == "deal.won" && e.deal == deal && !e.at.After(asOf) && !e.at.Before(c.at) && e.hasN && e.n >= 0 && (conv == nil || before(e, *conv)) {
					conv = &evs[i]
				}
			}
			if conv == nil {
				continue
			}
			for _, who := range []string{c.actor, "*"} {
				k := key{who, monthOf(local(c.at))}
				ever[k]++
				if local(conv.at) <= local(c.at)+date.Date(within) {
					soon[k]++
				}
			}
		}
		var doc struct {
			Values []map[string]any `json:"values"`
		}
		if err := json.Unmarshal(reportJSON(t, rep), &doc); err != nil {
			t.Fatal(err)
		}
		for _, row := range doc.Values {
			start, _ := date.ParseISO(row["period_start"].(string))
			k := key{row["participant"].(string), start}
			want := map[string]map[key]int{"created": created, "won_soon": soon, "won_ever": ever}[row["indicator"].(string)][k]
			if got := jsonValue(t, row["value"]); got != strconv.Itoa(want) {
				t.Fatalf("%s of %s in %s: %s, a plain loop %d", row["indicator"], k.who, start, got, want)
			}
		}
	})
}
