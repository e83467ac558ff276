package dashboard_test

import (
	"encoding/json"
	"html"
	"math/big"
	"regexp"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// enChance writes a probability as the notifications do, by the test's own
// arithmetic: a whole percent rounded half up, but never 100% below
// certainty nor 0% above nothing.
func enChance(p decimal.Decimal) string {
	r, _ := new(big.Rat).SetString(p.String())
	r.Mul(r, big.NewRat(100, 1))
	n := roundRat(r)
	switch {
	case n.Cmp(big.NewInt(100)) == 0 && r.Cmp(big.NewRat(100, 1)) < 0:
		n = big.NewInt(99)
	case n.Sign() == 0 && r.Sign() > 0:
		n = big.NewInt(1)
	}
	return n.String() + "%"
}

// cardsOf splits a page into its goal cards, by goal/participant.
func cardsOf(body string) map[string]string {
	out := map[string]string{}
	re := regexp.MustCompile(`(?s)<article class="card[^"]*" data-goal="([^"]+)" data-participant="([^"]+)">(.*?)</article>`)
	for _, m := range re.FindAllStringSubmatch(body, -1) {
		out[m[1]+"/"+m[2]] = m[3]
	}
	return out
}

// TestChanceNumbers: a card of a goal with a probabilistic forecast says
// how likely its target is and the P10–P90 range of its final value, the
// report's numbers as the test writes them; other cards say neither.
func TestChanceNumbers(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	rep := f.report(t, goal.Viewer{Admin: true})
	_, body := get(t, f, "/?lang=en", "admin")
	cards := cardsOf(body)
	today := f.data.plan.Calendar().Date(asOf)
	withChance := 0
	for _, r := range rep.Goals.Rows {
		if !r.Period.Contains(today) {
			continue
		}
		card, ok := cards[r.Goal+"/"+r.Participant]
		if !ok {
			t.Fatalf("no card %s/%s", r.Goal, r.Participant)
		}
		if !r.Chance.Reach.Valid || r.Ended {
			if strings.Contains(card, `data-field="chance"`) || strings.Contains(card, `data-field="range"`) {
				t.Errorf("%s/%s: a chance the report does not have", r.Goal, r.Participant)
			}
			continue
		}
		withChance++
		verb := " likely to reach "
		if r.Direction == score.LowerIsBetter {
			verb = " likely to stay within "
		}
		want := `<p class="chance" data-field="chance">` + enChance(r.Chance.Reach.Decimal) + verb + enRUB(r.Target) + `</p>`
		if !strings.Contains(card, want) {
			t.Errorf("%s/%s: no %s in\n%s", r.Goal, r.Participant, want, card)
		}
		rng := `<dd data-field="range">` + strings.TrimSuffix(enRUB(r.Chance.P10), nbsp+"RUB") + " – " + enRUB(r.Chance.P90) + `</dd>`
		if !strings.Contains(card, rng) {
			t.Errorf("%s/%s: no %s", r.Goal, r.Participant, rng)
		}
	}
	if withChance != len(people) {
		t.Errorf("%d cards with a chance, want one per person (%d)", withChance, len(people))
	}
}

func TestEnChance(t *testing.T) {
	for _, c := range []struct{ p, want string }{
		{"0", "0%"}, {"0.001", "1%"}, {"0.005", "1%"}, {"0.62", "62%"}, {"0.625", "63%"},
		{"0.994", "99%"}, {"0.996", "99%"}, {"1", "100%"},
	} {
		if got := enChance(decimal.RequireFromString(c.p)); got != c.want {
			t.Errorf("enChance(%s) = %s, want %s", c.p, got, c.want)
		}
	}
}

// TestChanceChart: the goal page's chart carries the report's P10, P50 and
// P90 of the final value at the period's last day, after the series.
func TestChanceChart(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	rep := f.report(t, goal.Viewer{User: "anna"})
	var row goal.Row
	for _, r := range rep.Goals.Rows {
		if r.Goal == "revenue_month" && r.Participant == "anna" && r.Period.Contains(f.data.plan.Calendar().Date(asOf)) {
			row = *r
		}
	}
	_, body := get(t, f, "/goal?goal=revenue_month&participant=anna&lang=en", "anna")
	attr := func(name string) []any {
		m := regexp.MustCompile(` ` + name + `="([^"]*)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("the chart has no %s", name)
		}
		var v []any
		if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return v
	}
	x := attr("data-x")
	if len(x) != len(row.Series)+1 {
		t.Fatalf("%d days on the chart, want the %d of the series and the period's last", len(x), len(row.Series))
	}
	last := f.data.plan.Calendar().Midnight(row.Period.End - 1).Unix()
	if int64(x[len(x)-1].(float64)) != last {
		t.Errorf("the range stands at %v, want the period's last day %d", x[len(x)-1], last)
	}
	for name, v := range map[string]decimal.NullDecimal{"p10": row.Chance.P10, "p50": row.Chance.P50, "p90": row.Chance.P90} {
		texts := attr("data-" + name + "-text")
		if got, want := texts[len(texts)-1], enRUB(v); got != want {
			t.Errorf("%s: %v, want %s", name, got, want)
		}
		vals := attr("data-" + name)
		if got := decimal.RequireFromString(vals[len(vals)-1].(string)); !got.Equal(v.Decimal.Round(2)) {
			t.Errorf("%s drawn at %s, want %s", name, got, v.Decimal.Round(2))
		}
		for i, s := range vals[:len(vals)-1] {
			if s != nil {
				t.Errorf("%s has a value on day %d", name, i)
			}
		}
	}
}

// TestChanceRussian: the chance in Russian, with its no-break spaces.
func TestChanceRussian(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	_, body := get(t, f, "/goal?goal=revenue_month&participant=anna&lang=ru", "anna")
	for _, want := range []string{
		nbsp + "% — вероятность достичь 800" + nbsp + "000" + nbsp + "₽</p>",
		"<dt>Вероятный итог (P10–P90)</dt>",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("no %q", want)
		}
	}
}

// TestChanceEnded: once the period is over the engine's chance is the
// outcome (1 or 0), which the status says: the card and the chart leave
// it out.
func TestChanceEnded(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	rep := f.report(t, goal.Viewer{User: "anna"})
	for _, r := range rep.Goals.Rows {
		if r.Goal == "revenue_month" && r.Participant == "anna" && r.Label == "2026-11" && (!r.Ended || !r.Chance.Reach.Valid) {
			t.Fatalf("November should be over with a chance: ended %v, chance %v", r.Ended, r.Chance.Reach)
		}
	}
	_, body := get(t, f, "/goal?goal=revenue_month&participant=anna&from=2026-11-01&lang=en", "anna")
	if !strings.Contains(body, "<small>2026-11</small>") {
		t.Fatal("not November's page")
	}
	for _, no := range []string{`data-field="chance"`, `data-field="range"`, `data-p50=`} {
		if strings.Contains(body, no) {
			t.Errorf("November's page has %s", no)
		}
	}
}
