package dashboard

import (
	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/score"
)

// planDefs is what the pages read of a plan's definition, read once per
// plan: Plan.Definition copies the whole definition, which a request (a
// breakdown's every cell) took again and again.
type planDefs struct {
	plan *goalkit.Plan
	// attrs are the attribute types, which type a breakdown row's values.
	attrs map[string]kpi.AttrType
	// leaderboards and scorecards by id, bonuses' names and scorecards by
	// id.
	leaderboards   map[string]score.LeaderboardDef
	scorecards     map[string]score.ScorecardDef
	bonusNames     map[string]string
	bonusScorecard map[string]string
	// businessResult is the goal statistics' business result ("" without).
	businessResult string
}

// defs is what the pages read of the definition of the data's plan, read
// once for each plan the data gives (a host may give another one later).
func (q *request) defs() *planDefs {
	plan := q.h.data.Plan()
	if d := q.h.defs.Load(); d != nil && d.plan == plan {
		return d
	}
	def := plan.Definition()
	d := &planDefs{
		plan: plan, attrs: def.Attributes,
		leaderboards: map[string]score.LeaderboardDef{},
		scorecards:   map[string]score.ScorecardDef{},
		bonusNames:   map[string]string{}, bonusScorecard: map[string]string{},
	}
	for _, b := range def.Leaderboards {
		d.leaderboards[b.ID] = b
	}
	for _, s := range def.Scorecards {
		d.scorecards[s.ID] = s
	}
	for _, b := range def.Bonuses {
		d.bonusNames[b.ID] = nameOr(b.Name, b.ID)
		d.bonusScorecard[b.ID] = b.Scorecard
	}
	if def.GoalStats != nil {
		d.businessResult = def.GoalStats.BusinessResult
	}
	q.h.defs.Store(d)
	return d
}
