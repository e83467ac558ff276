package score

import (
	"math/big"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func TestTiers(t *testing.T) {
	// 2 % from 300 000, 4 % from 500 000, 6 % from 800 000: marginal.
	tr, err := NewTiers([]TierDef{{From: dec("500000"), Rate: dec("0.04")}, {From: dec("300000"), Rate: dec("0.02")}, {From: dec("800000"), Rate: dec("0.06")}})
	if err != nil {
		t.Fatal(err)
	}
	cases := [][2]string{
		{"0", "0"}, {"300000", "0"}, {"300001", "0.02"}, {"400000", "2000"}, {"499999", "3999.98"}, {"500000", "4000"},
		{"500001", "4000.04"}, {"600000", "8000"}, {"800000", "16000"}, {"800001", "16000.06"}, {"1000000", "28000"}, {"-5", "0"},
	}
	for _, tc := range cases {
		got, parts := tr.Amount(dec(tc[0]))
		if !got.Equal(dec(tc[1])) {
			t.Errorf("Amount(%s) = %s, want %s", tc[0], got, tc[1])
		}
		sum := decimal.Zero
		for _, p := range parts {
			sum = sum.Add(p.Amount)
		}
		if !sum.Equal(got) {
			t.Errorf("Amount(%s): parts add up to %s", tc[0], sum)
		}
	}
	_, parts := tr.Amount(dec("600000"))
	if len(parts) != 2 || !parts[0].Base.Equal(dec("200000")) || !parts[1].Base.Equal(dec("100000")) || !parts[1].To.Decimal.Equal(dec("800000")) {
		t.Errorf("parts %+v", parts)
	}
	if _, err := NewTiers([]TierDef{{From: dec("1"), Rate: dec("-1")}, {From: dec("1"), Rate: dec("1")}}); err == nil ||
		err.Error() != "tiers: two tiers from 1\ntiers[0].rate: rate must be at least 0, got -1" {
		t.Errorf("error %v", err)
	}
	// A long rate is quoted shortened, as formula's errors quote one.
	if _, err := NewTiers([]TierDef{{From: dec("1"), Rate: decimal.New(-1, -10000)}}); err == nil ||
		err.Error() != "tiers[0].rate: rate must be at least 0, got -1e-10000" {
		t.Errorf("error %v", err)
	}
}

// card makes a card with a total and, optionally, KPI rows.
func card(total string, kpis ...KPIScore) Card {
	return Card{Scorecard: "sales", Participant: "anna", Period: march, Label: "2025-03", Total: dec(total), Subtotal: dec(total), Factor: one, KPIs: kpis}
}

func bonusFor(t *testing.T, def BonusDef) *Bonus {
	t.Helper()
	def.ID, def.Scorecard = "b", "sales"
	if def.Currency == "" {
		def.Currency = "RUB"
	}
	s := compileOne(t, salesSet(t), Defs{Scorecards: []ScorecardDef{salesCard()}, Bonuses: []BonusDef{def}})
	return s.bonuses[0]
}

func TestBonusPayoutCurve(t *testing.T) {
	// 60 000 at 100; nothing under 70; 50 % at 70; an accelerator of 2.5 % a
	// point above 100; at most 200 %.
	b := bonusFor(t, BonusDef{Base: decp("60000"), Threshold: decp("70"), Cap: decp("200"),
		Payout: []PayoutPoint{{Score: dec("70"), Percent: dec("50")}, {Score: dec("100"), Percent: dec("100")}, {Score: dec("130"), Percent: dec("175")}}})
	cases := []struct{ total, percent, amount string }{
		{"0", "", "0"},
		{"69.99", "", "0"},
		{"70", "50", "30000"},
		{"70.01", "50.01666666666667", "30010"}, // 30 010 exactly: 60 000 × (50 + 0.01 × 50/30) / 100
		{"85", "75", "45000"},
		{"83.246", "72.07666666666667", "43246"},
		{"99.99", "99.98333333333333", "59990"},
		{"100", "100", "60000"},
		{"100.01", "100.025", "60015"},
		{"120", "150", "90000"},
		{"130", "175", "105000"},
		{"140", "200", "120000"}, // 175 + 25 = 200: the cap
		{"200", "200", "120000"},
	}
	for _, tc := range cases {
		p := b.Pay(card(tc.total), decimal.NullDecimal{})
		if p.Qualified != (tc.percent != "") {
			t.Errorf("total %s: qualified %v", tc.total, p.Qualified)
		}
		if tc.percent != "" && !p.Percent.Decimal.Equal(dec(tc.percent)) {
			t.Errorf("total %s: percent %s, want %s", tc.total, p.Percent.Decimal, tc.percent)
		}
		if !p.Amount.Equal(dec(tc.amount)) || p.Amount.Exponent() != -2 {
			t.Errorf("total %s: amount %s, want %s (2 places)", tc.total, p.Amount.StringFixed(2), tc.amount)
		}
	}
}

func TestBonusDefaultCurveTiersMaxPenalties(t *testing.T) {
	revenue := KPIScore{KPI: "revenue", Score: dec("0"), Gated: true}
	conv := KPIScore{KPI: "conversion", Score: dec("40")}
	b := bonusFor(t, BonusDef{Base: decp("50000"), Tiers: []TierDef{{From: dec("100"), Rate: dec("1000")}, {From: dec("120"), Rate: dec("2000")}},
		Max:       decp("100000"),
		Penalties: []PenaltyDef{{KPI: "revenue", Percent: decp("25")}, {KPI: "conversion", BelowScore: decp("50"), Amount: decp("5000")}}})
	cases := []struct {
		total string
		kpis  []KPIScore
		gross string
		exact string
	}{
		{"50", nil, "25000", "25000"},                        // proportional by default
		{"110", nil, "65000", "65000"},                       // 55 000 + 10 × 1 000
		{"130", nil, "100000", "100000"},                     // 65 000 + 20 000 + 20 000, held by max
		{"110", []KPIScore{revenue}, "65000", "48750"},       // a quarter off
		{"110", []KPIScore{revenue, conv}, "65000", "43750"}, // and 5 000 more
		{"1", []KPIScore{revenue, conv}, "500", "0"},         // never below 0
		{"110", []KPIScore{{KPI: "revenue", Score: dec("100")}}, "65000", "65000"},
	}
	for _, tc := range cases {
		p := b.Pay(card(tc.total, tc.kpis...), decimal.NullDecimal{})
		if !p.Gross.Equal(dec(tc.gross)) {
			t.Errorf("total %s: gross %s", tc.total, p.Gross)
		}
		if !p.Exact.Equal(dec(tc.exact)) || !p.Amount.Equal(dec(tc.exact)) {
			t.Errorf("total %s: exact %s amount %s, want %s", tc.total, p.Exact, p.Amount, tc.exact)
		}
	}
	// tiers over an indicator: the basis, not the score
	c := bonusFor(t, BonusDef{TierBasis: "revenue", Tiers: []TierDef{{From: dec("300000"), Rate: dec("0.02")}, {From: dec("500000"), Rate: dec("0.04")}}, Rounding: RoundDown})
	p := c.Pay(card("10"), nd("612345.67"))
	if !p.Exact.Equal(dec("8493.8268")) || !p.Amount.Equal(dec("8493.82")) {
		t.Errorf("commission exact %s amount %s, want 8493.8268, 8493.82", p.Exact, p.Amount)
	}
}

func TestBonusRounding(t *testing.T) {
	// 1 000 × 100.0005 % = 1 000.005: the rounding mode decides the last unit.
	cases := []struct {
		mode     Rounding
		currency string
		base     string
		total    string
		want     string
	}{
		{"", "RUB", "1000", "100.0005", "1000.01"},
		{RoundHalfUp, "RUB", "1000", "100.0005", "1000.01"},
		{RoundHalfEven, "RUB", "1000", "100.0005", "1000.00"},
		{RoundHalfEven, "RUB", "1000", "100.0015", "1000.02"},
		{RoundDown, "RUB", "1000", "100.0009", "1000.00"},
		{RoundUp, "RUB", "1000", "100.0001", "1000.01"},
		{RoundHalfUp, "JPY", "100000", "100.0005", "100001"},
		{RoundHalfUp, "JPY", "100000", "100.0004", "100000"},
		{RoundHalfUp, "KWD", "1000", "100.00005", "1000.001"},
		{RoundDown, "KWD", "1000", "100.00009", "1000.000"},
		// a third of a base: non-terminating, rounded from the exact value
		{RoundUp, "RUB", "100", "33.33333", "33.34"},
		{RoundDown, "RUB", "100", "33.33333", "33.33"},
	}
	for _, tc := range cases {
		b := bonusFor(t, BonusDef{Currency: tc.currency, Rounding: tc.mode, Base: decp(tc.base)})
		p := b.Pay(card(tc.total), decimal.NullDecimal{})
		if p.Amount.String() != dec(tc.want).String() || p.Amount.StringFixed(-p.Amount.Exponent()) != tc.want {
			t.Errorf("%s %s %s × %s: amount %s, want %s", tc.mode, tc.currency, tc.base, tc.total, p.Amount.StringFixed(-p.Amount.Exponent()), tc.want)
		}
	}
}

func TestRoundRat(t *testing.T) {
	third := big.NewRat(1, 3)
	half := big.NewRat(5, 1000) // 0.005
	cases := []struct {
		x    *big.Rat
		mode Rounding
		want string
	}{
		{third, RoundHalfUp, "0.33"}, {third, RoundUp, "0.34"}, {third, RoundDown, "0.33"}, {third, RoundHalfEven, "0.33"},
		{half, RoundHalfUp, "0.01"}, {half, RoundHalfEven, "0"}, {big.NewRat(15, 1000), RoundHalfEven, "0.02"},
		{big.NewRat(2, 3), RoundHalfUp, "0.67"}, {big.NewRat(-1, 3), RoundUp, "-0.34"},
	}
	for _, tc := range cases {
		if got := tc.mode.roundRat(tc.x, 2); !got.Equal(dec(tc.want)) {
			t.Errorf("%s %s = %s, want %s", tc.mode, tc.x, got, tc.want)
		}
	}
}

func TestBonusCompileErrors(t *testing.T) {
	cases := []struct {
		name string
		def  BonusDef
		want string
	}{
		{"currency", BonusDef{Currency: "rub", Base: decp("1")}, `bonuses[0].currency: currency "rub" is not an ISO 4217 code`},
		{"unknown currency", BonusDef{Currency: "XYZ", Base: decp("1")}, `bonuses[0].minor_units: currency "XYZ" is not in the built-in ISO 4217 table: declare minor_units`},
		{"nothing to pay", BonusDef{}, "bonuses[0].base: a bonus scheme needs a base, tiers or a pool"},
		{"rounding", BonusDef{Base: decp("1"), Rounding: "bankers"}, `bonuses[0].rounding: rounding must be half_up, half_even, down or up, got "bankers"`},
		{"falling payout", BonusDef{Base: decp("1"), Payout: []PayoutPoint{{Score: dec("100"), Percent: dec("100")}, {Score: dec("120"), Percent: dec("90")}}},
			"bonuses[0].payout: the score must not fall as the actual gets better (100 scores 100, 120 scores 90)"},
		{"penalty kpi", BonusDef{Base: decp("1"), Penalties: []PenaltyDef{{KPI: "revenu", Percent: decp("10")}}},
			`bonuses[0].penalties[0].kpi: unknown KPI of scorecard sales "revenu" (did you mean "revenue"?)`},
		{"penalty not critical", BonusDef{Base: decp("1"), Penalties: []PenaltyDef{{KPI: "meetings", Amount: decp("10")}}},
			"bonuses[0].penalties[0].below_score: the KPI meetings is not critical: declare below_score (the score under which the penalty applies)"},
		{"penalty both", BonusDef{Base: decp("1"), Penalties: []PenaltyDef{{KPI: "revenue", Amount: decp("10"), Percent: decp("10")}}},
			"bonuses[0].penalties[0]: a penalty has either a percent or an amount"},
		{"penalty percent", BonusDef{Base: decp("1"), Penalties: []PenaltyDef{{KPI: "revenue", Percent: decp("120")}}},
			"bonuses[0].penalties[0].percent: percent must be 0 to 100, got 120"},
		{"pool conflicts", BonusDef{Base: decp("1"), Pool: &PoolDef{Amount: dec("100.001")}},
			"bonuses[0].base: base does not apply to a pool (a pool splits a fixed amount by score share)\nbonuses[0].pool.amount: amount 100.001 is not a whole number of RUB minor units (2 decimal places)"},
		// A long amount is quoted shortened, as formula's errors quote a
		// long number (10,000 places made a message of 10,000 characters).
		{"long pool amount", BonusDef{Pool: &PoolDef{Amount: decimal.New(1, -10000)}},
			"bonuses[0].pool.amount: amount 1e-10000 is not a whole number of RUB minor units (2 decimal places)"},
		{"long negative pool amount", BonusDef{Pool: &PoolDef{Amount: decimal.New(-25, -10000)}},
			"bonuses[0].pool.amount: amount must be at least 0, got -2.5e-9999"},
		{"long negative threshold", BonusDef{Base: decp("1"), Threshold: ptrDec(decimal.New(-5, -10000))},
			"bonuses[0].threshold: threshold must be at least 0, got -5e-10000"},
		{"long negative base", BonusDef{Base: ptrDec(decimal.New(-5, -10000))},
			"bonuses[0].base: base must be at least 0, got -5e-10000"},
		{"long penalty percent", BonusDef{Base: decp("1"), Penalties: []PenaltyDef{{KPI: "revenue", Percent: ptrDec(decimal.New(-1, -10000))}}},
			"bonuses[0].penalties[0].percent: percent must be 0 to 100, got -1e-10000"},
		{"long penalty amount", BonusDef{Base: decp("1"), Penalties: []PenaltyDef{{KPI: "revenue", Amount: ptrDec(decimal.New(-1, -10000))}}},
			"bonuses[0].penalties[0].amount: amount must be at least 0, got -1e-10000"},
		{"negative pool threshold, said once", BonusDef{Threshold: decp("-5"), Pool: &PoolDef{Amount: dec("100")}},
			"bonuses[0].threshold: threshold must be at least 0, got -5"},
		{"tier basis", BonusDef{Tiers: []TierDef{{From: dec("0"), Rate: dec("1")}}, TierBasis: "revenu"},
			`bonuses[0].tier_basis: tier_basis is score or an indicator: unknown indicator "revenu" (did you mean "revenue"?)`},
		{"scorecard", BonusDef{Scorecard: "sale", Base: decp("1")}, `bonuses[0].scorecard: unknown scorecard "sale" (did you mean "sales"?)`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := tc.def
			d.ID = "b"
			if d.Scorecard == "" {
				d.Scorecard = "sales"
			}
			if d.Currency == "" {
				d.Currency = "RUB"
			}
			_, err := Compile(Defs{Scorecards: []ScorecardDef{salesCard()}, Bonuses: []BonusDef{d}}, Env{Indicators: salesSet(t)})
			if err == nil || err.Error() != tc.want {
				t.Errorf("error\n got %v\nwant %s", err, tc.want)
			}
		})
	}
}

func TestSplit(t *testing.T) {
	cases := []struct {
		amount  string
		weights []string
		places  int32
		want    string
	}{
		{"100", []string{"1", "1", "1"}, 2, "33.34 33.33 33.33"},
		{"100", []string{"1", "1", "1"}, 0, "34 33 33"},
		{"0.05", []string{"1", "1", "1", "1"}, 2, "0.02 0.01 0.01 0.01"},
		{"100000", []string{"120.832", "107.762", "109.702", "83.246", "4.397"}, 2, "28368.38 25299.87 25755.33 19544.11 1032.31"},
		{"10", []string{"0", "3", "1"}, 2, "0 7.5 2.5"},
		{"1", []string{"1", "1", "1"}, 3, "0.334 0.333 0.333"},
		{"1", []string{"1", "2", "2"}, 0, "0 1 0"}, // remainders 1/5, 2/5, 2/5: the tie goes to the earlier part
	}
	for _, tc := range cases {
		ws := make([]decimal.Decimal, len(tc.weights))
		for i, w := range tc.weights {
			ws[i] = dec(w)
		}
		got, err := Split(dec(tc.amount), ws, tc.places)
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, g := range got {
			s = append(s, g.String())
		}
		if strings.Join(s, " ") != tc.want {
			t.Errorf("Split(%s, %v, %d) = %v, want %s", tc.amount, tc.weights, tc.places, s, tc.want)
		}
	}
	if _, err := Split(dec("1"), []decimal.Decimal{dec("0")}, 2); err != ErrZeroWeights {
		t.Errorf("zero weights: %v", err)
	}
	if _, err := Split(dec("1.001"), []decimal.Decimal{dec("1")}, 2); err == nil || err.Error() != "split: amount 1.001 is not a whole number of minor units (2 decimal places)" {
		t.Errorf("fractional amount: %v", err)
	}
	// A long amount or weight is quoted shortened, as formula's errors
	// quote a long number (the amount's 10,000 places made a message of
	// 10,000 characters).
	if _, err := Split(decimal.New(1, -10000), []decimal.Decimal{dec("1")}, 2); err == nil || err.Error() != "split: amount 1e-10000 is not a whole number of minor units (2 decimal places)" {
		t.Errorf("long fractional amount: %v", err)
	}
	if _, err := Split(dec("1"), []decimal.Decimal{decimal.New(-12345, -9000), dec("2")}, 2); err == nil || err.Error() != "split: weight 0 is negative (-1.2345e-8996)" {
		t.Errorf("long negative weight: %v", err)
	}
	if _, err := Split(dec("1"), []decimal.Decimal{dec("-1"), dec("2")}, 2); err == nil || err.Error() != "split: weight 0 is negative (-1)" {
		t.Errorf("negative weight: %v", err)
	}
}

func TestPool(t *testing.T) {
	b := bonusFor(t, BonusDef{Threshold: decp("50"), Pool: &PoolDef{Amount: dec("1000"), Teams: []string{"east", "west"}}})
	cards := []Card{card("100"), card("50"), card("49.99"), card("80")}
	for i, p := range []string{"a", "b", "c", "d"} {
		cards[i].Participant = p
	}
	teams := map[string][]string{"east": {"a", "b", "c"}, "west": {"d"}}
	pays, err := b.Split(cards, teams)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range pays {
		got = append(got, p.Pool.Team+":"+p.Participant+"="+p.Amount.StringFixed(2))
	}
	// east: 100 and 50 share 1 000 (c is under the threshold); west: d alone.
	if want := "east:a=666.67 east:b=333.33 east:c=0.00 west:d=1000.00"; strings.Join(got, " ") != want {
		t.Errorf("pool %s, want %s", strings.Join(got, " "), want)
	}
	if _, err := b.Split(cards, map[string][]string{"east": nil}); err == nil || err.Error() != `bonus b: pool team "west" is not a group of the evaluation` {
		t.Errorf("missing team: %v", err)
	}
	// nobody qualifies: the pool is not paid
	pays, _ = b.Split([]Card{card("10")}, map[string][]string{"east": {"anna"}, "west": nil})
	if len(pays) != 1 || !pays[0].Amount.IsZero() || !pays[0].Pool.Weights.IsZero() {
		t.Errorf("unpaid pool %+v", pays)
	}
}

func TestMinorUnits(t *testing.T) {
	for cur, want := range map[string]int32{"RUB": 2, "USD": 2, "EUR": 2, "JPY": 0, "KWD": 3, "BHD": 3, "CLF": 4} {
		if got, ok := MinorUnits(cur); !ok || got != want {
			t.Errorf("MinorUnits(%s) = %d, %v", cur, got, ok)
		}
	}
	if _, ok := MinorUnits("XYZ"); ok {
		t.Error("XYZ known")
	}
	n := 1
	b := bonusFor(t, BonusDef{Currency: "XYZ", MinorUnits: &n, Base: decp("10")})
	if p := b.Pay(card("33.333"), decimal.NullDecimal{}); p.Amount.String() != "3.3" {
		t.Errorf("XYZ with 1 place: %s", p.Amount)
	}
}
