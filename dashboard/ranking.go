package dashboard

import (
	"sort"
	"strconv"
	"strings"

	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/period"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/score"
)

// board is a leaderboard, or the ranking of one goal's participants.
type board struct {
	Name, Period string
	// Measure heads the value column: a score, an actual or an
	// achievement.
	Measure string
	Rows    []standing
	// Shown says that a leaderboard is cut to its top ("top 10 shown"):
	// its plan sets a top, and the report's board left ranks out
	// (score.Board.Cut: more standings ranked than it holds) and holds at
	// least its top's standings. Empty otherwise: a board of exactly its
	// top's ranks was not cut, and one of fewer standings than its top was
	// cut by the host to the viewer's scope, not by its top.
	Shown string
}

type standing struct {
	Rank        string
	Participant string
	Value       string
	Percent     string
	ExplainURL  string
}

type rankingPage struct {
	Periods []navLink
	Boards  []board
	Goals   []board
}

// visible is the participants the viewer's report shows anywhere, by
// kind: the people (actors' rows, users' goal rows, cascade nodes and
// cards) and the units (group rows, teams' goal rows, cascade nodes and
// cards), the kind of a card as the plan says (Plan.CardKind); a cascade's
// node counts only where it shows a fact, not where it is kept only as the
// path to a node below. The standings of leaderboards (public in the
// report) are shown only for them, a departments board's for the units, a
// people board's for the people, so that no one outside the viewer's scope
// appears on a page: a unit whose id is also an actor's (Bitrix24's
// department 1 and user 1) is not seen through the actor's row.
type visibleSet struct {
	people, units map[string]bool
}

func visible(plan *goalkit.Plan, rep *goalkit.Report) visibleSet {
	seen := visibleSet{people: map[string]bool{}, units: map[string]bool{}}
	if rep.Values != nil {
		for _, p := range rep.Values.Participants() {
			if rep.Values.IsGroup(p) {
				seen.units[p] = true
			} else {
				seen.people[p] = true
			}
		}
	}
	if rep.Goals != nil {
		for _, r := range rep.Goals.Rows {
			switch r.Kind {
			case goal.User:
				seen.people[r.Participant] = true
			case goal.Team:
				seen.units[r.Participant] = true
			}
		}
	}
	if rep.Scores != nil {
		for _, c := range rep.Scores.Scorecards {
			// A unit the scorecard names, also one whose id is an
			// actor's: its card is not the actor's.
			if plan.CardKind(rep, c.Scorecard, c.Participant) != goal.User {
				seen.units[c.Participant] = true
			} else {
				seen.people[c.Participant] = true
			}
		}
	}
	if rep.Cascade != nil {
		for _, t := range rep.Cascade.Trees {
			if t.Root != nil {
				t.Root.Walk(func(n *cascadeNode) {
					if !hasFacts(n) {
						return // a hidden ancestor, kept as the path to a node below
					}
					switch n.Kind {
					case cascade.UserKind:
						seen.people[n.Participant] = true
					case cascade.UnitKind:
						seen.units[n.Participant] = true
					}
				})
			}
		}
	}
	return seen
}

// hasFacts reports whether a cascade node shows a fact of its participant:
// a node the viewer may not see, kept by cascade.Result.Prune as the path
// to one they may, shows none (its plan alone), and is not seen.
func hasFacts(n *cascadeNode) bool {
	return n.Actual.Valid || n.Achievement.Valid || n.Met || n.Share.Valid || n.Contribution.Valid || n.Weight.Valid
}

// of is the participants of a leaderboard's level.
func (v visibleSet) of(def score.LeaderboardDef) map[string]bool {
	if def.Level == score.LevelDepartments {
		return v.units
	}
	return v.people
}

func (h *handler) ranking(q *request) (string, string, any, error) {
	rep, err := q.report()
	if err != nil {
		return "", "", nil, err
	}
	seen := visible(q.h.data.Plan(), rep)
	var page rankingPage
	var cur period.Period // the period chosen, when the page has leaderboards
	if rep.Scores == nil {
		if err := q.checkPeriod(); err != nil {
			return "", "", nil, err
		}
	} else {
		defs := q.defs().leaderboards
		ps := make([]period.Period, len(rep.Scores.Leaderboards))
		for i, b := range rep.Scores.Leaderboards {
			ps[i] = b.Period
		}
		page.Periods, cur, err = q.periodLinks("ranking", ps)
		if err != nil {
			return "", "", nil, err
		}
		for _, b := range rep.Scores.Leaderboards {
			if b.Period != cur {
				continue
			}
			def := defs[b.Leaderboard]
			f := q.leaderboardFormat(def)
			out := board{Name: nameOr(def.Name, b.Leaderboard), Period: b.Label, Measure: q.l.T("score")}
			switch {
			case def.KPI != "" && def.Metric == "actual":
				out.Measure = q.l.T("actual")
			case def.KPI != "" && def.Metric == "achievement":
				out.Measure = q.l.T("achievement")
			}
			shown := seen.of(def)
			for _, s := range b.Standings {
				if !shown[s.Participant] {
					continue
				}
				out.Rows = append(out.Rows, standing{Rank: rankText(q.l, s.Rank), Participant: q.participantText(q.h.data.Plan().StandingKind(b.Leaderboard), s.Participant), Value: f(s)})
			}
			// Cut to its top: more ranked than it holds. A board cut to its
			// top holds at least its top's standings (ranks 1 to N fill
			// the first N places); one that holds fewer was cut by a host
			// to the viewer's scope (serve without public standings),
			// whose count is still the whole board's.
			if def.Top > 0 && b.Cut() && len(b.Standings) >= def.Top {
				out.Shown = strings.Replace(q.l.T("board.top"), "{n}", q.l.number(strconv.Itoa(def.Top)), 1)
			}
			if len(out.Rows) > 0 {
				page.Boards = append(page.Boards, out)
			}
		}
	}
	// The goals' ranks of the period chosen, for the goals that have it.
	secs, err := q.goalSectionsOf(func(r goal.Row) bool { return r.Kind == goal.User }, cur)
	if err != nil {
		return "", "", nil, err
	}
	for _, sec := range secs {
		b := board{Name: sec.Name, Period: sec.Period}
		cards := append([]card(nil), sec.Cards...)
		sort.SliceStable(cards, func(i, j int) bool {
			ri, rj := cards[i].Rank, cards[j].Rank
			return ri > 0 && (rj == 0 || ri < rj)
		})
		for _, c := range cards {
			b.Rows = append(b.Rows, standing{Rank: rankText(q.l, c.Rank), Participant: c.Participant, Value: c.Actual, Percent: c.Percent, ExplainURL: c.ExplainURL})
		}
		page.Goals = append(page.Goals, b)
	}
	return "ranking.html", "nav.ranking", page, nil
}

// leaderboardFormat writes a standing's value: a KPI's actual in its
// indicator's format, an achievement or a score as the scorecard's
// percent.
func (q *request) leaderboardFormat(def score.LeaderboardDef) func(score.Standing) string {
	if def.KPI != "" && def.Metric == "actual" {
		if sc, ok := q.defs().scorecards[def.Scorecard]; ok {
			for _, k := range sc.KPIs {
				if k.ID == def.KPI || (k.ID == "" && k.Indicator == def.KPI) {
					ix, _ := q.h.data.Plan().Indicators().Lookup(k.Indicator)
					f := formatOf(ix)
					return func(s score.Standing) string { return f.text(q.l, s.Value) }
				}
			}
		}
	}
	if def.Metric == "achievement" {
		return func(s score.Standing) string { return percentText(q.l, s.Value) }
	}
	return func(s score.Standing) string { return scoreFormat.text(q.l, s.Value) }
}
