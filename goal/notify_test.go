package goal

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

func baseRow() Row {
	return Row{Goal: "leads", Name: "50 leads", Participant: "anna", Kind: User, Label: "2025-03",
		Period: period.Period{Grain: period.Month, Start: d("2025-03-01"), End: d("2025-04-01")},
		State:  StateActive, Direction: score.HigherIsBetter, Measure: Cumulative, Started: true, Date: d("2025-03-10"),
		Target: nd("50"), Actual: nd("10"), Forecast: nd("50"), Status: OnTrack, DaysLeft: 22}
}

func TestNotify(t *testing.T) {
	all := []NotifyRule{{On: NotifyMilestoneReached}, {On: NotifyAchieved}, {On: NotifyAtRisk}, {On: NotifyBackOnTrack},
		{On: NotifyDeadlineApproaching, Days: 3}, {On: NotifyDailyDigest}, {On: NotifyFailed}, {On: NotifyPeriodClosed}}
	tests := []struct {
		name  string
		rules []NotifyRule
		prev  func(*Row)
		next  func(*Row)
		want  []string // keys
	}{
		{"nothing changes", all, nil, nil, nil},
		{"a milestone", all, nil, func(r *Row) { r.Milestones = []string{"25%"} }, []string{"milestone_reached/leads/anna/2025-03/25%25"}},
		{"two milestones at once", all, func(r *Row) { r.Milestones = []string{"25%"} },
			func(r *Row) { r.Milestones = []string{"25%", "50%", "75%"} },
			[]string{"milestone_reached/leads/anna/2025-03/50%25", "milestone_reached/leads/anna/2025-03/75%25"}},
		{"achieved", all, nil, func(r *Row) { r.Status = Achieved }, []string{"achieved/leads/anna/2025-03/"}},
		{"at risk", all, nil, func(r *Row) { r.Status = AtRisk }, []string{"at_risk/leads/anna/2025-03/2025-03-10"}},
		{"off track from on track is at risk too", all, nil, func(r *Row) { r.Status = OffTrack }, []string{"at_risk/leads/anna/2025-03/2025-03-10"}},
		{"at risk to off track is no transition", all, func(r *Row) { r.Status = AtRisk }, func(r *Row) { r.Status = OffTrack }, nil},
		{"back on track", all, func(r *Row) { r.Status = OffTrack }, nil, []string{"back_on_track/leads/anna/2025-03/2025-03-10"}},
		{"threshold rule", []NotifyRule{{On: NotifyAtRisk, Threshold: nd("0.95")}}, nil,
			func(r *Row) { r.Forecast = nd("47") }, []string{"at_risk/leads/anna/2025-03/2025-03-10"}},
		{"threshold rule not crossed", []NotifyRule{{On: NotifyAtRisk, Threshold: nd("0.9")}}, nil,
			func(r *Row) { r.Forecast = nd("47"); r.Status = AtRisk }, nil},
		{"deadline", all, func(r *Row) { r.DaysLeft = 4 }, func(r *Row) { r.DaysLeft = 3 }, []string{"deadline_approaching/leads/anna/2025-03/3"}},
		{"deadline once", all, func(r *Row) { r.DaysLeft = 3 }, func(r *Row) { r.DaysLeft = 2 }, nil},
		{"no deadline once achieved", all, func(r *Row) { r.DaysLeft = 4; r.Status = Achieved }, func(r *Row) { r.DaysLeft = 3; r.Status = Achieved }, nil},
		{"digest on a new day", all, func(r *Row) { r.Date = d("2025-03-09") }, nil, []string{"daily_digest/leads/anna/2025-03/2025-03-10"}},
		{"no digest before the start", []NotifyRule{{On: NotifyDailyDigest}}, func(r *Row) { r.Date = d("2025-02-27"); r.Started = false },
			func(r *Row) { r.Date = d("2025-02-28"); r.Started = false }, nil},
		{"closed", all, func(r *Row) { r.Ended = true; r.Status = Failed; r.State = StateFailed },
			func(r *Row) { r.Ended = true; r.Status = Failed; r.State = StateClosed }, []string{"period_closed/leads/anna/2025-03/"}},
		{"failed", all, func(r *Row) { r.DaysLeft = 1 }, func(r *Row) { r.Ended = true; r.Status = Failed; r.State = StateFailed },
			[]string{"failed/leads/anna/2025-03/"}},
		{"failed and closed at once", all, func(r *Row) { r.DaysLeft = 1 }, func(r *Row) { r.Ended = true; r.Status = Failed; r.State = StateClosed },
			[]string{"failed/leads/anna/2025-03/", "period_closed/leads/anna/2025-03/"}},
		{"failed once", all, func(r *Row) { r.Ended = true; r.Status = Failed; r.State = StateFailed },
			func(r *Row) { r.Ended = true; r.Status = Failed; r.State = StateFailed; r.Date++ }, nil},
		{"a met target does not fail", all, func(r *Row) { r.DaysLeft = 1; r.Status = Achieved },
			func(r *Row) { r.Ended = true; r.Status = Achieved; r.State = StateAchieved }, nil},
		{"a rule not asked for", []NotifyRule{{On: NotifyDailyDigest}}, nil, func(r *Row) { r.Status = Achieved }, nil},
		{"draft", all, nil, func(r *Row) { r.State = StateDraft; r.Status = Achieved }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prev, next := baseRow(), baseRow()
			if tt.prev != nil {
				tt.prev(&prev)
			}
			if tt.next != nil {
				tt.next(&next)
			}
			var got []string
			for _, n := range Notify(tt.rules, &prev, &next, time.Time{}) {
				got = append(got, n.Key)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("keys = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNotifyMessage(t *testing.T) {
	prev, next := baseRow(), baseRow()
	next.Milestones = []string{"25%"}
	next.Actual = nd("13")
	at := time.Date(2025, 3, 12, 9, 30, 0, 0, time.UTC)
	ns := Notify([]NotifyRule{{On: NotifyMilestoneReached}}, &prev, &next, at)
	if len(ns) != 1 || ns[0].Message != `anna reached 25% of "50 leads" in 2025-03 (13 of 50)` || ns[0].Milestone != "25%" || !ns[0].At.Equal(at) {
		t.Fatalf("%+v", ns)
	}
	next = baseRow()
	next.Ended, next.Status, next.State, next.Actual = true, Failed, StateFailed, nd("41")
	ns = Notify([]NotifyRule{{On: NotifyFailed}}, &prev, &next, at)
	if len(ns) != 1 || ns[0].Kind != NotifyFailed || ns[0].Message != `"50 leads" failed for anna in 2025-03 (41 of 50)` {
		t.Fatalf("%+v", ns)
	}
	// A long number is shortened as formula's errors quote one: a target
	// of 10,000 places made a message of 10,000 characters. The
	// notification's numbers stay exact.
	next = baseRow()
	next.Ended, next.Status, next.State = true, Failed, StateFailed
	next.Actual, next.Target = decimal.NewNullDecimal(decimal.New(3, -10000)), decimal.NewNullDecimal(dec("123456789012345678901234567890.1234567891"))
	ns = Notify([]NotifyRule{{On: NotifyFailed}}, &prev, &next, at)
	if len(ns) != 1 || ns[0].Message != `"50 leads" failed for anna in 2025-03 (3e-10000 of 1.234567890123456…e29)` || !ns[0].Actual.Decimal.Equal(decimal.New(3, -10000)) {
		t.Fatalf("%+v", ns)
	}
}

// genRows draws a plausible history of one instance: days pass, the actual
// never falls, statuses move freely, and the instance may end and close.
func genRows(t *rapid.T) []Row {
	ms := []Milestone{{Percent: true, Value: dec("25")}, {Percent: true, Value: dec("50")}, {Percent: true, Value: dec("100")}}
	n := rapid.IntRange(1, 30).Draw(t, "n")
	var rows []Row
	r := baseRow()
	r.Date, r.DaysLeft, r.Started = d("2025-02-27"), 33, false
	actual := decimal.Zero
	for range n {
		r.Date += date.Date(rapid.IntRange(0, 2).Draw(t, "days"))
		r.DaysLeft = int(r.Period.End - r.Date)
		r.Started = r.Date >= r.Period.Start
		r.Ended = r.Date >= r.Period.End
		actual = actual.Add(decimal.NewFromInt(int64(rapid.IntRange(0, 8).Draw(t, "more"))))
		r.Actual = decimal.NewNullDecimal(actual)
		r.Milestones = reachedMilestones(ms, score.HigherIsBetter, r.Actual, r.Target)
		switch {
		case !r.Started:
			r.Status = NotStarted
		case r.Ended && actual.Cmp(dec("50")) >= 0:
			r.Status = Achieved
		case r.Ended:
			r.Status = Failed
		case actual.Cmp(dec("50")) >= 0:
			r.Status = Achieved
		default:
			r.Status = rapid.SampledFrom([]Status{OnTrack, AtRisk, OffTrack}).Draw(t, "status")
		}
		r.State = stateOf(StateActive, r.Status, r.Ended && rapid.Bool().Draw(t, "closed"))
		if len(rows) > 0 && rows[len(rows)-1].State == StateClosed {
			r.State = StateClosed
		}
		r.Forecast = decimal.NewNullDecimal(actual.Mul(dec("1.5")))
		rows = append(rows, r)
	}
	return rows
}

// Notifications fire on transitions only: replaying a state emits nothing;
// along a history, a milestone, achieved, the deadline and the close fire at
// most once, a digest at most once a day, and at_risk and back_on_track
// alternate.
func TestNotifyOncePerTransition(t *testing.T) {
	rules := []NotifyRule{{On: NotifyMilestoneReached}, {On: NotifyAchieved}, {On: NotifyAtRisk}, {On: NotifyBackOnTrack},
		{On: NotifyDeadlineApproaching, Days: 5}, {On: NotifyDailyDigest}, {On: NotifyFailed}, {On: NotifyPeriodClosed}}
	rapid.Check(t, func(t *rapid.T) {
		rows := genRows(t)
		seen := map[string]int{}
		lastRisk := ""
		var prev *Row
		for i := range rows {
			r := &rows[i]
			if again := Notify(rules, r, r, time.Time{}); len(again) != 0 {
				t.Fatalf("replaying a state emitted %v", again[0].Key)
			}
			for _, n := range Notify(rules, prev, r, time.Time{}) {
				seen[n.Key]++
				switch n.Kind {
				case NotifyAtRisk, NotifyBackOnTrack:
					if string(n.Kind) == lastRisk {
						t.Fatalf("%s twice in a row", n.Kind)
					}
					lastRisk = string(n.Kind)
				default:
					if seen[n.Key] > 1 {
						t.Fatalf("%s emitted %d times", n.Key, seen[n.Key])
					}
				}
			}
			prev = r
		}
		// Every milestone reached by the end was announced once.
		last := rows[len(rows)-1]
		for _, m := range last.Milestones {
			if last.State == StateClosed {
				break
			}
			if seen[fmt.Sprintf("milestone_reached/leads/anna/2025-03/%s", urlEscape(m))] != 1 {
				t.Fatalf("milestone %s announced %d times", m, seen[m])
			}
		}
	})
}

func urlEscape(s string) string { return notificationKey("", s)[1:] }

// Evaluating at successive instants, each from the one before, announces
// each milestone, the achievement and the deadline once, and every
// milestone reached in the end was announced.
func TestEvaluationNotifiesOnce(t *testing.T) {
	s, cal := transitionPlan(t, func(d *Def) {
		d.Target = dp("12")
		d.Milestones = []Milestone{{Percent: true, Value: dec("25")}, {Percent: true, Value: dec("50")}, {Value: dec("9")}, {Percent: true, Value: dec("100")}}
		d.Notify = []NotifyRule{{On: NotifyMilestoneReached}, {On: NotifyAchieved}, {On: NotifyDeadlineApproaching, Days: 5}, {On: NotifyDailyDigest}}
	})
	rapid.Check(t, func(t *rapid.T) {
		var src events
		for i := range rapid.IntRange(0, 20).Draw(t, "leads") {
			day := d("2025-03-01") + date.Date(rapid.IntRange(0, 30).Draw(t, "day"))
			src = append(src, ev(fmt.Sprint("l", i), "lead.created", "anna", cal.Midnight(day).Add(time.Duration(rapid.IntRange(0, 23).Draw(t, "hour"))*time.Hour)))
		}
		instant := cal.Midnight(d("2025-02-27"))
		since := instant
		seen := map[string]int{}
		var last Row
		for range rapid.IntRange(1, 12).Draw(t, "evaluations") {
			instant = instant.Add(time.Duration(rapid.IntRange(1, 96).Draw(t, "hours")) * time.Hour)
			res, err := s.Evaluate(context.Background(), snapshot(s, src), Request{AsOf: instant, Since: since, From: d("2025-03-01"), To: d("2025-04-01")})
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range res.Notifications {
				seen[n.Key]++
				if seen[n.Key] > 1 {
					t.Fatalf("%s emitted twice", n.Key)
				}
			}
			last = *res.Rows[0]
			since = instant
		}
		for _, m := range last.Milestones {
			if seen["milestone_reached/leads/anna/2025-03/"+urlEscape(m)] != 1 {
				t.Fatalf("milestone %s reached but not announced (%v)", m, seen)
			}
		}
		if last.Status == Achieved && seen["achieved/leads/anna/2025-03/"] != 1 {
			t.Fatalf("achieved but not announced")
		}
	})
}

// BenchmarkNotifyMessage is a milestone's notification and its message
// (two numbers of a few digits).
func BenchmarkNotifyMessage(b *testing.B) {
	prev, next := baseRow(), baseRow()
	next.Milestones = []string{"25%"}
	next.Actual = nd("13.25")
	at := time.Date(2025, 3, 12, 9, 30, 0, 0, time.UTC)
	rules := []NotifyRule{{On: NotifyMilestoneReached}}
	for b.Loop() {
		Notify(rules, &prev, &next, at)
	}
}
