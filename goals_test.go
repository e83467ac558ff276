package goalkit_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// seedDirectory is the sales department of the seed's examples.
type seedDirectory struct{}

func (seedDirectory) Units(context.Context) ([]org.Unit, error) {
	return []org.Unit{{ID: "company"}, {ID: "sales", Parent: "company", Head: "hanna"}, {ID: "support", Parent: "company"}}, nil
}

func (seedDirectory) Memberships(context.Context) ([]org.Membership, error) {
	return []org.Membership{
		{User: "anna", Unit: "sales"}, {User: "boris", Unit: "sales"}, {User: "vera", Unit: "sales"},
		{User: "hanna", Unit: "sales"}, {User: "sofia", Unit: "support"},
	}, nil
}

// seedEvents are the events of the seed's examples, in Moscow time:
//
//   - leads, from Monday 3 March to Friday 14 March 2025, each working day:
//     anna 2 (the first from the website), boris 1, vera 3;
//   - deals won: in February anna 100 000 and boris 300 000; in March anna
//     20 000 on the 5th, then in the week of the 10th anna 30 000, 40 000 and
//     50 000 (Mon–Wed), boris 60 000 (Tue) and 20 000 (Thu), vera 10 000
//     twice on Thursday and twice on Friday;
//   - marketing spend of 6 000 on the 3rd and 3 000 on the 10th.
func seedEvents(t *testing.T, loc *time.Location) *memory.Store {
	var evs []kpi.Event
	at := func(s string, hour int) time.Time {
		y, m, dd := day(t, s).Date()
		return time.Date(y, m, dd, hour, 0, 0, 0, loc)
	}
	n := 0
	add := func(kind, actor string, when time.Time, amount, source string) {
		n++
		e := kpi.Event{ID: fmt.Sprintf("e%03d", n), Kind: kind, Actor: actor, Time: when}
		if amount != "" {
			e.Amount = decimal.NewNullDecimal(decimal.RequireFromString(amount))
			e.Currency = "RUB"
		}
		if source != "" {
			e.Attrs = map[string]any{"source": source}
		}
		evs = append(evs, e)
	}
	for d := date.New(2025, 3, 3); d <= date.New(2025, 3, 14); d++ {
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		day := d.String()
		add("lead.created", "anna", at(day, 10), "", "web")
		add("lead.created", "anna", at(day, 11), "", "phone")
		add("lead.created", "boris", at(day, 10), "", "phone")
		for h := 10; h < 13; h++ {
			add("lead.created", "vera", at(day, h), "", "partner")
		}
	}
	add("deal.won", "anna", at("2025-02-10", 12), "100000", "")
	add("deal.won", "boris", at("2025-02-20", 12), "300000", "")
	add("deal.won", "anna", at("2025-03-05", 12), "20000", "")
	add("deal.won", "anna", at("2025-03-10", 12), "30000", "")
	add("deal.won", "anna", at("2025-03-11", 12), "40000", "")
	add("deal.won", "anna", at("2025-03-12", 12), "50000", "")
	add("deal.won", "boris", at("2025-03-11", 15), "60000", "")
	add("deal.won", "boris", at("2025-03-13", 15), "20000", "")
	add("deal.won", "vera", at("2025-03-13", 11), "10000", "")
	add("deal.won", "vera", at("2025-03-13", 12), "10000", "")
	add("deal.won", "vera", at("2025-03-14", 11), "10000", "")
	add("deal.won", "vera", at("2025-03-14", 12), "10000", "")
	add("marketing.spend", "marketing", at("2025-03-03", 9), "6000", "")
	add("marketing.spend", "marketing", at("2025-03-10", 9), "3000", "")
	return storeOf(t, loc, evs...)
}

// rat parses a decimal string exactly.
func rat(t *testing.T, s string) *big.Rat {
	t.Helper()
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		t.Fatalf("not a number: %q", s)
	}
	return r
}

// frac is a/b.
func frac(a, b int64) *big.Rat { return big.NewRat(a, b) }

func mul(xs ...*big.Rat) *big.Rat {
	r := big.NewRat(1, 1)
	for _, x := range xs {
		r.Mul(r, x)
	}
	return r
}

func quo(a, b *big.Rat) *big.Rat { return new(big.Rat).Quo(a, b) }

// near reports whether the reported decimal equals the exact value, to the
// 16 significant digits a non-terminating quotient keeps.
func near(t *testing.T, reported string, exact *big.Rat) bool {
	t.Helper()
	diff := new(big.Rat).Sub(rat(t, reported), exact)
	diff.Abs(diff)
	tol := new(big.Rat).Abs(exact)
	tol.Mul(tol, big.NewRat(1, 1_000_000_000_000_000)) // 1e-15 relative
	return diff.Cmp(tol) <= 0
}

// TestGoalsSeedReport evaluates the seed's goals on Friday 14 March 2025 at
// 18:00 Moscow time and compares the whole report with the golden files;
// then it checks the key numbers against a computation by hand.
func TestGoalsSeedReport(t *testing.T) {
	plan := seedPlan(t)
	loc := plan.Calendar().Location()
	store := seedEvents(t, loc)
	asOf := time.Date(2025, 3, 14, 18, 0, 0, 0, loc)
	rep := mustEvaluate(t, plan, store, asOf, goalkit.WithDirectory(seedDirectory{}), goalkit.WithSeries())
	checkReportGolden(t, rep, "goals/seed.golden")

	// The report's goal rows, read back from the JSON.
	var doc struct {
		Goals         []map[string]any `json:"goals"`
		Notifications []map[string]any `json:"notifications"`
	}
	if err := json.Unmarshal(reportJSON(t, rep), &doc); err != nil {
		t.Fatal(err)
	}
	row := func(g, p string) map[string]any {
		for _, r := range doc.Goals {
			if r["goal"] == g && r["participant"] == p {
				return r
			}
		}
		t.Fatalf("no row %s/%s", g, p)
		return nil
	}
	check := func(r map[string]any, key string, want *big.Rat) {
		t.Helper()
		s, ok := r[key].(string)
		if !ok || !near(t, s, want) {
			t.Errorf("%s/%s %s = %v, want %s", r["goal"], r["participant"], key, r[key], want.FloatString(16))
		}
	}
	is := func(r map[string]any, key string, want any) {
		t.Helper()
		if fmt.Sprint(r[key]) != fmt.Sprint(want) {
			t.Errorf("%s/%s %s = %v, want %v", r["goal"], r["participant"], key, r[key], want)
		}
	}

	// March 2025 has 21 working days (Monday to Friday, no holidays in the
	// plan); by Friday the 14th at 18:00, 9 whole ones and 18/24 of the
	// tenth have passed: 39/84 of the month's working time.
	workShare := quo(frac(39, 4), big.NewRat(21, 1))

	// "50 new leads per month": anna 2 leads × 10 days, boris 10, vera 30.
	for _, c := range []struct {
		who    string
		actual int64
		status string
		rank   int
	}{{"anna", 20, "at_risk", 2}, {"boris", 10, "off_track", 3}, {"vera", 30, "on_track", 1}} {
		r := row("leads50", c.who)
		actual := big.NewRat(c.actual, 1)
		check(r, "actual", actual)
		check(r, "target", big.NewRat(50, 1))
		check(r, "achievement", frac(c.actual, 50))
		check(r, "expected", mul(big.NewRat(50, 1), workShare))
		forecast := quo(actual, workShare)
		check(r, "forecast", forecast)
		check(r, "remaining", big.NewRat(50-c.actual, 1))
		is(r, "status", c.status)
		is(r, "rank", c.rank)
		is(r, "forecast_method", "run_rate_workdays")
		is(r, "days_left", 18)     // 14th to 31st
		is(r, "workdays_left", 12) // 14th, then 17–21, 24–28, 31
		// The status follows the forecast achievement: ≥ 1 on track, ≥ 0.8 at risk.
		fa := quo(forecast, big.NewRat(50, 1))
		want := "off_track"
		switch {
		case fa.Cmp(big.NewRat(1, 1)) >= 0:
			want = "on_track"
		case fa.Cmp(big.NewRat(4, 5)) >= 0:
			want = "at_risk"
		}
		is(r, "status", want)
	}

	// "10 deals closed by the end of the week": the sales team together,
	// anna 3 + boris 2 + vera 4 = 9 in the ISO week 11; 4.75 of its 5
	// working days have passed.
	r := row("deals10", "sales")
	is(r, "period", "2025-W11")
	is(r, "participant_kind", "team")
	check(r, "actual", big.NewRat(9, 1))
	check(r, "expected", mul(big.NewRat(10, 1), frac(19, 20)))
	check(r, "forecast", quo(big.NewRat(9, 1), frac(19, 20)))
	check(r, "achievement", frac(9, 10))
	is(r, "status", "at_risk") // 9.47 / 10
	is(r, "days_left", 3)

	// "Sales +25 %": February's 400 000 × 1.25 = 500 000; March so far
	// 20 000 + 30 000 + 40 000 + 50 000 + 60 000 + 20 000 + 4 × 10 000.
	r = row("sales25", "*")
	march := big.NewRat(20000+30000+40000+50000+60000+20000+4*10000, 1)
	check(r, "target", mul(big.NewRat(400000, 1), frac(5, 4)))
	check(r, "actual", march)
	check(r, "previous", big.NewRat(400000, 1))
	check(r, "delta_previous", new(big.Rat).Sub(march, big.NewRat(400000, 1)))
	check(r, "expected", mul(big.NewRat(500000, 1), workShare))
	check(r, "forecast", quo(march, workShare))
	is(r, "status", "on_track")

	// Cost per lead ≤ 500, lower is better: 9 000 spent over 60 leads.
	r = row("cpl500", "*")
	cpl := quo(big.NewRat(9000, 1), big.NewRat(60, 1))
	check(r, "actual", cpl)
	check(r, "achievement", quo(big.NewRat(500, 1), cpl))
	check(r, "achievement_capped", big.NewRat(1, 1))
	check(r, "expected", big.NewRat(500, 1))
	check(r, "remaining", big.NewRat(0, 1))
	is(r, "measure", "level")
	is(r, "status", "on_track")

	// Website leads: anna's first lead each day, 10, against 20 by a linear
	// pace: 13.75 of March's 31 days have passed.
	r = row("web_leads", "anna")
	check(r, "actual", big.NewRat(10, 1))
	check(r, "expected", mul(big.NewRat(20, 1), quo(frac(55, 4), big.NewRat(31, 1))))
	is(r, "pace", "linear")

	// Today's transitions: the team passed 75 % (7 → 9 of 10) and came
	// within 3 days of the end; the company's digest.
	var keys []string
	for _, n := range doc.Notifications {
		keys = append(keys, n["key"].(string))
	}
	want := "milestone_reached/deals10/sales/2025-W11/75%25 deadline_approaching/deals10/sales/2025-W11/3 daily_digest/sales25/%2A/2025-03/2025-03-14"
	if got := strings.Join(keys, " "); got != want {
		t.Errorf("notifications %s\nwant %s", got, want)
	}
}

// TestGoalsForViewer: anna sees her own rows, her team's and the company's;
// hanna, the head of sales, sees all of sales.
func TestGoalsForViewer(t *testing.T) {
	plan := seedPlan(t)
	loc := plan.Calendar().Location()
	asOf := time.Date(2025, 3, 14, 18, 0, 0, 0, loc)
	ctx := context.Background()
	rep := mustEvaluate(t, plan, seedEvents(t, loc), asOf, goalkit.WithDirectory(seedDirectory{}))
	org, err := org.Load(ctx, seedDirectory{})
	if err != nil {
		t.Fatal(err)
	}
	pol := goal.DefaultVisibility{Org: org, Date: date.New(2025, 3, 14)}
	who := func(r *goalkit.Report) string {
		var out []string
		for _, g := range r.Goals.Rows {
			out = append(out, g.Goal+"/"+g.Participant)
		}
		return strings.Join(out, " ")
	}
	if got := who(rep.ForViewer(goal.Viewer{User: "anna"}, pol)); got != "leads50/anna deals10/sales sales25/* cpl500/* web_leads/anna" {
		t.Errorf("anna sees %s", got)
	}
	if got := who(rep.ForViewer(goal.Viewer{User: "hanna"}, pol)); got != "leads50/anna leads50/boris leads50/vera deals10/sales sales25/* cpl500/* web_leads/anna" {
		t.Errorf("hanna sees %s", got)
	}
	if got := who(rep.ForViewer(goal.Viewer{User: "sofia"}, pol)); got != "sales25/* cpl500/*" {
		t.Errorf("sofia sees %s", got)
	}
	if s := string(reportJSON(t, rep.ForViewer(goal.Viewer{User: "sofia"}, pol))); strings.Contains(s, `"anna"`) || strings.Contains(s, `"boris"`) || !strings.Contains(s, `"participant": "*"`) {
		t.Errorf("sofia's report shows other people's values:\n%s", s)
	}
}

// TestCloseGoalAndLint closes February of "sales +25 %" with a next-target
// rule, and lints the seed plan.
func TestCloseGoal(t *testing.T) {
	def := seedDef(t)
	def.Goals[2].Close.NextTarget = "max(target, actual * 1.1)"
	plan := compile(t, def)
	loc := plan.Calendar().Location()
	store := seedEvents(t, loc)
	feb, err := plan.Calendar().ParseLabel("2025-02")
	if err != nil {
		t.Fatal(err)
	}
	c, err := plan.CloseGoal(context.Background(), store, time.Date(2025, 3, 1, 9, 0, 0, 0, loc), "sales25", feb)
	if err != nil {
		t.Fatal(err)
	}
	// February's target came from January (nothing: 0); its 400 000 sets
	// March's: max(0, 400 000 × 1.1) = 440 000.
	if len(c.Records) != 1 || c.Records[0].Actual.Decimal.String() != "400000" || c.Records[0].NextTarget.Decimal.String() != "440000" ||
		c.Next == nil || c.Next.Label != "2025-03" || c.Next.Targets[0].Target.Decimal.String() != "440000" {
		t.Fatalf("closing: %+v next %+v", c.Records, c.Next)
	}
	_ = period.Month
}

func TestLintSeed(t *testing.T) {
	def := seedDef(t)
	def.Goals = append(def.Goals, goal.Def{ID: "big", Indicator: "revenue", Target: goalkit.Number("1200000"),
		Period: goal.PeriodDef{From: date.New(2025, 3, 1), Every: period.Month}, Participants: goal.ParticipantsDef{Users: []string{"boris"}}})
	loc, _ := time.LoadLocation("Europe/Moscow")
	fs, err := goalkit.Lint(context.Background(), def, seedEvents(t, loc), time.Date(2025, 3, 14, 18, 0, 0, 0, loc))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		got = append(got, f.String())
	}
	want := []string{"seed.yaml:32: warning: goals[5].target: target 1 200 000 for boris is 4.0× the best month of the last 12 (300 000)"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lint:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
