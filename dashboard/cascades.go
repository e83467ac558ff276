package dashboard

import (
	"slices"
	"strings"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/kindof"
	"github.com/goalkit/goalkit/org"
)

type cascadeNode = cascade.Node

// treeView is one cascade: its root node and the nodes below it, each with
// its plan, actual, achievement and share of its parent.
type treeView struct {
	Name, Indicator string
	Root            *nodeView
}

type nodeView struct {
	Label, Participant, Period                 string
	Target, Actual, Achievement, Share, Weight string
	Met                                        bool
	ExplainURL                                 string
	Children                                   []*nodeView
}

func (h *handler) cascades(q *request) (string, string, any, error) {
	rep, err := q.report()
	if err != nil {
		return "", "", nil, err
	}
	var out []treeView
	if rep.Cascade == nil {
		return "cascades.html", "nav.cascades", out, nil
	}
	plan := q.h.data.Plan()
	seen := visible(plan, rep)
	for _, t := range rep.Cascade.Trees {
		if t.Root == nil {
			continue
		}
		ix, _ := plan.Indicators().Lookup(t.Indicator)
		f := formatOf(ix)
		var walk func(n *cascade.Node) *nodeView
		walk = func(n *cascade.Node) *nodeView {
			v := &nodeView{
				Label: n.Key, Participant: q.participantText(kindof.Node(n.Kind), n.Participant), Period: n.Label,
				Target: f.text(q.l, n.Target), Actual: f.text(q.l, n.Actual),
				Achievement: percentOf(q.l, n.Achievement), Share: percentOf(q.l, n.Share),
				Met: n.Met,
			}
			if explained(seen, rep, n) && (n.Kind != cascade.UnitKind || !q.shadowed(n.Participant)) {
				v.ExplainURL = q.explainLink(t.Indicator, n.Participant, n.Period)
			}
			if v.Label == n.Participant || v.Label == "" {
				v.Label = ""
			}
			for _, c := range n.Children {
				v.Children = append(v.Children, walk(c))
			}
			return v
		}
		out = append(out, treeView{Name: nameOr(t.Name, t.Cascade), Indicator: t.Indicator, Root: walk(t.Root)})
	}
	return "cascades.html", "nav.cascades", out, nil
}

// explained reports whether the viewer's explanation of a cascade node's
// value will answer: where the node shows a fact, or its participant is
// one the viewer's report shows elsewhere (a visible node whose actual is
// undefined). A node kept only as the path to the viewer's own (its plan
// alone, cascade.Result.Prune) is of a participant the viewer may not
// see, whose explanation answers "no such value": it is not linked.
func explained(seen visibleSet, rep *goalkit.Report, n *cascadeNode) bool {
	if hasFacts(n) {
		return true
	}
	switch n.Kind {
	case cascade.UserKind:
		return seen.people[n.Participant]
	case cascade.UnitKind:
		return seen.units[n.Participant]
	}
	// The company: seen where the report holds its values or its goals.
	if rep.Values != nil && slices.Contains(rep.Values.Participants(), org.Everyone) {
		return true
	}
	return rep.Goals != nil && slices.ContainsFunc(rep.Goals.Rows, func(r *goal.Row) bool { return r.Kind == goal.Company })
}

// teamsPage is the goals of teams and the company, and the department
// view: the indicator values of every group row the viewer sees, a row per
// group and a column per indicator.
type teamsPage struct {
	Goals   []goalSection
	Period  string
	Columns []string
	Groups  []groupValues
	// Notes say which units have no row of values: a unit whose id is
	// also an actor's, whose row it is (Bitrix24's department 1 and user
	// 1), is left out of the table.
	Notes []string
}

type groupValues struct {
	Participant string
	Values      []namedValue
}

type namedValue struct {
	Value, ExplainURL string
}

func (h *handler) teams(q *request) (string, string, any, error) {
	secs, err := q.goalSections(func(r goal.Row) bool { return r.Kind != goal.User })
	if err != nil {
		return "", "", nil, err
	}
	page := teamsPage{Goals: secs}
	rep, _ := q.report()
	if rep.Values == nil {
		return "teams.html", "nav.teams", page, nil
	}
	for _, w := range rep.Values.Warnings {
		// The only warning of no indicator and no period is a unit's
		// whose row is an actor's.
		if w.Indicator == "" && w.Period == "" && !rep.Values.IsGroup(w.Participant) {
			page.Notes = append(page.Notes, strings.NewReplacer("{unit}", q.participantText(goal.Team, w.Participant), "{id}", w.Participant).Replace(q.l.T("teams.norow")))
		}
	}
	if len(rep.Values.Periods()) == 0 {
		return "teams.html", "nav.teams", page, nil
	}
	cur := q.currentPeriod(rep.Values.Periods())
	page.Period = q.h.data.Plan().Calendar().Label(cur)
	indicators := q.h.data.Plan().Indicators()
	ids := indicators.IDs()
	for _, id := range ids {
		ix, _ := indicators.Lookup(id)
		page.Columns = append(page.Columns, nameOr(ix.Def.Name, id))
	}
	for _, p := range rep.Values.Participants() {
		if p != org.Everyone && !rep.Values.IsGroup(p) {
			continue
		}
		g := groupValues{Participant: q.participantText(q.valueKind(p), p)}
		for _, id := range ids {
			v, _ := rep.Values.Value(id, p, cur)
			ix, _ := indicators.Lookup(id)
			g.Values = append(g.Values, namedValue{Value: formatOf(ix).text(q.l, v), ExplainURL: q.explainLink(id, p, cur)})
		}
		page.Groups = append(page.Groups, g)
	}
	return "teams.html", "nav.teams", page, nil
}
