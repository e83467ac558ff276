package goal

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
)

// ticker plays a live tracker over Set.Tick: it keeps the ledger, the
// records and the instant of the last tick, and fails when a tick returns a
// key twice or one emitted before.
type ticker struct {
	s      *Set
	src    kpi.Source
	req    Request
	last   time.Time
	ledger map[string]Notification
}

func newTicker(s *Set, src kpi.Source, req Request) *ticker {
	return &ticker{s: s, src: src, req: req, ledger: map[string]Notification{}}
}

// fataler is what ticker and rowStatusAt need of a *testing.T or a
// *rapid.T.
type fataler interface {
	Helper()
	Fatalf(format string, args ...any)
}

func (k *ticker) tick(t fataler, asOf time.Time) []Notification {
	t.Helper()
	req := k.req
	req.AsOf = asOf
	res, err := k.s.Tick(context.Background(), snapshot(k.s, k.src), req, TickState{Last: k.last, Emitted: func(key string) bool {
		_, ok := k.ledger[key]
		return ok
	}})
	if err != nil {
		t.Fatalf("tick at %s: %v", asOf, err)
	}
	for _, n := range res.Notifications {
		if _, dup := k.ledger[n.Key]; dup {
			t.Fatalf("tick at %s: %s emitted again", asOf, n.Key)
		}
		k.ledger[n.Key] = n
	}
	k.req.Records = append(k.req.Records, res.Records...)
	if asOf.After(k.last) {
		k.last = asOf
	}
	return res.Notifications
}

func keysOf(ns []Notification) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.Key
	}
	return out
}

// novemberPlan is a November goal of 10 deals for three people who never
// make it, with the rules of the kinds that fire without events.
func novemberPlan(t testing.TB, rules ...NotifyRule) (*Set, *period.Calendar, events) {
	cal := enginetest.Calendar(t, "Europe/Berlin")
	g := Def{ID: "deals", Indicator: "won", Target: dp("10"), Period: PeriodDef{From: d("2025-11-01"), To: d("2025-12-01")},
		Participants: ParticipantsDef{Users: []string{"anna", "boris", "vera"}}, Notify: rules}
	src := events{
		ev("w1", "deal.won", "anna", enginetest.At(cal, "2025-11-03 10:00")), ev("w2", "deal.won", "anna", enginetest.At(cal, "2025-11-12 10:00")),
		ev("w3", "deal.won", "boris", enginetest.At(cal, "2025-11-05 10:00")), ev("w4", "deal.won", "vera", enginetest.At(cal, "2025-11-20 10:00")),
	}
	return mustCompile(t, cal, enginetest.SalesIndicators, g), cal, src
}

// TestTickBetweenTicks is the report's case: ticks on 18 November and
// 1 December notice the deadline of 28 November, and the failure at the end
// of the month, as a tick on 28 November in between would have.
func TestTickBetweenTicks(t *testing.T) {
	s, cal, src := novemberPlan(t, NotifyRule{On: NotifyDeadlineApproaching}, NotifyRule{On: NotifyFailed})
	req := Request{From: d("2025-11-01"), To: d("2025-12-01")}
	deadline := []string{"deadline_approaching/deals/anna/2025-11/3", "deadline_approaching/deals/boris/2025-11/3", "deadline_approaching/deals/vera/2025-11/3"}
	failed := []string{"failed/deals/anna/2025-11/", "failed/deals/boris/2025-11/", "failed/deals/vera/2025-11/"}
	for _, c := range []struct {
		name  string
		ticks []string
		want  [][]string
	}{
		{"18 November and 1 December", []string{"2025-11-18 09:00", "2025-12-01 09:00"}, [][]string{nil, append(slices.Clone(deadline), failed...)}},
		{"and 28 November", []string{"2025-11-18 09:00", "2025-11-28 09:00", "2025-12-01 09:00"}, [][]string{nil, deadline, failed}},
		{"every hour from 27 November", hourly(cal, "2025-11-27 00:00", 5*24), nil},
		{"1 December alone", []string{"2025-12-01 09:00"}, [][]string{append(slices.Clone(deadline), failed...)}},
		{"a second after midnight", []string{"2025-11-27 23:59", "2025-11-28 00:00", "2025-12-01 00:00"}, [][]string{nil, deadline, failed}},
	} {
		t.Run(c.name, func(t *testing.T) {
			k := newTicker(s, src, req)
			var all []string
			for i, at := range c.ticks {
				instant := parseInstant(t, cal, at)
				got := keysOf(k.tick(t, instant))
				all = append(all, got...)
				if c.want != nil && !slices.Equal(got, c.want[i]) {
					t.Errorf("tick at %s: %q, want %q", at, got, c.want[i])
				}
			}
			slices.Sort(all)
			want := append(slices.Clone(deadline), failed...)
			slices.Sort(want)
			if !slices.Equal(all, want) {
				t.Errorf("in all: %q, want %q", all, want)
			}
		})
	}
	// The notification says what held when it was crossed.
	k := newTicker(s, src, req)
	k.tick(t, enginetest.At(cal, "2025-11-18 09:00"))
	ns := k.tick(t, enginetest.At(cal, "2025-12-01 09:00"))
	if n := ns[0]; n.Kind != NotifyDeadlineApproaching || n.DaysLeft != 3 || !n.At.Equal(cal.Midnight(d("2025-11-28"))) || n.Status == Failed {
		t.Errorf("deadline: %+v", n)
	}
	if n := ns[3]; n.Kind != NotifyFailed || n.Status != Failed || str(n.Actual) != "2" ||
		n.Message != `"deals" failed for anna in 2025-11 (2 of 10)` {
		t.Errorf("failed: %+v", n)
	}
}

func parseInstant(t testing.TB, cal *period.Calendar, s string) time.Time {
	t.Helper()
	x, err := time.ParseInLocation("2006-01-02 15:04", s, cal.Location())
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func hourly(cal *period.Calendar, from string, n int) []string {
	start, _ := time.ParseInLocation("2006-01-02 15:04", from, cal.Location())
	out := make([]string, n)
	for i := range out {
		out[i] = start.Add(time.Duration(i) * time.Hour).Format("2006-01-02 15:04")
	}
	return out
}

// TestTickFirstBehind: a tracker that starts when people are behind says
// at_risk at its first tick, as one that ticked from the start would have;
// one started with Since says what changed after it.
func TestTickFirstBehind(t *testing.T) {
	s, cal, src := novemberPlan(t, NotifyRule{On: NotifyAtRisk}, NotifyRule{On: NotifyBackOnTrack})
	req := Request{From: d("2025-11-01"), To: d("2025-12-01")}
	first := newTicker(s, src, req).tick(t, enginetest.At(cal, "2025-11-18 09:00"))
	daily := newTicker(s, src, req)
	var dense []Notification
	for day := d("2025-11-01"); day <= d("2025-11-18"); day++ {
		dense = append(dense, daily.tick(t, cal.Midnight(day))...)
	}
	dense = append(dense, daily.tick(t, enginetest.At(cal, "2025-11-18 09:00"))...)
	got, want := keysOf(first), keysOf(dense)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("first tick: %q\ndaily ticks: %q", got, want)
	}
	// Boris and Vera end Monday 3 November without a deal; Anna's deal of
	// the 3rd keeps her on track until Wednesday's end.
	if w := []string{"at_risk/deals/anna/2025-11/2025-11-05", "at_risk/deals/boris/2025-11/2025-11-03", "at_risk/deals/vera/2025-11/2025-11-03"}; !slices.Equal(got, w) {
		t.Fatalf("first tick: %q, want %q", got, w)
	}
	sinceReq := req
	sinceReq.Since = enginetest.At(cal, "2025-11-17 09:00")
	if ns := newTicker(s, src, sinceReq).tick(t, enginetest.At(cal, "2025-11-18 09:00")); len(ns) != 0 {
		t.Errorf("since the day before, already behind: %q", keysOf(ns))
	}
}

// TestTickAtRiskByDay: at_risk and back_on_track are judged at day
// boundaries, so a tick cannot catch a passing dip that the day's end does
// not show, and their keys do not depend on when ticks happen.
func TestTickAtRiskByDay(t *testing.T) {
	s, cal, _ := novemberPlan(t, NotifyRule{On: NotifyAtRisk}, NotifyRule{On: NotifyBackOnTrack})
	var src events
	for i, day := range []string{"2025-11-03", "2025-11-05", "2025-11-07", "2025-11-10"} {
		src = append(src, ev(fmt.Sprint("w", i), "deal.won", "anna", enginetest.At(cal, day+" 10:00")))
	}
	src = append(src, ev("w4", "deal.won", "anna", enginetest.At(cal, "2025-11-13 15:00")))
	req := Request{From: d("2025-11-01"), To: d("2025-12-01")}
	// Thursday at noon Anna's 4 deals forecast 9.4 against 10, at risk; her
	// fifth at 15:00 puts her back on track by the end of the day, as she was
	// at its start.
	for _, c := range []struct {
		at   string
		want Status
	}{{"2025-11-13 00:00", OnTrack}, {"2025-11-13 12:00", AtRisk}, {"2025-11-14 00:00", OnTrack}} {
		r := req
		r.AsOf = enginetest.At(cal, c.at)
		if got := rowFor(t, evaluate(t, s, src, r), "deals", "anna").Status; got != c.want {
			t.Fatalf("anna at %s: %s, want %s", c.at, got, c.want)
		}
	}
	for _, schedule := range [][]string{{"2025-11-13 12:00", "2025-11-14 12:00"}, {"2025-11-13 11:00", "2025-11-13 12:00", "2025-11-13 13:00", "2025-11-14 13:00"}} {
		k := newTicker(s, src, req)
		for _, x := range schedule {
			for _, n := range k.tick(t, enginetest.At(cal, x)) {
				if n.Participant == "anna" {
					t.Errorf("ticks at %q: %s", schedule, n.Key)
				}
			}
		}
		if len(k.ledger) != 2 {
			t.Errorf("ticks at %q: %d notifications, want at_risk for boris and vera", schedule, len(k.ledger))
		}
	}
}

// TestTickLateEvent: an event that happened before the last tick but became
// known after it still emits its transitions, at the next tick.
func TestTickLateEvent(t *testing.T) {
	cal := enginetest.Calendar(t, "Europe/Berlin")
	g := Def{ID: "deals", Indicator: "won", Target: dp("10"), Period: PeriodDef{From: d("2025-11-01"), To: d("2025-12-01")},
		Participants: ParticipantsDef{Users: []string{"anna"}}, Milestones: []Milestone{{Percent: true, Value: dec("30")}},
		Notify: []NotifyRule{{On: NotifyMilestoneReached}}}
	s := mustCompile(t, cal, enginetest.SalesIndicators, g)
	src := events{ev("w1", "deal.won", "anna", enginetest.At(cal, "2025-11-03 10:00")), ev("w2", "deal.won", "anna", enginetest.At(cal, "2025-11-04 10:00"))}
	k := newTicker(s, src, Request{From: d("2025-11-01"), To: d("2025-12-01")})
	if ns := k.tick(t, enginetest.At(cal, "2025-11-11 12:00")); len(ns) != 0 {
		t.Fatalf("2 of 10: %q", keysOf(ns))
	}
	late := ev("w3", "deal.won", "anna", enginetest.At(cal, "2025-11-10 10:00"))
	late.Known = enginetest.At(cal, "2025-11-12 09:00")
	k.src = append(src, late)
	if ns := k.tick(t, enginetest.At(cal, "2025-11-12 12:00")); !slices.Equal(keysOf(ns), []string{"milestone_reached/deals/anna/2025-11/30%25"}) {
		t.Fatalf("after the late deal: %q", keysOf(ns))
	}
}

// TestTickCloses: a goal that closes itself a day after its end is closed
// by the first tick after that, once: its records come back for the host to
// store, and period_closed is emitted once.
func TestTickCloses(t *testing.T) {
	cal := enginetest.Calendar(t, "Europe/Berlin")
	g := Def{ID: "deals", Indicator: "won", Target: dp("1"), Period: PeriodDef{From: d("2025-11-01"), Every: period.Month},
		Participants: ParticipantsDef{Users: []string{"anna", "boris"}}, Close: CloseDef{Auto: true, AfterDays: 1},
		Notify: []NotifyRule{{On: NotifyAchieved}, {On: NotifyFailed}, {On: NotifyPeriodClosed}}}
	s := mustCompile(t, cal, enginetest.SalesIndicators, g)
	src := events{ev("w1", "deal.won", "anna", enginetest.At(cal, "2025-11-03 10:00"))}
	k := newTicker(s, src, Request{From: d("2025-11-01"), To: d("2025-12-01")})
	for _, c := range []struct {
		at      string
		want    []string
		records int
	}{
		{"2025-11-03 12:00", []string{"achieved/deals/anna/2025-11/"}, 0},
		{"2025-12-01 12:00", []string{"failed/deals/boris/2025-11/"}, 0},
		{"2025-12-04 12:00", []string{"period_closed/deals/anna/2025-11/", "period_closed/deals/boris/2025-11/"}, 2},
		{"2025-12-05 12:00", nil, 2},
	} {
		if got := keysOf(k.tick(t, enginetest.At(cal, c.at))); !slices.Equal(got, c.want) || len(k.req.Records) != c.records {
			t.Fatalf("tick at %s: %q with %d records, want %q with %d", c.at, got, len(k.req.Records), c.want, c.records)
		}
	}
	// Closed as of the close, midnight a day after the end, whenever the
	// tick that closed it came.
	if r := k.req.Records[1]; r.Participant != "boris" || r.Status != Failed || !r.ClosedAt.Equal(cal.Midnight(d("2025-12-02"))) {
		t.Fatalf("boris's record: %+v", r)
	}
	if n := k.ledger["period_closed/deals/boris/2025-11/"]; !n.At.Equal(cal.Midnight(d("2025-12-02"))) || n.Status != Failed {
		t.Fatalf("closed at %s, %s", n.At, n.Status)
	}
}
