package goal

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"pgregory.net/rapid"
)

func salesPlan(t testing.TB, mod func(*Def)) (*Set, *period.Calendar) {
	cal := enginetest.Calendar(t, "Europe/Berlin")
	inds := []kpi.IndicatorDef{{ID: "revenue", Kinds: []string{"deal.won"}, Aggregate: "sum", Value: "amount"}}
	def := Def{ID: "sales", Name: "Sales", Indicator: "revenue", Target: dp("1000"),
		Period:       PeriodDef{From: d("2025-01-01"), Every: period.Month},
		Participants: ParticipantsDef{Users: []string{"anna", "boris"}},
		Close:        CloseDef{NextTarget: "max(target, actual * 1.1)"},
		Notify:       []NotifyRule{{On: NotifyPeriodClosed}}}
	if mod != nil {
		mod(&def)
	}
	return mustCompile(t, cal, inds, def), cal
}

func deal(cal *period.Calendar, id, actor, when, amount string) kpi.Event {
	e := ev(id, "deal.won", actor, enginetest.At(cal, when))
	e.Amount = nd(amount)
	return e
}

func TestCloseNextTarget(t *testing.T) {
	s, cal := salesPlan(t, nil)
	src := events{
		deal(cal, "d1", "anna", "2025-01-10 10:00", "700"),
		deal(cal, "d2", "anna", "2025-01-20 10:00", "500"),  // anna: 1200 → next max(1000, 1320) = 1320
		deal(cal, "d3", "boris", "2025-01-15 10:00", "400"), // boris: 400 → next max(1000, 440) = 1000
	}
	jan := cal.Containing(period.Month, d("2025-01-15"))
	ctx := context.Background()
	if _, err := s.Close(ctx, snapshot(s, src), Request{AsOf: enginetest.At(cal, "2025-01-31 18:00")}, "sales", jan); err == nil ||
		err.Error() != "goal sales: 2025-01 has not ended (it ends at 2025-02-01 00:00 CET)" {
		t.Fatalf("early close: %v", err)
	}
	closedAt := enginetest.At(cal, "2025-02-01 09:00")
	c, err := s.Close(ctx, snapshot(s, src), Request{AsOf: closedAt}, "sales", jan)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range c.Records {
		got[r.Participant] = fmt.Sprintf("%s/%s %s next %s", str(r.Actual), str(r.Target), r.Status, str(r.NextTarget))
	}
	want := map[string]string{"anna": "1200/1000 achieved next 1320", "boris": "400/1000 failed next 1000"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("records = %v, want %v", got, want)
	}
	if c.Next == nil || c.Next.Label != "2025-02" || fmt.Sprint(targets(c.Next)) != "[anna:1320 boris:1000]" {
		t.Fatalf("next = %+v", c.Next)
	}
	if len(c.Notifications) != 2 || c.Notifications[0].Kind != NotifyPeriodClosed || c.Notifications[0].Key != "period_closed/sales/anna/2025-01/" ||
		!c.Notifications[0].At.Equal(closedAt) {
		t.Fatalf("notifications = %+v", c.Notifications)
	}
	// February evaluates with the records: anna's target is the one set at
	// the close, and January is closed.
	res, err := s.Evaluate(ctx, snapshot(s, src), Request{AsOf: enginetest.At(cal, "2025-02-10 12:00"), From: d("2025-01-01"), To: d("2025-03-01"), Records: c.Records})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Rows {
		if r.Label == "2025-01" && (r.State != StateClosed || !r.ClosedAt.Equal(closedAt)) {
			t.Errorf("january %s: state %s closed at %s", r.Participant, r.State, r.ClosedAt)
		}
	}
	if r := rowFor(t, res, "sales", "anna"); r.Label != "2025-01" {
		t.Fatalf("rows out of order: %v", r.Label)
	}
	for _, r := range res.Rows {
		if r.Label == "2025-02" && r.Participant == "anna" && str(r.Target) != "1320" {
			t.Errorf("february target for anna = %s, want 1320", str(r.Target))
		}
	}
	// Without records, the rule applies to the results as they stand: the
	// same targets.
	res, err = s.Evaluate(ctx, snapshot(s, src), Request{AsOf: enginetest.At(cal, "2025-02-10 12:00"), From: d("2025-02-01"), To: d("2025-03-01")})
	if err != nil {
		t.Fatal(err)
	}
	if r := rowFor(t, res, "sales", "anna"); str(r.Target) != "1320" {
		t.Errorf("february target for anna without records = %s, want 1320", str(r.Target))
	}
	if b, err := json.Marshal(c.Records[0]); err != nil || string(b) != `{"goal":"sales","participant":"anna","participant_kind":"user","period_start":"2025-01-01","period_end":"2025-02-01","closed_at":"2025-02-01T08:00:00Z","target":"1000","actual":"1200","achievement":"1.2","status":"achieved","next_target":"1320"}` {
		t.Errorf("record JSON = %s, %v", b, err)
	}
	var back Record
	b, _ := json.Marshal(c.Records[0])
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(normRecord(back), normRecord(c.Records[0])) {
		t.Errorf("record round trip: %+v, %v", back, err)
	}
}

func normRecord(r Record) string {
	b, _ := json.Marshal(r)
	return string(b)
}

func targets(n *NextInstance) []string {
	var out []string
	for _, t := range n.Targets {
		out = append(out, t.Participant+":"+str(t.Target))
	}
	return out
}

func TestCorrectionPolicies(t *testing.T) {
	for _, policy := range []Policy{Freeze, Restate} {
		t.Run(string(policy), func(t *testing.T) {
			s, cal := salesPlan(t, func(d *Def) { d.Close.Corrections = policy; d.Close.NextTarget = "" })
			src := events{deal(cal, "d1", "anna", "2025-01-10 10:00", "1200")}
			jan := cal.Containing(period.Month, d("2025-01-15"))
			ctx := context.Background()
			c, err := s.Close(ctx, snapshot(s, src), Request{AsOf: enginetest.At(cal, "2025-02-01 09:00")}, "sales", jan)
			if err != nil {
				t.Fatal(err)
			}
			// A correction arrives: the deal was 800, not 1200.
			late := append(src, deal(cal, "d1", "anna", "2025-01-10 10:00", "800"))
			req := Request{AsOf: enginetest.At(cal, "2025-02-05 12:00"), From: d("2025-01-01"), To: d("2025-02-01"), Records: c.Records}
			res, err := s.Evaluate(ctx, snapshot(s, late), req)
			if err != nil {
				t.Fatal(err)
			}
			r := rowFor(t, res, "sales", "anna")
			if len(res.Corrections) != 1 {
				t.Fatalf("corrections = %+v", res.Corrections)
			}
			cr := res.Corrections[0]
			if str(cr.Before.Actual) != "1200" || cr.Before.Status != Achieved || str(cr.After.Actual) != "800" || cr.After.Status != Failed || cr.Policy != policy {
				t.Fatalf("correction = %+v", cr)
			}
			switch policy {
			case Freeze:
				if str(r.Actual) != "1200" || r.Status != Achieved || cr.Applied || len(res.Notifications) != 0 {
					t.Fatalf("freeze: row %s %s, applied %v, notifications %v", str(r.Actual), r.Status, cr.Applied, res.Notifications)
				}
			case Restate:
				if str(r.Actual) != "800" || r.Status != Failed || !cr.Applied || len(res.Notifications) != 1 ||
					res.Notifications[0].Kind != NotifyRestated || str(res.Notifications[0].Before) != "1200" {
					t.Fatalf("restate: row %s %s, applied %v, notifications %+v", str(r.Actual), r.Status, cr.Applied, res.Notifications)
				}
			}
			// Closing again keeps the record.
			c2, err := s.Close(ctx, snapshot(s, late), Request{AsOf: enginetest.At(cal, "2025-02-06 09:00"), Records: c.Records}, "sales", jan)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(c2.Records, c.Records) {
				t.Fatalf("second close changed the records: %+v", c2.Records)
			}
		})
	}
}

// An automatic close closes the instance by time: its state becomes closed
// and period_closed fires on the day it happens.
func TestAutoClose(t *testing.T) {
	s, cal := salesPlan(t, func(d *Def) {
		d.Close = CloseDef{Auto: true, AfterDays: 2}
		d.Notify = []NotifyRule{{On: NotifyPeriodClosed}}
	})
	src := events{deal(cal, "d1", "anna", "2025-01-10 10:00", "1200")}
	ctx := context.Background()
	eval := func(asOf string) *Result {
		res, err := s.Evaluate(ctx, snapshot(s, src), Request{AsOf: enginetest.At(cal, asOf), From: d("2025-01-01"), To: d("2025-02-01")})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if r := rowFor(t, eval("2025-02-02 23:00"), "sales", "anna"); r.State != StateAchieved {
		t.Fatalf("before the close: %s", r.State)
	}
	res := eval("2025-02-03 08:00")
	r := rowFor(t, res, "sales", "anna")
	if r.State != StateClosed || str(r.Actual) != "1200" || !r.ClosedAt.Equal(enginetest.At(cal, "2025-02-03 00:00")) {
		t.Fatalf("row %s %s closed %s", r.State, str(r.Actual), r.ClosedAt)
	}
	if len(res.Notifications) != 2 || res.Notifications[0].Kind != NotifyPeriodClosed || res.Notifications[0].Key != "period_closed/sales/anna/2025-01/" {
		t.Fatalf("notifications = %+v", res.Notifications)
	}
	// The next day, nothing new.
	if res := eval("2025-02-04 08:00"); len(res.Notifications) != 0 {
		t.Fatalf("notifications the day after = %+v", res.Notifications)
	}
}

// Closing is idempotent: closing again with the records of the first close
// gives the same records, next instance and notifications, whatever events
// arrived in between.
func TestCloseIdempotent(t *testing.T) {
	s, cal := salesPlan(t, nil)
	jan := cal.Containing(period.Month, d("2025-01-15"))
	rapid.Check(t, func(t *rapid.T) {
		gen := func(label string) events {
			var es events
			n := rapid.IntRange(0, 8).Draw(t, label+"_n")
			for range n {
				who := rapid.SampledFrom([]string{"anna", "boris", "carl"}).Draw(t, label+"_who")
				day := rapid.IntRange(1, 40).Draw(t, label+"_day")
				amount := rapid.IntRange(0, 900).Draw(t, label+"_amount")
				id := fmt.Sprintf("d%d", rapid.IntRange(0, 10).Draw(t, label+"_id"))
				es = append(es, deal(cal, id, who, d("2025-01-01").AddDate(0, 0, day-1).String()+" 12:00", fmt.Sprint(amount)))
			}
			return es
		}
		first := gen("first")
		ctx := context.Background()
		c1, err := s.Close(ctx, snapshot(s, first), Request{AsOf: enginetest.At(cal, "2025-02-01 09:00")}, "sales", jan)
		if err != nil {
			t.Fatal(err)
		}
		again, err := s.Close(ctx, snapshot(s, first), Request{AsOf: enginetest.At(cal, "2025-02-01 09:00")}, "sales", jan)
		if err != nil || !reflect.DeepEqual(again, c1) {
			t.Fatalf("closing twice the same way differs: %v", err)
		}
		later := append(first, gen("later")...)
		c2, err := s.Close(ctx, snapshot(s, later), Request{AsOf: enginetest.At(cal, "2025-02-20 09:00"), Records: c1.Records}, "sales", jan)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(c1.Records, c2.Records) || !reflect.DeepEqual(c1.Next, c2.Next) || !c1.ClosedAt.Equal(c2.ClosedAt) {
			t.Fatalf("second close differs:\n%+v\n%+v", c1, c2)
		}
		if len(c1.Notifications) != len(c2.Notifications) {
			t.Fatalf("notifications differ: %d vs %d", len(c1.Notifications), len(c2.Notifications))
		}
		for i := range c1.Notifications {
			if c1.Notifications[i].Key != c2.Notifications[i].Key || !c1.Notifications[i].At.Equal(c2.Notifications[i].At) {
				t.Fatalf("notification %d differs: %s vs %s", i, c1.Notifications[i].Key, c2.Notifications[i].Key)
			}
		}
	})
}
