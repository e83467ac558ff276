package score

import (
	"fmt"

	"github.com/goalkit/goalkit/internal/defcheck"
	"github.com/goalkit/goalkit/problem"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// CompetitionDef defines a competition between departments: a departments
// leaderboard over the scorecard periods that start in [From, To) (default:
// the evaluation's range). A department's result is the mean of its
// leaderboard values over those periods (periods where it has none are left
// out; one where it met its target without a ratio counts 100, as its
// target met); the best wins, and a tie for first place has several
// winners.
type CompetitionDef struct {
	ID          string    `json:"id"`
	Name        string    `json:"name,omitempty"`
	Leaderboard string    `json:"leaderboard"`
	From        date.Date `json:"from,omitzero"`
	To          date.Date `json:"to,omitzero"`
}

// Competition is a compiled CompetitionDef.
type Competition struct {
	def CompetitionDef
	lb  *Leaderboard
}

// ID returns the competition's id.
func (cp *Competition) ID() string {
	if cp == nil {
		return ""
	}
	return cp.def.ID
}

func compileCompetition(def CompetitionDef, path string, boards map[string]*Leaderboard, ps *problem.List) *Competition {
	cp := &Competition{def: def}
	defcheck.ID(ps, path+".id", def.ID)
	switch {
	case def.Leaderboard == "":
		ps.Add(path+".leaderboard", problem.Required, "leaderboard is required (a departments leaderboard)")
	case boards[def.Leaderboard] == nil:
		ps.Add(path+".leaderboard", problem.Unknown, unknownMsg("leaderboard", def.Leaderboard, sortedKeys(boards)))
	default:
		cp.lb = boards[def.Leaderboard]
		if cp.lb.level != LevelDepartments {
			ps.Add(path+".leaderboard", problem.Invalid, fmt.Sprintf("leaderboard %s ranks people: a competition is between departments (level: departments)", def.Leaderboard))
		}
	}
	if (def.From == 0) != (def.To == 0) {
		ps.Add(path+".to", problem.Required, "from and to go together")
	} else if def.From != 0 && def.To <= def.From {
		ps.Add(path+".to", problem.Invalid, fmt.Sprintf("to (%s) must be after from (%s)", def.To, def.From))
	}
	return cp
}

// Result is the outcome of a competition.
type CompetitionResult struct {
	Competition string    `json:"competition"`
	Name        string    `json:"name,omitempty"`
	From        date.Date `json:"from"`
	To          date.Date `json:"to"`
	// Periods are the labels of the periods it ran over.
	Periods []string `json:"periods"`
	// Winners are the departments ranked first (several on a tie; none
	// when no department has a value).
	Winners   []string   `json:"winners"`
	Standings []Standing `json:"standings"`
}

// decide ranks the departments by the mean of their values over boards
// (one per period, in order).
func (cp *Competition) decide(boards []Board, from, to date.Date) CompetitionResult {
	res := CompetitionResult{Competition: cp.def.ID, Name: cp.def.Name, From: from, To: to, Periods: []string{}, Winners: []string{}}
	type acc struct {
		sum       decimal.Decimal
		n         int
		headcount int
	}
	accs := map[string]*acc{}
	var order []string
	for _, b := range boards {
		res.Periods = append(res.Periods, b.Label)
		for _, s := range b.Standings {
			a := accs[s.Participant]
			if a == nil {
				a = &acc{sum: decimal.Zero}
				accs[s.Participant] = a
				order = append(order, s.Participant)
			}
			a.headcount = s.Headcount
			switch {
			case s.Value.Valid:
				a.sum = a.sum.Add(s.Value.Decimal)
				a.n++
			case s.Best:
				// Met without a ratio (by achievement): its target met, 100 %.
				a.sum = a.sum.Add(hundred)
				a.n++
			}
		}
	}
	ss := make([]Standing, 0, len(order))
	for _, id := range order {
		a := accs[id]
		st := Standing{Participant: id, Headcount: a.headcount}
		if a.n > 0 {
			st.Value = perHead(a.sum, a.n)
		}
		ss = append(ss, st)
	}
	res.Standings = Rank(ss, cp.lb.lowerFirst())
	for _, s := range res.Standings {
		if s.Rank == 1 {
			res.Winners = append(res.Winners, s.Participant)
		}
	}
	return res
}
