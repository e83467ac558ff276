package goal

import (
	"math"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/problem"
	"github.com/shopspring/decimal"
)

// A number of a goal built in Go whose exponent is past what a plan file's
// reader takes (±10000) is refused by Compile itself, first and alone,
// naming each at its path (a milestone, written "25%" in a file, at its
// own): a host that compiles goals without the root's Compile got a target
// of 10^100000000 compiled, and every evaluation then computed for minutes.
// The largest exponents a plan file may write compile.
func TestCompileRefusesNumbersTooLarge(t *testing.T) {
	cal, _ := period.LoadCalendar("UTC")
	num := func(exp int32) *decimal.Decimal { d := decimal.New(1, exp); return &d }
	def := func(target, byUser, milestone *decimal.Decimal) Def {
		return Def{ID: "g", Indicator: "won", Target: target, Period: Every(period.Month, d("2025-01-01")),
			Participants:        ParticipantsDef{Users: []string{"anna", "boris"}},
			TargetByParticipant: map[string]decimal.Decimal{"boris": *byUser},
			Milestones:          []Milestone{Percent(50), {Value: *milestone}}}
	}
	inds := []kpi.IndicatorDef{{ID: "won", Kinds: []string{"deal.won"}, Aggregate: kpi.Count}}
	for _, c := range []struct {
		env  Env
		want []string
	}{
		{Env{Calendar: cal, Indicators: inds}, []string{
			"goals[0].milestones[1]: the number's exponent -10001 is out of range: at most ±10000",
			"goals[0].target: the number's exponent 2147483647 is out of range: at most ±10000",
			"goals[0].target_by_participant.boris: the number's exponent 10001 is out of range: at most ±10000",
		}},
		// Refused before anything else: the unknown indicator is not named.
		{Env{Calendar: cal, Path: "okrs"}, []string{
			"okrs[0].milestones[1]: the number's exponent -10001 is out of range: at most ±10000",
			"okrs[0].target: the number's exponent 2147483647 is out of range: at most ±10000",
			"okrs[0].target_by_participant.boris: the number's exponent 10001 is out of range: at most ±10000",
		}},
	} {
		_, err := Compile([]Def{def(num(math.MaxInt32), num(10001), num(-10001))}, c.env)
		if err == nil || err.Error() != strings.Join(c.want, "\n") {
			t.Errorf("got %v, want\n%s", err, strings.Join(c.want, "\n"))
		}
	}
	if _, err := Compile([]Def{def(num(10000), num(-10000), num(10000))}, Env{Calendar: cal, Indicators: inds}); err != nil {
		t.Fatalf("the plan file's largest exponents are refused: %v", err)
	}
}

// Lint finds a number past ±10000 in exponent first, alone, an error at its
// path, as Compile refuses it: a host's lint of weights of 10^1000000 and
// 10^-1000000 summed them for a second (10^100000000 for ever), and a
// target of -10^100000 wrote a message of 133 358 bytes. At the bounds it
// lints as before.
func TestLintFindsNumbersTooLarge(t *testing.T) {
	num := func(exp int32) *decimal.Decimal { d := decimal.New(1, exp); return &d }
	mk := func(id string, w *decimal.Decimal) Def {
		return Def{ID: id, Indicator: "won", Target: dp("10"), Weight: w, Period: Every(period.Month, d("2025-01-01")),
			Participants: ParticipantsDef{Users: []string{"anna"}}}
	}
	got := Lint([]Def{mk("a", num(10001)), mk("b", num(-10001))}, LintOptions{Path: "okrs"})
	want := []string{
		"error: okrs[0].weight: the number's exponent 10001 is out of range: at most ±10000",
		"error: okrs[1].weight: the number's exponent -10001 is out of range: at most ±10000",
	}
	var s []string
	for _, f := range got {
		s = append(s, f.String())
		if f.Code != problem.Invalid {
			t.Errorf("%s: code %s", f.Path, f.Code)
		}
	}
	if strings.Join(s, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(s, "\n"), strings.Join(want, "\n"))
	}
	for _, f := range Lint([]Def{mk("a", num(10000)), mk("b", num(-10000))}, LintOptions{}) {
		if strings.Contains(f.Msg, "exponent") {
			t.Errorf("the plan file's largest exponents are found: %s", f)
		}
	}
}
