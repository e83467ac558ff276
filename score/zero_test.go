package score

import (
	"context"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// TestZeroValues calls every exported method of the package's types on a
// nil pointer and on a zero value a host can build in Go: each works with
// its documented meaning or returns an error, and none panics.
func TestZeroValues(t *testing.T) {
	cal := testCalendar(t)
	five := decimal.NewFromInt(5)
	req := Request{Request: kpi.Request{Calendar: cal}, From: date.New(2025, 3, 1), To: date.New(2025, 4, 1)}
	// wantErr: the error's words ("" for none); else check says what the
	// result must be.
	cases := []struct {
		name    string
		call    func() error
		wantErr string
	}{
		{"nil Tiers.Amount", func() error { return zeroAmount((*Tiers)(nil).Amount(five)) }, ""},
		{"zero Tiers.Amount", func() error { return zeroAmount((&Tiers{}).Amount(five)) }, ""},
		{"nil Curve.Score", func() error { _, err := (*Curve)(nil).Score(decimal.NewNullDecimal(five)); return err }, "make it with NewCurve"},
		{"zero Curve.Score", func() error { _, err := (&Curve{}).Score(decimal.NewNullDecimal(five)); return err }, "make it with NewCurve"},
		{"zero Curve.Score of undefined", func() error { _, err := (&Curve{}).Score(decimal.NullDecimal{}); return err }, "make it with NewCurve"},
		{"nil Curve.Direction", func() error { return want((*Curve)(nil).Direction() == HigherIsBetter) }, ""},
		{"zero Curve.Direction", func() error { return want((&Curve{}).Direction() == HigherIsBetter) }, ""},
		{"nil Curve.Points", func() error { return want((*Curve)(nil).Points() == nil) }, ""},
		{"nil Scores.Cards", func() error { return want((*Scores)(nil).Cards("sales") == nil) }, ""},
		{"nil Scoring.Empty", func() error { return want((*Scoring)(nil).Empty()) }, ""},
		{"nil Scoring.Warnings", func() error { return want((*Scoring)(nil).Warnings() == nil) }, ""},
		{"nil Scoring.Scorecards", func() error { return want((*Scoring)(nil).Scorecards() == nil) }, ""},
		{"nil Scoring.Scorecard", func() error { sc, ok := (*Scoring)(nil).Scorecard("sales"); return want(sc == nil && !ok) }, ""},
		{"nil Scoring.Bonus", func() error { b, ok := (*Scoring)(nil).Bonus("q"); return want(b == nil && !ok) }, ""},
		{"nil Scoring.Check", func() error { return (*Scoring)(nil).Check(req) }, ""},
		{"nil Scoring.Check without a calendar", func() error { return (*Scoring)(nil).Check(Request{}) }, "no calendar"},
		{"nil Scoring.Evaluate", func() error { return emptyScores((*Scoring)(nil).Evaluate(context.Background(), nil, req)) }, ""},
		{"zero Scoring.Evaluate", func() error { return emptyScores((&Scoring{}).Evaluate(context.Background(), nil, req)) }, ""},
		{"zero Scoring.Scorecard", func() error { _, ok := (&Scoring{}).Scorecard("sales"); return want(!ok) }, ""},
		{"nil Scorecard.ID", func() error { return want((*Scorecard)(nil).ID() == "") }, ""},
		{"nil Scorecard.Grain", func() error { return want((*Scorecard)(nil).Grain().IsZero()) }, ""},
		{"nil Scorecard.Def", func() error { return want((*Scorecard)(nil).Def().ID == "") }, ""},
		{"nil Scorecard.KPIs", func() error { return want((*Scorecard)(nil).KPIs() == nil) }, ""},
		{"nil Scorecard.Score", func() error { _, err := (*Scorecard)(nil).Score(nil, "a", march); return err }, `scorecard "" has no KPIs`},
		{"zero Scorecard.Score", func() error { _, err := (&Scorecard{}).Score(nil, "a", march); return err }, `scorecard "" has no KPIs`},
		{"nil Scorecard.ScoreValues", func() error { return noKPIs((*Scorecard)(nil).ScoreValues("a", march, "2025-03", nil)) }, ""},
		{"nil Scorecard.ScoreValues of an unknown KPI", func() error {
			_, err := (*Scorecard)(nil).ScoreValues("a", march, "2025-03", map[string]decimal.NullDecimal{"calls": {}})
			return err
		}, `unknown KPI "calls"`},
		{"zero Scorecard.ScoreValues", func() error { return noKPIs((&Scorecard{}).ScoreValues("a", march, "2025-03", nil)) }, ""},
		{"nil Bonus.ID", func() error { return want((*Bonus)(nil).ID() == "") }, ""},
		{"nil Bonus.Def", func() error { return want((*Bonus)(nil).Def().Pool == nil) }, ""},
		{"nil Bonus.Pay", func() error { return want((*Bonus)(nil).Pay(Card{Total: five}, decimal.NullDecimal{}).Amount.IsZero()) }, ""},
		{"zero Bonus.Pay", func() error { return want((&Bonus{}).Pay(Card{Total: five}, decimal.NullDecimal{}).Amount.IsZero()) }, ""},
		{"nil Bonus.Split", func() error { _, err := (*Bonus)(nil).Split([]Card{{}}, nil); return err }, `bonus "" is not a pool`},
		{"zero Bonus.Split", func() error { _, err := (&Bonus{}).Split([]Card{{}}, nil); return err }, `bonus "" is not a pool`},
		{"nil Leaderboard.ID", func() error { return want((*Leaderboard)(nil).ID() == "") }, ""},
		{"nil Badge.ID", func() error { return want((*Badge)(nil).ID() == "") }, ""},
		{"nil Competition.ID", func() error { return want((*Competition)(nil).ID() == "") }, ""},
		{"nil Card.KPI", func() error { _, ok := (*Card)(nil).KPI("calls"); return want(!ok) }, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("panic: %v", r)
				}
			}()
			err := tc.call()
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("got %v, want no error", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("got error %v, want one saying %q", err, tc.wantErr)
			}
		})
	}
}

type unmet struct{}

func (unmet) Error() string { return "the result is not the documented one" }

func want(ok bool) error {
	if !ok {
		return unmet{}
	}
	return nil
}

func zeroAmount(total decimal.Decimal, parts []TierPart) error {
	return want(total.IsZero() && parts == nil)
}

func emptyScores(s *Scores, err error) error {
	if err != nil {
		return err
	}
	return want(len(s.Scorecards)+len(s.Bonuses)+len(s.Leaderboards)+len(s.Badges)+len(s.Competitions) == 0)
}

func noKPIs(c Card, err error) error {
	if err != nil {
		return err
	}
	return want(c.Participant == "a" && len(c.KPIs) == 0 && c.Total.IsZero())
}
