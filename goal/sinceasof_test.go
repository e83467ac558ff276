package goal

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
)

// anna won 2 deals in October against a target of 2; the October result
// was closed as failed on 2 November at noon. As of 3 November with
// notifications since 1 November at noon, her October row was open and achieved at
// Since and is closed and failed at AsOf: period_closed and failed. The
// rows at Since are not the rows at AsOf when a record of the instance
// closed between the two instants, nor when an automatic close did, nor
// when a version became known in between; they are otherwise (nothing
// emitted when nothing closed).
func TestRowsAtSinceAreNotRowsAtAsOfWhenSomethingChangedBetween(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	ctx := context.Background()
	at := func(s string) time.Time { return enginetest.At(cal, s) }
	won := func(id, when string) kpi.Event { return ev(id, "deal.won", "anna", at(when)) }
	october := cal.Containing(period.Month, d("2025-10-01"))
	record := Record{Goal: "g", Participant: "anna", Kind: User, PeriodStart: october.Start, PeriodEnd: october.End,
		ClosedAt: at("2025-11-02 12:00"), Target: nd("2"), Actual: nd("1"), Achievement: nd("0.5"), Status: Failed}
	rules := []NotifyRule{{On: NotifyAchieved}, {On: NotifyFailed}, {On: NotifyPeriodClosed}}
	for _, c := range []struct {
		name    string
		close   CloseDef
		records []Record
		known   time.Time
		want    []NotifyKind
	}{
		{name: "nothing in between"},
		{name: "a record closed in between", records: []Record{record}, want: []NotifyKind{NotifyFailed, NotifyPeriodClosed}},
		{name: "closed automatically in between", close: CloseDef{Auto: true, AfterDays: 1}, want: []NotifyKind{NotifyPeriodClosed}},
		{name: "known in between", known: at("2025-11-02 18:00"), want: []NotifyKind{NotifyAchieved}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := mustCompile(t, cal, enginetest.SalesIndicators, Def{ID: "g", Indicator: "won", Target: dp("2"),
				Period: PeriodDef{From: d("2025-10-01"), Every: period.Month}, Participants: ParticipantsDef{Users: []string{"anna"}},
				Notify: rules, Close: c.close})
			second := won("2", "2025-10-20 10:00")
			second.Known = c.known
			tab := snapshot(s, events{won("1", "2025-10-10 10:00"), second})
			req := Request{AsOf: at("2025-11-03 10:00"), Since: at("2025-11-01 12:00"), From: d("2025-10-01"), To: d("2025-12-01"),
				Records: c.records}
			for _, on := range []bool{true, false} {
				sinceFromAsOf = on
				res, err := s.Evaluate(ctx, tab, req)
				sinceFromAsOf = true
				if err != nil {
					t.Fatal(err)
				}
				var got []NotifyKind
				for _, n := range res.Notifications {
					if n.PeriodStart == october.Start {
						got = append(got, n.Kind)
					}
				}
				slices.Sort(got)
				if !slices.Equal(got, c.want) {
					t.Fatalf("rows at Since from AsOf %v: October's notifications %v, want %v", on, got, c.want)
				}
			}
		})
	}
}
