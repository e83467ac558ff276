package goalkit_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

const scorePlan = `timezone: Europe/Moscow
indicators:
  - {id: calls, kinds: [call], aggregate: count}
  - {id: won, kinds: [deal.won], aggregate: count}
  - {id: revenue, kinds: [deal.won], aggregate: sum, value: amount}
scorecards:
  - id: sales
    grain: month
    kpis:
      - {indicator: calls, target: 10, weight: 30}
      - {indicator: won, target: 4, weight: 30, cap: 150}
      - {indicator: revenue, target: 1000, weight: 40, threshold: 200, critical: {factor: 0}}
bonuses:
  - {id: bonus, scorecard: sales, currency: RUB, base: 1000, threshold: 50}
leaderboards:
  - {id: board, scorecard: sales}
  - {id: depts, scorecard: sales, level: departments}
badges:
  - {id: star, rule: threshold, scorecard: sales}
competitions:
  - {id: cup, leaderboard: depts}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
`

func scoreEvents(t *testing.T) *memory.Store {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 3, 10, 12, 0, 0, 0, loc)
	var evs []kpi.Event
	add := func(actor, kind string, n int, amount string) {
		for i := range n {
			e := kpi.Event{ID: fmt.Sprintf("%s-%s-%d", actor, kind, i), Kind: kind, Actor: actor, Time: at.Add(time.Duration(i) * time.Hour)}
			if amount != "" {
				e.Amount, e.Currency = decimal.NewNullDecimal(decimal.RequireFromString(amount)), "RUB"
			}
			evs = append(evs, e)
		}
	}
	add("anna", "call", 12, "")
	add("anna", "deal.won", 5, "250") // 1 250
	add("boris", "call", 5, "")
	add("boris", "deal.won", 1, "150") // under the revenue gate
	return storeOf(t, loc, evs...)
}

type fakeDirectory struct{}

func (fakeDirectory) Units(context.Context) ([]org.Unit, error) {
	return []org.Unit{{ID: "company"}, {ID: "east", Parent: "company"}, {ID: "west", Parent: "company"}}, nil
}

func (fakeDirectory) Memberships(context.Context) ([]org.Membership, error) {
	return []org.Membership{
		{User: "anna", Unit: "east"},
		{User: "boris", Unit: "west", From: date.New(2025, 3, 15)},
		{User: "boris", Unit: "east", To: date.New(2025, 1, 1)}, // before March: not counted
	}, nil
}

func TestPlanScorecards(t *testing.T) {
	plan := parsePlan(t, scorePlan)
	rep := mustEvaluate(t, plan, scoreEvents(t), time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), goalkit.WithDirectory(fakeDirectory{}))
	js := reportJSON(t, rep)
	var out struct {
		Scorecards []struct {
			Participant, Total, Factor string
			PeriodStart                string `json:"period_start"`
			KPIs                       []struct{ KPI, Contribution string }
		}
		Bonuses []struct {
			Participant, Amount string
			Qualified           bool
		}
		Leaderboards []struct {
			Leaderboard string
			Standings   []struct {
				Rank        int
				Participant string
				Value       *string
				Headcount   int
			}
		}
		Badges       []struct{ Badge, Participant, Key string }
		Competitions []struct{ Winners []string }
	}
	if err := json.Unmarshal(js, &out); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, js)
	}
	// anna: calls 120 × 0.3 = 36, won 125 × 0.3 = 37.5, revenue
	// (1 250 − 200) / 800 × 100 = 131.25 × 0.4 = 52.5: 126.
	// boris: gated (150 < 200): 0.
	if len(out.Scorecards) != 2 || out.Scorecards[0].Total != "126" || out.Scorecards[0].PeriodStart != "2025-03-01" || out.Scorecards[1].Total != "0" || out.Scorecards[1].Factor != "0" {
		t.Errorf("scorecards %+v", out.Scorecards)
	}
	if len(out.Bonuses) != 2 || out.Bonuses[0].Amount != "1260" || out.Bonuses[1].Qualified {
		t.Errorf("bonuses %+v", out.Bonuses)
	}
	var depts []string
	for _, b := range out.Leaderboards {
		if b.Leaderboard == "depts" {
			for _, s := range b.Standings {
				v := "null"
				if s.Value != nil {
					v = *s.Value
				}
				depts = append(depts, fmt.Sprintf("%d %s %s (%d)", s.Rank, s.Participant, v, s.Headcount))
			}
		}
	}
	// the directory's units: company (anna, boris), east (anna), west (boris
	// since 15 March)
	if got := strings.Join(depts, ", "); got != "1 east 126 (1), 2 company 63 (2), 3 west 0 (1)" {
		t.Errorf("departments: %s", got)
	}
	if len(out.Badges) != 1 || out.Badges[0].Key != "star:anna:2025-03-01" {
		t.Errorf("badges %+v", out.Badges)
	}
	if len(out.Competitions) != 1 || strings.Join(out.Competitions[0].Winners, ",") != "east" {
		t.Errorf("competitions %+v", out.Competitions)
	}
	for _, key := range []string{`"scorecards": [`, `"bonuses": [`, `"leaderboards": [`, `"badges": [`, `"competitions": [`} {
		if !bytes.Contains(js, []byte(key)) {
			t.Errorf("report has no %s", key)
		}
	}
}

func TestPlanScorecardErrors(t *testing.T) {
	bad := strings.Replace(scorePlan, "{indicator: calls, target: 10, weight: 30}", "{indicator: calls, target: 10, weight: 25}", 1)
	bad = strings.Replace(bad, "leaderboard: depts}", "leaderboard: dept}", 1)
	bad = strings.Replace(bad, "base: 1000,", "base: 1000, rounding: nearest,", 1)
	_, err := goalkit.Compile(parseDef(t, bad))
	want := strings.Join([]string{
		`plan.yaml:14: bonuses[0].rounding: rounding must be half_up, half_even, down or up, got "nearest"`,
		`plan.yaml:21: competitions[0].leaderboard: unknown leaderboard "dept" (did you mean "depts"?)`,
		`plan.yaml:10: scorecards[0].kpis: weights sum to 95, want 100`,
	}, "\n")
	if err == nil || err.Error() != want {
		t.Errorf("error\n got %v\nwant %s", err, want)
	}
	// an unknown key is caught by the file reader, with its line
	_, err = goalkit.ParseDefinition("plan.yaml", []byte(strings.Replace(scorePlan, "weight: 40", "wieght: 40", 1)))
	if err == nil || !strings.Contains(err.Error(), `plan.yaml:12: scorecards[0].kpis[2].wieght: unknown key "wieght" (did you mean "weight"?)`) {
		t.Errorf("unknown key: %v", err)
	}
}

func TestPlanScorecardWarnings(t *testing.T) {
	two := strings.Replace(scorePlan, "      - {indicator: calls, target: 10, weight: 30}\n", "", 1)
	two = strings.Replace(two, "weight: 40", "weight: 70", 1)
	ws := parsePlan(t, two).Warnings()
	if len(ws) != 1 || ws[0].Error() != "plan.yaml:10: scorecards[0].kpis: 2 KPIs: 3 to 5 keep a scorecard focused" {
		t.Errorf("warnings %v", ws)
	}
}
