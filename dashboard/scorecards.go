package dashboard

import (
	"slices"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// scorecardView is one participant's scorecard for one period with its
// breakdown and bonuses.
type scorecardView struct {
	Name, Participant, Period string
	KPIs                      []kpiView
	Subtotal, Factor, Total   string
	Gated                     bool
	Bonuses                   []bonusView
}

type kpiView struct {
	Name, Weight, Actual, Target, Achievement, Score, Weighted, Contribution string
	Critical, Gated                                                          bool
	ExplainURL                                                               string
}

// scorecardsPage is the scorecards of one period, with links to the
// others.
type scorecardsPage struct {
	Periods []navLink
	Cards   []scorecardView
}

type bonusView struct {
	Name, Amount string
	Qualified    bool
}

func (h *handler) scorecards(q *request) (string, string, any, error) {
	rep, err := q.report()
	if err != nil {
		return "", "", nil, err
	}
	var out scorecardsPage
	if rep.Scores == nil || len(rep.Scores.Scorecards) == 0 {
		return "scorecards.html", "nav.scorecards", out, q.checkPeriod()
	}
	ps := make([]period.Period, len(rep.Scores.Scorecards))
	for i, c := range rep.Scores.Scorecards {
		ps[i] = c.Period
	}
	var cur period.Period
	out.Periods, cur, err = q.periodLinks("scorecards", ps)
	if err != nil {
		return "", "", nil, err
	}
	plan := q.h.data.Plan()
	defs := q.defs().scorecards
	bonusNames := q.defs().bonusNames
	l := q.l
	for _, c := range rep.Scores.Scorecards {
		if c.Period != cur {
			continue
		}
		def := defs[c.Scorecard]
		v := scorecardView{
			Name: nameOr(def.Name, c.Scorecard), Participant: q.participantText(q.h.data.Plan().CardKind(q.rep, c.Scorecard, c.Participant), c.Participant), Period: c.Label,
			Subtotal: scoreFormat.text(l, decimal.NewNullDecimal(c.Subtotal)),
			Factor:   plainFormat.text(l, decimal.NewNullDecimal(c.Factor)),
			Total:    scoreFormat.text(l, decimal.NewNullDecimal(c.Total)),
		}
		// A group the scorecard names is scored on its own row; when its
		// id is also an actor's, the report's values hold the actor's row
		// under that id, and the explanation of that cell is the actor's.
		unexplained := slices.Contains(def.Participants, c.Participant) && q.shadowed(c.Participant)
		kdefs := map[string]score.KPIDef{}
		for _, k := range def.KPIs {
			id := k.ID
			if id == "" {
				id = k.Indicator
			}
			kdefs[id] = k
		}
		for _, k := range c.KPIs {
			ix, _ := plan.Indicators().Lookup(k.Indicator)
			f := formatOf(ix)
			kd := kdefs[k.KPI]
			kv := kpiView{
				Name:         kpiName(kd, k, ix),
				Weight:       percentText(l, decimal.NewNullDecimal(k.Weight)),
				Actual:       f.text(l, k.Actual),
				Target:       f.text(l, decimal.NewNullDecimal(k.Target)),
				Achievement:  percentText(l, k.Achievement),
				Score:        scoreFormat.text(l, decimal.NewNullDecimal(k.Score)),
				Weighted:     scoreFormat.text(l, decimal.NewNullDecimal(k.Weighted)),
				Contribution: scoreFormat.text(l, decimal.NewNullDecimal(k.Contribution)),
				Critical:     kd.Critical != nil,
				Gated:        k.Gated,
			}
			if !unexplained {
				kv.ExplainURL = q.explainLink(k.Indicator, c.Participant, c.Period)
			}
			v.KPIs = append(v.KPIs, kv)
			v.Gated = v.Gated || k.Gated
		}
		for _, p := range rep.Scores.Bonuses {
			// A bonus is paid on one scorecard's card: a participant
			// scored on two scorecards has each bonus under its own.
			if p.Participant != c.Participant || p.Period != c.Period || q.defs().bonusScorecard[p.Bonus] != c.Scorecard {
				continue
			}
			places, ok := score.MinorUnits(p.Currency)
			if !ok {
				places = 4
			}
			f := format{places: places, currency: p.Currency}
			v.Bonuses = append(v.Bonuses, bonusView{Name: bonusNames[p.Bonus], Amount: f.text(l, decimal.NewNullDecimal(p.Amount)), Qualified: p.Qualified})
		}
		out.Cards = append(out.Cards, v)
	}
	return "scorecards.html", "nav.scorecards", out, nil
}

// kpiName is how a scorecard's KPI is shown: its own name, else its
// indicator's when the KPI is named by its indicator, else its id, so
// that two KPIs on one indicator read apart.
func kpiName(def score.KPIDef, k score.KPIScore, ix *kpi.Indicator) string {
	if def.Name == "" && k.KPI == k.Indicator && ix != nil {
		return nameOr(ix.Def.Name, k.KPI)
	}
	return nameOr(def.Name, k.KPI)
}
