package main

import (
	"context"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/examples/internal/exampletest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
)

func TestGolden(t *testing.T) {
	for _, name := range []string{"sales", "marketing", "support"} {
		t.Run(name, func(t *testing.T) {
			exampletest.CheckOutput(t, filepath.Join("testdata", name+".golden"), func(w io.Writer) error {
				return run(context.Background(), w, name)
			})
		})
	}
}

// rat parses a decimal as an exact rational.
var rat = exampletest.Rat

// round rounds r half away from zero to places decimal places, by hand.
func round(r *big.Rat, places int) *big.Rat {
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil)
	x := new(big.Rat).Mul(r, new(big.Rat).SetInt(scale))
	num, den := new(big.Int).Set(x.Num()), x.Denom()
	neg := num.Sign() < 0
	num.Abs(num)
	q, m := new(big.Int).QuoRem(num, den, new(big.Int))
	if new(big.Int).Mul(m, big.NewInt(2)).Cmp(den) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if neg {
		q.Neg(q)
	}
	return new(big.Rat).SetFrac(q, scale)
}

// line is the value at x of the line through (x0, y0) and (x1, y1).
func line(x, x0, y0, x1, y1 *big.Rat) *big.Rat {
	slope := new(big.Rat).Quo(new(big.Rat).Sub(y1, y0), new(big.Rat).Sub(x1, x0))
	return new(big.Rat).Add(y0, new(big.Rat).Mul(slope, new(big.Rat).Sub(x, x0)))
}

func clamp(x *big.Rat, lo, hi string) *big.Rat {
	if lo != "" && x.Cmp(rat(lo)) < 0 {
		return rat(lo)
	}
	if hi != "" && x.Cmp(rat(hi)) > 0 {
		return rat(hi)
	}
	return x
}

func ratOf(d decimal.Decimal) *big.Rat { return rat(d.String()) }

// TestSalesByHand recomputes the sales example's March from the generated
// events with plain loops and exact rationals, apart from the engine, and
// checks every total, the sales bonus and the pool against the report.
func TestSalesByHand(t *testing.T) {
	rep, _, err := evaluate(context.Background(), "sales")
	if err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		t.Fatal(err)
	}
	pc, err := period.LoadCalendar("Europe/Moscow")
	if err != nil {
		t.Fatal(err)
	}
	events := salesEvents(pc)
	inMarch := func(e kpi.Event) bool {
		l := e.Time.In(loc)
		return l.Year() == 2025 && l.Month() == time.March
	}
	type tally struct {
		revenue              *big.Rat
		deals, won, meetings int64
		clients              map[string]bool
	}
	by := map[string]*tally{}
	for _, r := range salesReps {
		by[r.id] = &tally{revenue: new(big.Rat), clients: map[string]bool{}}
	}
	for _, e := range events {
		if !inMarch(e) {
			continue
		}
		x := by[e.Actor]
		switch e.Kind {
		case "deal.created":
			x.deals++
		case "meeting":
			x.meetings++
		case "deal.won":
			x.won++
			x.revenue.Add(x.revenue, ratOf(e.Amount.Decimal))
			if e.Attrs["new_client"] == true {
				x.clients[e.Attrs["client"].(string)] = true
			}
		}
	}
	pool := new(big.Rat)
	cards := rep.Scores.Cards("sales")
	if len(cards) != len(salesReps) {
		t.Fatalf("%d cards, want %d", len(cards), len(salesReps))
	}
	checked := 0
	for _, c := range cards {
		x := by[c.Participant]
		// revenue: 250 000 → 0, 500 000 → 100, 750 000 → 150, capped at 150
		rev := x.revenue
		var sRev *big.Rat
		if rev.Cmp(rat("500000")) < 0 {
			sRev = line(rev, rat("250000"), rat("0"), rat("500000"), rat("100"))
		} else {
			sRev = line(rev, rat("500000"), rat("100"), rat("750000"), rat("150"))
		}
		sRev = clamp(round(sRev, 2), "0", "150")
		// new clients: 0 → 0, 10 → 100, capped at 150
		sNew := clamp(round(line(big.NewRat(int64(len(x.clients)), 1), rat("0"), rat("0"), rat("10"), rat("100")), 2), "0", "150")
		// conversion (won / deals × 100): 5 → 0, 15 → 100, capped at 150
		conv := big.NewRat(x.won*100, x.deals)
		sConv := clamp(round(line(conv, rat("5"), rat("0"), rat("15"), rat("100")), 2), "0", "150")
		// meetings: the step table
		sMeet := rat("0")
		for _, st := range [][2]int64{{15, 50}, {25, 80}, {30, 100}, {40, 120}} {
			if x.meetings >= st[0] {
				sMeet = big.NewRat(st[1], 1)
			}
		}
		total := new(big.Rat)
		for _, ws := range []struct {
			w int64
			s *big.Rat
		}{{40, sRev}, {25, sNew}, {20, sConv}, {15, sMeet}} {
			total.Add(total, new(big.Rat).Mul(big.NewRat(ws.w, 100), ws.s))
		}
		if rev.Cmp(rat("250000")) < 0 { // the revenue gate halves the total
			total.Mul(total, rat("0.5"))
		}
		if got := ratOf(c.Total); got.Cmp(total) != 0 {
			t.Errorf("%s: total %s, by hand %s", c.Participant, c.Total, total.FloatString(6))
		}
		// the sales bonus: nothing under 70; 50 % at 70, 100 % at 100, 175 %
		// at 130, at most 200 %; a quarter off when the gate trips
		want := new(big.Rat)
		if total.Cmp(rat("70")) >= 0 {
			var pct *big.Rat
			if total.Cmp(rat("100")) < 0 {
				pct = line(total, rat("70"), rat("50"), rat("100"), rat("100"))
			} else {
				pct = line(total, rat("100"), rat("100"), rat("130"), rat("175"))
			}
			pct = clamp(pct, "", "200")
			want.Mul(rat("600"), pct) // 60 000 × pct / 100
			if rev.Cmp(rat("250000")) < 0 {
				want.Mul(want, rat("0.75"))
			}
		}
		want = round(want, 2)
		for _, p := range rep.Scores.Bonuses {
			if p.Participant == c.Participant && p.Bonus == "sales_bonus" {
				checked++
				if ratOf(p.Amount).Cmp(want) != 0 {
					t.Errorf("%s: sales bonus %s, by hand %s", c.Participant, p.Amount, want.FloatString(2))
				}
			}
			if p.Participant == c.Participant && p.Bonus == "sales_pool" {
				pool.Add(pool, ratOf(p.Amount))
			}
		}
	}
	if checked != len(cards) {
		t.Errorf("checked %d bonuses, want %d", checked, len(cards))
	}
	if pool.Cmp(rat("100000")) != 0 {
		t.Errorf("the pool pays out %s, not 100 000", pool.FloatString(2))
	}
}

// TestSupportPoolsAddUp checks that each shift's pool is paid out to the
// kopeck.
func TestSupportPoolsAddUp(t *testing.T) {
	rep, _, err := evaluate(context.Background(), "support")
	if err != nil {
		t.Fatal(err)
	}
	sums := map[string]decimal.Decimal{}
	for _, p := range rep.Scores.Bonuses {
		sums[p.Pool.Team] = sums[p.Pool.Team].Add(p.Amount)
	}
	for _, team := range []string{"day_shift", "night_shift"} {
		if !sums[team].Equal(decimal.NewFromInt(90000)) {
			t.Errorf("%s: the pool pays out %s, not 90 000", team, sums[team])
		}
	}
}

// TestDocsScorecard compiles the scorecard, bonuses, leaderboards, badges
// and competitions docs/scorecards.md shows first over the indicators of
// sales.yaml, whose card the page's is: a reader who copies the block
// beside the plan's indicators gets a plan that compiles.
func TestDocsScorecard(t *testing.T) {
	block := exampletest.DocsBlock(t, "scorecards.md", "```yaml", "scorecards:\n")
	sales, err := plans.ReadFile("sales.yaml")
	if err != nil {
		t.Fatal(err)
	}
	head, _, ok := strings.Cut(string(sales), "\nscorecards:\n")
	if !ok {
		t.Fatal("sales.yaml has no scorecards")
	}
	src := head + "\nreport: {grain: month, from: 2025-03-01, to: 2025-04-01}\n" + block
	def, err := goalkit.ParseDefinition("scorecards.md", []byte(src))
	if err == nil {
		_, err = goalkit.Compile(def)
	}
	if err != nil {
		t.Errorf("the scorecards of docs/scorecards.md over the indicators of sales.yaml do not compile:\n%v", err)
	}
}

// TestDocsMinorUnits checks what docs/scorecards.md says of minor_units: it
// overrides the built-in table's places for a currency the table knows, so
// a bonus in RUB with minor_units: 0 pays whole roubles, and the one
// without it kopecks. The amounts are computed here by hand.
func TestDocsMinorUnits(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "scorecards.md"))
	if err != nil {
		t.Fatal(err)
	}
	page := strings.Join(strings.Fields(string(data)), " ")
	says := "`currency: RUB` with `minor_units: 0` pays whole roubles (an exact 133.32 is paid 133 under `half_up`)"
	if !strings.Contains(page, says) {
		t.Errorf("docs/scorecards.md does not say %q", says)
	}
	def, err := goalkit.ParseDefinition("plan.yaml", []byte(`timezone: UTC
indicators:
  - {id: a, kinds: [x], aggregate: count}
  - {id: b, kinds: [y], aggregate: count}
  - {id: c, kinds: [z], aggregate: count}
scorecards:
  - {id: s, grain: month, kpis: [{indicator: a, target: 3, weight: 40}, {indicator: b, target: 10, weight: 30}, {indicator: c, target: 10, weight: 30}]}
bonuses:
  - {id: whole, scorecard: s, currency: RUB, minor_units: 0, base: 1000}
  - {id: kopecks, scorecard: s, currency: RUB, base: 1000}
report: {grain: month, from: 2025-01-01, to: 2025-02-01}
`))
	var plan *goalkit.Plan
	if err == nil {
		plan, err = goalkit.Compile(def)
	}
	store := memory.New(time.UTC)
	if err == nil {
		err = store.Apply(kpi.Event{ID: "1", Kind: "x", Time: time.Date(2025, 1, 5, 10, 0, 0, 0, time.UTC), Actor: "u"})
	}
	var rep *goalkit.Report
	if err == nil {
		rep, err = plan.Evaluate(context.Background(), store, time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC))
	}
	if err != nil {
		t.Fatal(err)
	}
	// One of three: KPI a scores 100/3 rounded to 2 places, b and c 0;
	// the total is 40 % of it, and the payout the total's percent of 1000.
	score := round(new(big.Rat).SetFrac64(100, 3), 2)
	total := new(big.Rat).Mul(score, rat("0.4"))
	exact := new(big.Rat).Mul(total, rat("10"))
	want := map[string]*big.Rat{"whole": round(exact, 0), "kopecks": round(exact, 2)}
	if exact.Cmp(rat("133.32")) != 0 {
		t.Fatalf("the exact payout is %s, the page's example is 133.32", exact.FloatString(4))
	}
	if rep.Scores == nil || len(rep.Scores.Bonuses) != 2 {
		t.Fatalf("want two payouts, got %+v", rep.Scores)
	}
	for _, p := range rep.Scores.Bonuses {
		if w := want[p.Bonus]; w == nil || ratOf(p.Amount).Cmp(w) != 0 {
			t.Errorf("bonus %s pays %s, want %v", p.Bonus, p.Amount, w)
		}
		if p.Bonus == "whole" && p.Amount.String() != "133" {
			t.Errorf("bonus whole pays %s, want whole roubles: 133", p.Amount)
		}
	}
}
