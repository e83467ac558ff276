package kpi_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// An explanation's events keep their instants in its JSON when the plan's
// zone then had an offset with seconds: Amsterdam kept +00:19:32 until
// 1937, and RFC 3339 writes no seconds in an offset, so an event at noon
// UTC was written 12:19:32+00:19, 32 s later. Such an instant is given in
// UTC; another keeps the zone.
func TestExplanationTimesInASecondsOffset(t *testing.T) {
	set, err := kpi.Compile([]kpi.IndicatorDef{{ID: "n", Kinds: []string{"k"}, Aggregate: kpi.Count}}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	for _, year := range []int{1930, 1990} {
		cal, err := period.LoadCalendar("Europe/Amsterdam")
		if err != nil {
			t.Fatal(err)
		}
		counted := time.Date(year, 3, 3, 12, 0, 0, 0, time.UTC)
		other := time.Date(year, 3, 4, 12, 0, 0, 123, time.UTC)
		events := kpi.Events{{ID: "a1", Kind: "k", Actor: "anna", Time: counted}, {ID: "b1", Kind: "k", Actor: "boris", Time: other}}
		mar := cal.Containing(period.Month, date.New(year, 3, 1))
		ex, err := explainOver(set, events, kpi.Request{Calendar: cal, Periods: []period.Period{mar}}, "n", "anna", mar, nil)
		if err != nil {
			t.Fatal(err)
		}
		data, err := json.Marshal(ex)
		if err != nil {
			t.Fatal(err)
		}
		var back struct {
			Included, Excluded []struct{ Time time.Time }
		}
		if err := json.Unmarshal(data, &back); err != nil {
			t.Fatal(err)
		}
		if len(back.Included) != 1 || !back.Included[0].Time.Equal(counted) || len(back.Excluded) != 1 || !back.Excluded[0].Time.Equal(other) {
			t.Errorf("%d: the events at %s and %s are explained as %s", year, counted, other, data)
		}
		if year == 1990 && ex.Included[0].Time.Location().String() != "Europe/Amsterdam" {
			t.Errorf("%d: the event's time is in %s, want the plan's zone", year, ex.Included[0].Time.Location())
		}
	}
}
