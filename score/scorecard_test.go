package score

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/problem"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// salesSet is the indicators of the article's sales scorecard.
func salesSet(t testing.TB) *kpi.Set {
	t.Helper()
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "revenue", Kinds: []string{"deal.won"}, Aggregate: "sum", Value: "amount"},
		{ID: "new_clients", Kinds: []string{"deal.won"}, Aggregate: "count"},
		{ID: "deals", Kinds: []string{"deal.created"}, Aggregate: "count"},
		{ID: "won", Kinds: []string{"deal.won"}, Aggregate: "count"},
		{ID: "conversion", Formula: "won / deals * 100"},
		{ID: "meetings", Kinds: []string{"meeting"}, Aggregate: "count"},
	}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// salesCard is the article's sales scorecard: revenue 500 000 (40 %), new
// clients 10 (25 %), conversion 15 % (20 %), meetings 30 (15 %).
func salesCard() ScorecardDef {
	return ScorecardDef{ID: "sales", Grain: period.Month, KPIs: []KPIDef{
		{Indicator: "revenue", Target: decp("500000"), Weight: dec("40"), Threshold: decp("250000"), Stretch: decp("750000"), Cap: decp("150"),
			Critical: &GateDef{Factor: dec("0.5")}},
		{Indicator: "new_clients", Target: decp("10"), Weight: dec("25"), Cap: decp("150")},
		{Indicator: "conversion", Target: decp("15"), Weight: dec("20"), Threshold: decp("5"), Cap: decp("150")},
		{Indicator: "meetings", Target: decp("30"), Weight: dec("15"), Curve: &CurveDef{Steps: []CurveStep{
			{From: dec("15"), Score: dec("50")}, {From: dec("25"), Score: dec("80")}, {From: dec("30"), Score: dec("100")}, {From: dec("40"), Score: dec("120")},
		}}},
	}}
}

func compileOne(t testing.TB, set *kpi.Set, defs Defs) *Scoring {
	t.Helper()
	s, err := Compile(defs, Env{Indicators: set})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var march = period.Period{Grain: period.Month, Start: date.New(2025, 3, 1), End: date.New(2025, 4, 1)}

func actuals(kv ...string) map[string]decimal.NullDecimal {
	m := map[string]decimal.NullDecimal{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = nd(kv[i+1])
	}
	return m
}

func TestScorecardBreakdown(t *testing.T) {
	s := compileOne(t, salesSet(t), Defs{Scorecards: []ScorecardDef{salesCard()}})
	sc, _ := s.Scorecard("sales")
	c, err := sc.ScoreValues("anna", march, "2025-03", actuals("revenue", "600000", "new_clients", "12", "conversion", "12.5", "meetings", "27"))
	if err != nil {
		t.Fatal(err)
	}
	// By hand: revenue 100 + 100 000 × 50 / 250 000 = 120; new clients 120;
	// conversion (12.5 − 5) / 10 × 100 = 75; meetings: step 25 → 80.
	// Total = 0.4 × 120 + 0.25 × 120 + 0.2 × 75 + 0.15 × 80 = 48 + 30 + 15 + 12.
	want := []struct{ score, contribution string }{{"120", "48"}, {"120", "30"}, {"75", "15"}, {"80", "12"}}
	for i, k := range c.KPIs {
		if !k.Score.Equal(dec(want[i].score)) || !k.Contribution.Equal(dec(want[i].contribution)) {
			t.Errorf("%s: score %s contribution %s, want %s, %s", k.KPI, k.Score, k.Contribution, want[i].score, want[i].contribution)
		}
	}
	if !c.Total.Equal(dec("105")) || !c.Subtotal.Equal(dec("105")) || !c.Factor.Equal(one) {
		t.Errorf("total %s subtotal %s factor %s, want 105, 105, 1", c.Total, c.Subtotal, c.Factor)
	}
	if k, _ := c.KPI("conversion"); !k.Achievement.Decimal.Equal(dec("83.33")) {
		t.Errorf("conversion achievement %s, want 83.33", k.Achievement.Decimal)
	}
}

func TestScorecardGates(t *testing.T) {
	base := actuals("new_clients", "10", "conversion", "15", "meetings", "30")
	cases := []struct {
		name    string
		revenue string
		factor  string
		gates   []*GateDef // for revenue and conversion
		conv    string
		total   string
		gated   []string
	}{
		{"above the gate", "250000", "1", nil, "15", "60", nil}, // revenue scores 0 but meets the gate
		{"under the gate halves", "249999", "0.5", nil, "15", "30", []string{"revenue"}},
		{"undefined trips the gate", "", "0.5", nil, "15", "30", []string{"revenue"}},
		{"zeroed", "200000", "0", []*GateDef{{Factor: dec("0")}}, "15", "0", []string{"revenue"}},
		{"two gates multiply", "200000", "0.25", []*GateDef{{Factor: dec("0.5")}, {Below: decp("10"), Factor: dec("0.5")}}, "9", "12", []string{"revenue", "conversion"}}, // (0 + 25 + 8 + 15) × 0.25
		{"second gate only", "500000", "0.5", []*GateDef{{Factor: dec("0.5")}, {Below: decp("10"), Factor: dec("0.5")}}, "9", "44", []string{"conversion"}},               // (40 + 25 + 8 + 15) × 0.5
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			def := salesCard()
			if tc.gates != nil {
				def.KPIs[0].Critical = tc.gates[0]
				if len(tc.gates) > 1 {
					def.KPIs[2].Critical = tc.gates[1]
				}
			}
			s := compileOne(t, salesSet(t), Defs{Scorecards: []ScorecardDef{def}})
			sc, _ := s.Scorecard("sales")
			a := actuals("revenue", tc.revenue, "conversion", tc.conv)
			for k, v := range base {
				if k != "conversion" {
					a[k] = v
				}
			}
			c, err := sc.ScoreValues("anna", march, "2025-03", a)
			if err != nil {
				t.Fatal(err)
			}
			if !c.Factor.Equal(dec(tc.factor)) || !c.Total.Equal(dec(tc.total)) {
				t.Errorf("factor %s total %s, want %s, %s", c.Factor, c.Total, tc.factor, tc.total)
			}
			var gated []string
			sum := decimal.Zero
			for _, k := range c.KPIs {
				if k.Gated {
					gated = append(gated, k.KPI)
				}
				sum = sum.Add(k.Contribution)
			}
			if strings.Join(gated, ",") != strings.Join(tc.gated, ",") {
				t.Errorf("gated %v, want %v", gated, tc.gated)
			}
			if !sum.Equal(c.Total) {
				t.Errorf("contributions add up to %s, total %s", sum, c.Total)
			}
		})
	}
}

func TestScorecardCompileErrors(t *testing.T) {
	bad := salesCard()
	bad.KPIs[1].Weight = dec("20")       // sum 95
	bad.KPIs[2].Indicator = "conversoin" // typo
	bad.KPIs[3].Target = nil
	bad.KPIs[0].Critical = &GateDef{Factor: dec("2")}
	second := salesCard()
	second.ID = "sales"
	second.Grain = period.Grain{}
	_, err := Compile(Defs{Scorecards: []ScorecardDef{bad, second}}, Env{Indicators: salesSet(t)})
	want := strings.Join([]string{
		"scorecards[0].kpis: weights sum to 95, want 100",
		"scorecards[0].kpis[0].critical.factor: factor must be 0 to 1 (0 zeroes the total), got 2",
		`scorecards[0].kpis[2].indicator: unknown indicator "conversoin" (did you mean "conversion"?)`,
		"scorecards[0].kpis[3].target: target is required",
		"scorecards[1].grain: grain is required (day, week, month, quarter, year, …)",
		`scorecards[1].id: id "sales" is already defined in scorecards`,
	}, "\n")
	if err == nil || err.Error() != want {
		t.Fatalf("error\n got %v\nwant %s", err, want)
	}
	var ce *problem.Error
	if !errors.As(err, &ce) || ce.Problems[0].Code != problem.Invalid || ce.Problems[2].Code != problem.Unknown {
		t.Errorf("problems are not typed: %#v", ce)
	}
}

func TestScorecardWarnsOutsideThreeToFive(t *testing.T) {
	def := salesCard()
	def.ID = "small"
	def.KPIs = def.KPIs[:2]
	def.KPIs[0].Weight, def.KPIs[1].Weight = dec("60"), dec("40")
	s := compileOne(t, salesSet(t), Defs{Scorecards: []ScorecardDef{salesCard(), def}})
	ws := s.Warnings()
	if len(ws) != 1 || ws[0].Error() != "scorecards[1].kpis: 2 KPIs: 3 to 5 keep a scorecard focused" {
		t.Errorf("warnings %v", ws)
	}
	// The warnings are the caller's: changing one (a host that adds the
	// file's line, as the root does) left it changed in the Scoring.
	ws[0].Where, ws[0].Msg = "plan.yaml:7", "changed"
	if again := s.Warnings(); len(again) != 1 || again[0].Where != "" || again[0].Msg == "changed" {
		t.Errorf("the warnings after a caller changed them: %v", again)
	}
}

func TestScorecardMoreErrors(t *testing.T) {
	set := salesSet(t)
	cases := []struct {
		name string
		edit func(d *ScorecardDef)
		want string
	}{
		{"duplicate kpi", func(d *ScorecardDef) { d.KPIs[1].Indicator = "revenue" },
			`scorecards[0].kpis[1].id: the scorecard already has KPI "revenue" at kpis[0] (give one an id)`},
		{"zero weight", func(d *ScorecardDef) { d.KPIs[3].Weight = dec("0"); d.KPIs[0].Weight = dec("55") },
			"scorecards[0].kpis[3].weight: weight must be above 0, got 0"},
		// Long numbers are quoted shortened, as formula's errors quote one
		// (10,000 places made messages of 10,000 characters): the sum,
		// 85 less 1e-10000, is 84.99…9 of 10,001 digits.
		{"long weights", func(d *ScorecardDef) { d.KPIs[3].Weight = decimal.New(-1, -10000) },
			"scorecards[0].kpis: weights sum to 8.499999999999999…e1, want 100\nscorecards[0].kpis[3].weight: weight must be above 0, got -1e-10000"},
		{"long factor", func(d *ScorecardDef) { d.KPIs[0].Critical = &GateDef{Factor: decimal.New(-3, -10000)} },
			"scorecards[0].kpis[0].critical.factor: factor must be 0 to 1 (0 zeroes the total), got -3e-10000"},
		{"gate without threshold", func(d *ScorecardDef) { d.KPIs[1].Critical = &GateDef{} },
			"scorecards[0].kpis[1].critical.below: a critical KPI needs the actual it must reach: declare below, or the KPI's threshold"},
		{"team target", func(d *ScorecardDef) { d.KPIs[1].TeamTarget = "sum" },
			`scorecards[0].kpis[1].team_target: team_target must be per_member or same, got "sum"`},
		{"places", func(d *ScorecardDef) { n := 11; d.ScorePlaces = &n }, "scorecards[0].score_places: score_places must be 0..10, got 11"},
		{"bad id", func(d *ScorecardDef) { d.ID = "Sales" }, `scorecards[0].id: id "Sales" must match [a-z][a-z0-9_]*`},
		{"everyone", func(d *ScorecardDef) { d.Participants = []string{"*"} }, `scorecards[0].participants[0]: participant "*" is not allowed`},
		{"no kpis", func(d *ScorecardDef) { d.KPIs = nil }, "scorecards[0].kpis: a scorecard needs KPIs (3 to 5)"},
		// No event's actor has such an id: the card could never count one.
		{"control character", func(d *ScorecardDef) { d.Participants = []string{"anna", "bo\nris"} },
			`scorecards[0].participants[1]: participant "bo\nris" is not allowed: it has a control character (U+000A)`},
		{"not utf-8", func(d *ScorecardDef) { d.Participants = []string{"anna\xff"} },
			`scorecards[0].participants[0]: participant "anna\xff" is not allowed: it is not valid UTF-8`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			def := salesCard()
			tc.edit(&def)
			_, err := Compile(Defs{Scorecards: []ScorecardDef{def}}, Env{Indicators: set})
			if err == nil || err.Error() != tc.want {
				t.Errorf("error\n got %v\nwant %s", err, tc.want)
			}
		})
	}
}

func TestScorecardScoreFromResult(t *testing.T) {
	cal := testCalendar(t)
	set := teamSet(t)
	res, err := set.Evaluate(context.Background(), eventsSource(makeEvents(t, cal, spec{"a", "call", 3, 5, ""})), kpi.Request{Calendar: cal, Periods: []period.Period{march}})
	if err != nil {
		t.Fatal(err)
	}
	s := compileOne(t, set, Defs{Scorecards: []ScorecardDef{teamCard()}})
	sc, _ := s.Scorecard("team")
	c, err := sc.Score(res, "a", march)
	if err != nil || c.Label != "2025-03" || !c.Total.Equal(dec("25")) { // 5 calls of 10: 50 × 0.5
		t.Errorf("card %+v, %v", c, err)
	}
	if _, err := sc.Score(res, "nobody", march); err == nil || err.Error() != `scorecard team: the result has no values for participant "nobody" in month [2025-03-01, 2025-04-01)` {
		t.Errorf("error %v", err)
	}
}

// A Scoring keeps its own definitions: a host that changes the Defs it
// compiled, or the definitions Scorecard.Def and Bonus.Def return, changes
// nothing it scores. The scorecard named its participant and the pool its
// team through the host's slices, and read them at every evaluation.
func TestScoringKeepsItsDefinitions(t *testing.T) {
	cal := testCalendar(t)
	defs := Defs{
		Scorecards: []ScorecardDef{{ID: "calls", Grain: period.Month, Participants: []string{"a"},
			KPIs: []KPIDef{{Indicator: "calls", Target: decp("10"), Weight: dec("100")}}}},
		Bonuses: []BonusDef{{ID: "pool", Scorecard: "calls", Currency: "RUB", Pool: &PoolDef{Amount: dec("100"), Teams: []string{"east"}}}},
	}
	s := compileOne(t, teamSet(t), defs)
	defs.Scorecards[0].Participants[0] = "z"
	*defs.Scorecards[0].KPIs[0].Target = dec("1")
	defs.Bonuses[0].Pool.Teams[0] = "west"
	sc, _ := s.Scorecard("calls")
	sc.Def().Participants[0] = "y"
	*sc.Def().KPIs[0].Target = dec("2")
	b, _ := s.Bonus("pool")
	b.Def().Pool.Teams[0] = "north"

	evs := makeEvents(t, cal, spec{"a", "call", 3, 4, ""})
	out, err := s.Evaluate(context.Background(), eventsTable(cal, evs), Request{
		Request: kpi.Request{Calendar: cal, Groups: []org.Group{{ID: "east", Members: []string{"a"}}}},
		From:    date.New(2025, 3, 1), To: date.New(2025, 4, 1)})
	if err != nil {
		t.Fatal(err)
	}
	// By hand: a's 4 calls against 10 score 40, and a alone shares east's
	// pool of 100.
	checkOutcome(t, out, []string{"card 2025-03 a 40", "pool 2025-03 a 100.00"})
}
