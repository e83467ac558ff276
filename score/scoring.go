package score

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/goalkit/goalkit/internal/deepcopy"
	"github.com/goalkit/goalkit/internal/defcheck"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/internal/suggest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/problem"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Defs are the scorecard sections of a plan: scorecards, the bonus
// schemes, leaderboards and badges over them, and competitions between
// departments.
type Defs struct {
	Scorecards   []ScorecardDef
	Bonuses      []BonusDef
	Leaderboards []LeaderboardDef
	Badges       []BadgeDef
	Competitions []CompetitionDef
}

// Scoring is the compiled scorecard sections of a plan. It is immutable and
// safe for concurrent use. A nil or zero Scoring has nothing to score:
// Evaluate checks its request and returns empty Scores.
type Scoring struct {
	set          *kpi.Set
	scorecards   []*Scorecard
	scByID       map[string]*Scorecard
	bonuses      []*Bonus
	leaderboards []*Leaderboard
	lbByID       map[string]*Leaderboard
	badges       []*Badge
	competitions []*Competition
	warnings     []*problem.Problem
}

// Env is what Compile compiles scorecards against.
type Env struct {
	// Indicators are the plan's compiled indicators the KPIs measure; nil
	// only where they did not compile (the plan fails with them): the KPIs'
	// indicators are then not checked, Evaluate and Check refuse the
	// scorecards, and Scorecard.ScoreValues scores the values a host gives.
	Indicators *kpi.Set
}

// Compile validates the scorecard sections against the plan's indicators
// and compiles them. Every problem is reported at once, sorted by path
// (scorecards[1].kpis[2].weight), as a *problem.Error. Problems that do not
// stop the plan from working (a scorecard of 7 KPIs) are not errors: see
// Warnings. The Scoring keeps a copy of defs: a host may change them once
// they compiled. A number whose exponent is past ±10000, which a plan file
// cannot write (a definition built in Go can), is refused first, alone.
func Compile(defs Defs, env Env) (*Scoring, error) {
	var ps, warns problem.List
	for _, sec := range []struct {
		path string
		v    any
	}{{"scorecards", defs.Scorecards}, {"bonuses", defs.Bonuses}, {"leaderboards", defs.Leaderboards},
		{"badges", defs.Badges}, {"competitions", defs.Competitions}} {
		defcheck.Exponents(&ps, sec.path, sec.v)
	}
	if ps.Len() > 0 {
		return nil, ps.Err()
	}
	defs = deepcopy.Of(defs)
	set := env.Indicators
	s := &Scoring{set: set, scByID: map[string]*Scorecard{}, lbByID: map[string]*Leaderboard{}}
	for i, d := range defs.Scorecards {
		path := fmt.Sprintf("scorecards[%d]", i)
		sc := compileScorecard(d, path, set, &ps, &warns)
		if registerID(d.ID, path, "scorecards", s.scByID, sc, &ps) {
			s.scorecards = append(s.scorecards, sc)
		}
	}
	bonusIDs := map[string]*Bonus{}
	for i, d := range defs.Bonuses {
		path := fmt.Sprintf("bonuses[%d]", i)
		b := compileBonus(d, path, set, s.scByID, &ps)
		if registerID(d.ID, path, "bonuses", bonusIDs, b, &ps) {
			s.bonuses = append(s.bonuses, b)
		}
	}
	for i, d := range defs.Leaderboards {
		path := fmt.Sprintf("leaderboards[%d]", i)
		lb := compileLeaderboard(d, path, s.scByID, &ps)
		if registerID(d.ID, path, "leaderboards", s.lbByID, lb, &ps) {
			s.leaderboards = append(s.leaderboards, lb)
		}
	}
	badgeIDs := map[string]*Badge{}
	for i, d := range defs.Badges {
		path := fmt.Sprintf("badges[%d]", i)
		bd := compileBadge(d, path, s.scByID, s.lbByID, &ps)
		if registerID(d.ID, path, "badges", badgeIDs, bd, &ps) {
			s.badges = append(s.badges, bd)
		}
	}
	compIDs := map[string]*Competition{}
	for i, d := range defs.Competitions {
		path := fmt.Sprintf("competitions[%d]", i)
		cp := compileCompetition(d, path, s.lbByID, &ps)
		if registerID(d.ID, path, "competitions", compIDs, cp, &ps) {
			s.competitions = append(s.competitions, cp)
		}
	}
	if err := ps.Err(); err != nil {
		return nil, err
	}
	if err, ok := warns.Err().(*problem.Error); ok {
		s.warnings = err.Problems
	}
	return s, nil
}

// registerID records a definition under its id, reporting a duplicate.
func registerID[T any](id, path, section string, m map[string]T, v T, ps *problem.List) bool {
	if id == "" {
		return true
	}
	if _, dup := m[id]; dup {
		ps.Add(path+".id", problem.Duplicate, fmt.Sprintf("id %q is already defined in %s", id, section))
		return false
	}
	m[id] = v
	return true
}

// Warnings returns the problems that do not stop the plan from working,
// sorted by path: lint for people who write plans. Each is a copy, as
// Scorecards' slice is: the caller may change them.
func (s *Scoring) Warnings() []*problem.Problem {
	if s == nil || len(s.warnings) == 0 {
		return nil
	}
	out := make([]*problem.Problem, len(s.warnings))
	for i, w := range s.warnings {
		c := *w
		out[i] = &c
	}
	return out
}

// Empty reports whether there is nothing to score.
func (s *Scoring) Empty() bool { return s == nil || len(s.scorecards) == 0 }

// Scorecard returns the scorecard with the given id.
func (s *Scoring) Scorecard(id string) (*Scorecard, bool) {
	if s == nil {
		return nil, false
	}
	sc, ok := s.scByID[id]
	return sc, ok
}

// Scorecards returns the scorecards in definition order: a new slice, which
// the caller may change without changing the Scoring.
func (s *Scoring) Scorecards() []*Scorecard {
	if s == nil {
		return nil
	}
	return slices.Clone(s.scorecards)
}

// Bonus returns the bonus scheme with the given id.
func (s *Scoring) Bonus(id string) (*Bonus, bool) {
	if s == nil {
		return nil, false
	}
	for _, b := range s.bonuses {
		if b.def.ID == id {
			return b, true
		}
	}
	return nil, false
}

// Request says what Scoring.Evaluate computes: the scorecard periods that
// start in [From, To), for the participants and groups of the indicator
// request (whose Periods it sets itself).
type Request struct {
	kpi.Request
	From, To date.Date
}

// Scores is the outcome of Scoring.Evaluate: the cards with their
// breakdowns, the payouts of the bonus schemes, the leaderboards, the
// badges earned and the competitions' results. A nil Scores has none.
type Scores struct {
	Scorecards   []Card              `json:"scorecards"`
	Bonuses      []Payout            `json:"bonuses"`
	Leaderboards []Board             `json:"leaderboards"`
	Badges       []Award             `json:"badges"`
	Competitions []CompetitionResult `json:"competitions"`
}

// Cards returns the cards of one scorecard, in order.
func (s *Scores) Cards(scorecard string) []Card {
	var out []Card
	if s == nil {
		return nil
	}
	for _, c := range s.Scorecards {
		if c.Scorecard == scorecard {
			out = append(out, c)
		}
	}
	return out
}

// scState is the evaluation state of one scorecard.
type scState struct {
	sc       *Scorecard
	res      *kpi.Result
	reported []period.Period
	history  []period.Period // lookback, then reported
	lookback int
	people   []string
	// all holds, for each evaluated period, a card for each of people, in
	// their order (a streak badge reads a person's cards across periods);
	// in, whether each of them was a participant in the period (nil: all
	// were); cards, the cards of those who were: the scorecard's cards of
	// the period.
	all    map[period.Period][]Card
	in     map[period.Period][]bool
	cards  map[period.Period][]Card
	labels map[period.Period]string
	// named are the participants of the request: a scorecard without
	// participants or members_of scores them in every period.
	named []string
}

// Evaluate scores every scorecard for every period of its grain that starts
// in [req.From, req.To), then computes the bonuses, leaderboards, badges
// and competitions. It evaluates the indicators once per grain, over the
// reported periods, the history streak badges need, and the periods of
// competitions. Participants of a scorecard are its participants, the
// members of its members_of groups (in each period, those the groups had
// in it), or else every actor with events in the
// reported periods, the participants of the request and the members of its
// groups, even without events (a group's people only in the periods the
// group had them, as for members_of): the same whatever badges, competitions and
// other scorecards the plan defines (a scorecard of actors, in a plan that
// also has streak badges, competitions or a scorecard of named
// participants, has the actors evaluated once more over the reported
// periods alone). A competition with its
// own from and to is decided over its periods even when [req.From, req.To)
// holds no start of a period of its grain.
func (s *Scoring) Evaluate(ctx context.Context, tab *kpi.Table, req Request) (*Scores, error) {
	if err := s.Check(req); err != nil {
		return nil, err
	}
	if s == nil {
		s = &Scoring{}
	}
	cal := req.Calendar
	groups := map[string]org.Group{}
	for _, g := range req.Groups {
		groups[g.ID] = g
	}
	states := map[*Scorecard]*scState{}
	compPeriods := map[*Competition][]period.Period{}
	// Group the scorecards by grain: one evaluation per grain.
	var grains []period.Grain
	for _, sc := range s.scorecards {
		if !slices.Contains(grains, sc.def.Grain) {
			grains = append(grains, sc.def.Grain)
		}
	}
	for _, g := range grains {
		reported, err := cal.Periods(g, req.From, req.To)
		if err != nil {
			return nil, fmt.Errorf("scoring: %w", err)
		}
		// A competition with its own from and to runs over its own
		// periods, reported or not.
		if len(reported) == 0 && !slices.ContainsFunc(s.competitions, func(cp *Competition) bool {
			return cp.lb.sc.def.Grain == g && cp.def.From != 0
		}) {
			continue
		}
		lookback := 0
		for _, bd := range s.badges {
			if bd.sc != nil && bd.sc.def.Grain == g {
				lookback = max(lookback, bd.lookback())
			}
		}
		var history []period.Period
		for k := lookback; k > 0 && len(reported) > 0; k-- {
			history = append(history, cal.Shift(reported[0], -k))
		}
		history = append(history, reported...)
		eval := slices.Clone(history)
		for _, cp := range s.competitions {
			if cp.lb.sc.def.Grain != g {
				continue
			}
			from, to := req.From, req.To
			if cp.def.From != 0 {
				from, to = cp.def.From, cp.def.To
			}
			ps, err := cal.Periods(g, from, to)
			if err != nil {
				return nil, fmt.Errorf("scoring: competition %s: %w", cp.def.ID, err)
			}
			compPeriods[cp] = ps
			eval = append(eval, ps...)
		}
		slices.SortFunc(eval, func(a, b period.Period) int { return int(a.Start - b.Start) })
		eval = slices.Compact(eval)

		// Everyone who must get a card, events or not: the participants
		// of the request and the members of its groups, and those the
		// scorecards name.
		given := slices.Clone(req.Participants)
		for _, grp := range req.Groups {
			given = append(given, grp.People()...)
		}
		given = uniq(given)
		r := req.Request
		r.Groups = rowGroups(req.Groups)
		r.Periods = eval
		r.Participants = slices.Clone(given)
		implicit, named := false, false
		for _, sc := range s.scorecards {
			if sc.def.Grain != g {
				continue
			}
			implicit = implicit || (len(sc.def.Participants) == 0 && len(sc.def.MembersOf) == 0)
			for _, p := range sc.def.Participants {
				if _, isGroup := groups[p]; !isGroup {
					r.Participants = append(r.Participants, p)
					named = true
				}
			}
		}
		r.Participants = uniq(r.Participants)
		res, err := s.set.EvaluateTable(ctx, tab, r)
		if err != nil {
			return nil, rowError{err}
		}
		// A scorecard without participants scores the actors that an
		// evaluation of the reported periods alone has: not those of the
		// periods before them that streak badges read, of competitions'
		// own periods, or named by another scorecard only.
		actors := res
		if implicit && len(reported) > 0 && (len(eval) > len(reported) || named) {
			ar := req.Request
			ar.Groups = r.Groups
			ar.Periods = reported
			ar.Participants = given
			if actors, err = s.set.EvaluateTable(ctx, tab, ar); err != nil {
				return nil, rowError{err}
			}
		}
		for _, sc := range s.scorecards {
			if sc.def.Grain != g {
				continue
			}
			st := &scState{sc: sc, res: res, reported: reported, history: history, lookback: lookback,
				all: map[period.Period][]Card{}, in: map[period.Period][]bool{},
				cards: map[period.Period][]Card{}, labels: map[period.Period]string{}, named: req.Participants}
			st.people = st.participants(actors, groups)
			for _, p := range eval {
				st.labels[p] = cal.Label(p)
				cs := make([]Card, 0, len(st.people))
				for _, part := range st.people {
					c, err := sc.scoreRow(res, st.row(part, groups), part, p)
					if err != nil {
						return nil, err
					}
					cs = append(cs, c)
				}
				st.all[p], st.cards[p] = cs, cs
				if in := st.belongs(p, groups); in != nil {
					st.in[p] = in
					st.cards[p] = nil
					for i, c := range cs {
						if in[i] {
							st.cards[p] = append(st.cards[p], c)
						}
					}
				}
			}
			states[sc] = st
		}
	}

	out := &Scores{Scorecards: []Card{}, Bonuses: []Payout{}, Leaderboards: []Board{}, Badges: []Award{}, Competitions: []CompetitionResult{}}
	for _, sc := range s.scorecards {
		if st := states[sc]; st != nil {
			for _, p := range st.reported {
				out.Scorecards = append(out.Scorecards, st.cards[p]...)
			}
		}
	}
	for _, b := range s.bonuses {
		st := states[b.sc]
		if st == nil {
			continue
		}
		for _, p := range st.reported {
			if b.def.Pool != nil {
				// A team's people are those who belonged to it in the
				// period: one who joined in March shares no pool of
				// January's, nor of the team they left.
				teams := map[string][]string{}
				for _, g := range req.Groups {
					teams[g.ID] = peopleIn(g, p)
				}
				pays, err := b.Split(st.cards[p], teams)
				if err != nil {
					return nil, err
				}
				out.Bonuses = append(out.Bonuses, pays...)
				continue
			}
			for _, c := range st.cards[p] {
				var basis decimal.NullDecimal
				if b.tierBasis != nil {
					basis, _ = st.res.Value(b.tierBasis.Def.ID, st.row(c.Participant, groups), p)
				}
				out.Bonuses = append(out.Bonuses, b.Pay(c, basis))
			}
		}
	}
	board := func(lb *Leaderboard, p period.Period) (Board, error) {
		st := states[lb.sc]
		if lb.level == LevelPeople {
			return lb.people(st.cards[p], p, st.labels[p]), nil
		}
		return lb.departments(req.Groups, p, st.labels[p],
			func(m string) (Card, error) { return lb.sc.Score(st.res, m, p) },
			func(g org.Group, headcount int) (Card, error) {
				return lb.sc.scoreTeam(st.res, g.ID, headcount, p, st.labels[p])
			},
			func(g org.Group) decimal.NullDecimal {
				v, _ := st.res.Value(lb.kpi.indicator, rowOf(g.ID), p)
				return v
			})
	}
	boards := map[*Leaderboard]map[period.Period]Board{}
	for _, lb := range s.leaderboards {
		st := states[lb.sc]
		if st == nil {
			continue
		}
		boards[lb] = map[period.Period]Board{}
		for _, p := range st.reported {
			b, err := board(lb, p)
			if err != nil {
				return nil, err
			}
			boards[lb][p] = b
			out.Leaderboards = append(out.Leaderboards, top(b, lb.def.Top))
		}
	}
	for _, bd := range s.badges {
		if bd.def.Rule == RuleTop {
			st := states[bd.lb.sc]
			if st == nil {
				continue
			}
			for _, p := range st.reported {
				out.Badges = append(out.Badges, bd.awardBoard(boards[bd.lb][p])...)
			}
			continue
		}
		st := states[bd.sc]
		if st == nil {
			continue
		}
		var awards []Award
		for i := range st.people {
			cards := make([]Card, len(st.history))
			var in []bool // nil: a participant in every period
			for j, p := range st.history {
				cards[j] = st.all[p][i]
				if st.in[p] != nil && !st.in[p][i] {
					if in == nil {
						in = make([]bool, len(st.history))
						for k := range in {
							in[k] = true
						}
					}
					in[j] = false
				}
			}
			awards = append(awards, bd.awardCards(cards, in, st.lookback)...)
		}
		slices.SortStableFunc(awards, func(a, b Award) int {
			if c := int(a.Period.Start - b.Period.Start); c != 0 {
				return c
			}
			return strings.Compare(a.Participant, b.Participant)
		})
		out.Badges = append(out.Badges, awards...)
	}
	for _, cp := range s.competitions {
		st := states[cp.lb.sc]
		if st == nil || (len(st.reported) == 0 && cp.def.From == 0) {
			continue
		}
		var bs []Board
		for _, p := range compPeriods[cp] {
			b, err := board(cp.lb, p)
			if err != nil {
				return nil, err
			}
			bs = append(bs, b)
		}
		from, to := req.From, req.To
		if cp.def.From != 0 {
			from, to = cp.def.From, cp.def.To
		}
		out.Competitions = append(out.Competitions, cp.decide(bs, from, to))
	}
	return out, nil
}

// Check reports what Evaluate refuses whatever the events: scorecards
// compiled without indicators, a request without a calendar or with an
// empty range, a group of the request whose id is "", "*" (everyone
// together) or another group's, and, for a scorecard with a
// period that starts in [req.From, req.To) (or a competition over its own
// periods), a members_of group, a pool's team or a leaderboard's department
// that is not a group of the request. Its error is Evaluate's. A live
// tracker checks its plan with it before it tracks anything.
func (s *Scoring) Check(req Request) error {
	if s == nil {
		s = &Scoring{}
	}
	if s.set == nil && len(s.scorecards) > 0 {
		return fmt.Errorf("scoring: the scorecards were compiled without indicators (Env.Indicators)")
	}
	if req.Calendar == nil {
		return fmt.Errorf("scoring: request has no calendar")
	}
	if req.To <= req.From {
		return fmt.Errorf("scoring: to (%s) must be after from (%s)", req.To, req.From)
	}
	groups := map[string]bool{}
	for _, g := range req.Groups {
		switch {
		case g.ID == "" || g.ID == org.Everyone:
			// A group's row is renamed (rowOf) before the indicators see
			// it: they would have refused it.
			return fmt.Errorf("scoring: group id %q is not allowed", g.ID)
		case groups[g.ID]:
			return fmt.Errorf("scoring: group %s is given twice", display.QuoteID(g.ID))
		}
		groups[g.ID] = true
	}
	// The grains with a reported period, and those Evaluate scores at all
	// (a competition over its own periods too).
	reported, scored := map[period.Grain]bool{}, map[period.Grain]bool{}
	for _, sc := range s.scorecards {
		g := sc.def.Grain
		if _, seen := reported[g]; seen {
			continue
		}
		ps, err := req.Calendar.Periods(g, req.From, req.To)
		if err != nil {
			return fmt.Errorf("scoring: %w", err)
		}
		reported[g] = len(ps) > 0
		scored[g] = len(ps) > 0 || slices.ContainsFunc(s.competitions, func(cp *Competition) bool {
			return cp.lb.sc.def.Grain == g && cp.def.From != 0
		})
	}
	for _, sc := range s.scorecards {
		if !scored[sc.def.Grain] {
			continue
		}
		for _, gid := range sc.def.MembersOf {
			if !groups[gid] {
				return fmt.Errorf("scoring: scorecard %s: members_of group %q is not a group of the evaluation", sc.def.ID, gid)
			}
		}
	}
	for _, b := range s.bonuses {
		if b.def.Pool == nil || !reported[b.sc.def.Grain] {
			continue
		}
		for _, t := range b.def.Pool.Teams {
			if !groups[t] {
				return fmt.Errorf("bonus %s: pool team %q is not a group of the evaluation", b.def.ID, t)
			}
		}
	}
	for _, lb := range s.leaderboards {
		if !scored[lb.sc.def.Grain] {
			continue
		}
		for _, d := range lb.def.Departments {
			if !groups[d] {
				return fmt.Errorf("scoring: leaderboard %s: department %q is not a group of the evaluation", lb.def.ID, d)
			}
		}
	}
	return nil
}

// participants lists whom the scorecard scores: its participants and the
// members of its members_of groups, in that order without repeats, or else
// every actor of res.
// row is the id of participant's row in st.res: a group's (rowOf) for a
// group the scorecard names among its participants, the actor's for
// everyone else, an actor whose id is also a group's too.
func (st *scState) row(participant string, groups map[string]org.Group) string {
	if _, isGroup := groups[participant]; isGroup && slices.Contains(st.sc.def.Participants, participant) {
		return rowOf(participant)
	}
	return participant
}

// belongs says, for each of st.people, whether they are a participant of
// the scorecard in the period p: a named participant always, a member of a
// members_of group where the group had them in p (a dated member whose
// span meets p). A scorecard without participants or members_of scores
// the participants of the request always, the people of the evaluation's
// groups where a group had them in p, and the other actors always. It is
// nil where every one of them is.
func (st *scState) belongs(p period.Period, groups map[string]org.Group) []bool {
	def := st.sc.def
	implicit := len(def.Participants) == 0 && len(def.MembersOf) == 0
	ids := def.MembersOf
	if implicit {
		ids = sortedKeys(groups)
	}
	dated := false
	for _, gid := range ids {
		dated = dated || len(groups[gid].Spans) > 0
	}
	if !dated {
		return nil
	}
	now := map[string]bool{}
	for _, q := range def.Participants {
		now[q] = true
	}
	for _, gid := range ids {
		for _, m := range peopleIn(groups[gid], p) {
			now[m] = true
		}
	}
	if implicit {
		// Those no group has are actors: in every period, as the
		// participants of the request.
		known := map[string]bool{}
		for _, gid := range ids {
			for _, m := range groups[gid].People() {
				known[m] = true
			}
		}
		for _, q := range st.people {
			if !known[q] {
				now[q] = true
			}
		}
		for _, q := range st.named {
			now[q] = true
		}
	}
	in := make([]bool, len(st.people))
	all := true
	for i, q := range st.people {
		in[i] = now[q]
		all = all && in[i]
	}
	if all {
		return nil
	}
	return in
}

func (st *scState) participants(res *kpi.Result, groups map[string]org.Group) []string {
	def := st.sc.def
	if len(def.Participants) == 0 && len(def.MembersOf) == 0 {
		var out []string
		for _, p := range res.Participants() {
			if !res.IsGroup(p) {
				out = append(out, p)
			}
		}
		return out
	}
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, p := range def.Participants {
		add(p)
	}
	for _, gid := range def.MembersOf {
		for _, m := range groups[gid].People() {
			add(m)
		}
	}
	return out
}

func lookupScorecard(id, path string, scorecards map[string]*Scorecard, ps *problem.List) *Scorecard {
	if id == "" {
		ps.Add(path, problem.Required, "scorecard is required")
		return nil
	}
	sc := scorecards[id]
	if sc == nil {
		ps.Add(path, problem.Unknown, unknownMsg("scorecard", id, sortedKeys(scorecards)))
	}
	return sc
}

// groupID adds a problem at path for a group id no evaluation has: "" or
// org.Everyone ("*", the whole company's row, which kpi.Request refuses as
// a group). Evaluate and Check would refuse it with every report.
func groupID(ps *problem.List, path, id string) {
	switch id {
	case "":
		ps.Add(path, problem.Invalid, "group id is empty")
	case org.Everyone:
		ps.Add(path, problem.Invalid, `group "*" is not allowed: "*" is everyone together, never a group of the evaluation`)
	}
}

// unknownMsg says that name is not one of candidates, suggesting the closest.
func unknownMsg(what, name string, candidates []string) string {
	return suggest.Unknown(what, name, candidates)
}

func sortedKeys[T any](m map[string]T) []string { return slices.Sorted(maps.Keys(m)) }

// peopleIn returns the people of g in the period p, sorted: its members,
// and its dated members whose span meets p (a zero From or To leaves that
// side open).
func peopleIn(g org.Group, p period.Period) []string {
	out := slices.Clone(g.Members)
	for _, sp := range g.Spans {
		if (sp.From == 0 || sp.From < p.End) && (sp.To == 0 || sp.To > p.Start) {
			out = append(out, sp.Member)
		}
	}
	return uniq(out)
}

// groupRow starts the ids of the groups' rows in the scorecards' own
// evaluations: no actor's id starts with a control character
// (kpi.Event.Validate), so a department's row is its own even where a
// directory numbers its units as it numbers its users (Bitrix24's
// department 1 and user 1), and the scores name the department by its id.
const groupRow = "\x00group:"

// rowError is an error of an evaluation of the scorecards' indicators,
// which names a group by its row: it says the group's id.
type rowError struct{ err error }

func (e rowError) Error() string { return strings.ReplaceAll(e.err.Error(), groupRow, "") }
func (e rowError) Unwrap() error { return e.err }

// rowOf is the id of group id's row in the scorecards' evaluations.
func rowOf(id string) string { return groupRow + id }

// rowGroups returns the groups under the ids of their rows (rowOf).
func rowGroups(groups []org.Group) []org.Group {
	if len(groups) == 0 {
		return groups
	}
	out := make([]org.Group, len(groups))
	for i, g := range groups {
		out[i] = g
		out[i].ID = rowOf(g.ID)
	}
	return out
}
