package xlsx_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/eventfile"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/export/internal/sample"
	"github.com/goalkit/goalkit/export/xlsx"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/xuri/excelize/v2"
	"pgregory.net/rapid"
)

// The sample's people, and the units a drawn organisation has.
var (
	viewPeople = []string{"anna", "boris", "vera"}
	viewUnits  = []string{"east", "west"}
)

// viewName is the name the drawn directory gives a person or a unit: text
// no sheet writes for any other reason.
func viewName(id string) string { return "Name-of-" + id }

// Whatever the organisation and the viewer, the workbook of a viewer's
// report (Report.ForViewer under the directory's default visibility), with
// the directory's names, names no person or unit the viewer's report
// leaves out (the leaderboards aside: public standings, whole in the
// report), and its Values sheet has the viewer's rows and no others.
func TestViewersWorkbookNamesOnlyWhatTheySee(t *testing.T) {
	def, err := goalkit.ParseDefinition("plan.yaml", sample.Plan())
	if err != nil {
		t.Fatal(err)
	}
	// A goal of teams beside the sample's goals of people, built in Go.
	def.Goals = append(def.Goals, goal.Def{ID: "team_calls", Name: "Team calls", Indicator: "calls", Target: goalkit.Number("40"),
		Period:       goal.PeriodDef{From: date.New(2025, 3, 1), Every: period.Month},
		Participants: goal.ParticipantsDef{Teams: viewUnits}})
	plan, err := goalkit.Compile(def)
	if err != nil {
		t.Fatal(err)
	}
	store := memory.New(plan.Calendar().Location())
	if err := eventfile.Load(context.Background(), store, bytes.NewReader(sample.Events()), "events.ndjson", eventfile.Options{Attributes: def.Attributes}); err != nil {
		t.Fatal(err)
	}
	rapid.Check(t, func(rt *rapid.T) {
		var units []org.Unit
		for i, u := range viewUnits {
			un := org.Unit{ID: u, Name: viewName(u), Head: rapid.SampledFrom(append(slices.Clone(viewPeople), "")).Draw(rt, "head of "+u)}
			if i > 0 && rapid.Bool().Draw(rt, "nested") {
				un.Parent = viewUnits[0]
			}
			units = append(units, un)
		}
		var ms []org.Membership
		for _, p := range viewPeople {
			if u := rapid.IntRange(-1, len(units)-1).Draw(rt, "unit of "+p); u >= 0 {
				ms = append(ms, org.Membership{User: p, Unit: units[u].ID})
			}
		}
		dir, err := memory.NewDirectory(units, ms)
		if err != nil {
			rt.Fatal(err)
		}
		ctx := context.Background()
		full, err := plan.Evaluate(ctx, store, sample.AsOf, goalkit.WithDirectory(dir), goalkit.WithSeries())
		if err != nil {
			rt.Fatal(err)
		}
		o, err := org.Load(ctx, dir)
		if err != nil {
			rt.Fatal(err)
		}
		viewer := goal.Viewer{User: rapid.SampledFrom(append(slices.Clone(viewPeople), "")).Draw(rt, "viewer")}
		view := full.ForViewer(viewer, goal.DefaultVisibility{Org: o, Date: plan.Calendar().Date(sample.AsOf)})

		// Who the viewer's report names, outside its public standings.
		named := map[string]bool{}
		for _, r := range view.Values.Rows() {
			named[r.Participant] = true
		}
		if view.Goals != nil {
			for _, r := range view.Goals.Rows {
				named[r.Participant] = true
				for _, m := range r.Members {
					named[m] = true
				}
			}
		}
		if view.Scores != nil {
			for _, c := range view.Scores.Scorecards {
				named[c.Participant] = true
			}
		}
		var hidden []string
		for _, p := range append(slices.Clone(viewPeople), viewUnits...) {
			if !named[p] {
				hidden = append(hidden, p)
			}
		}

		var buf bytes.Buffer
		namer := func(kind goal.ParticipantKind, id string) (string, bool) { return viewName(id), kind != goal.Company }
		if err := xlsx.Write(&buf, plan, view, xlsx.WithNamer(namer)); err != nil {
			rt.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			rt.Fatal(err)
		}
		defer f.Close()
		for _, sheet := range f.GetSheetList() {
			if sheet == "Leaderboards" {
				continue
			}
			rows, err := f.GetRows(sheet)
			if err != nil {
				rt.Fatal(err)
			}
			for i, row := range rows {
				for j, cell := range row {
					for _, p := range hidden {
						if cell == p || strings.Contains(cell, viewName(p)) {
							rt.Fatalf("%s!%s%d of %+v's workbook names %s, whom their report leaves out: %q", sheet, string(rune('A'+j)), i+1, viewer, p, cell)
						}
					}
				}
			}
		}
		// The Values sheet has a row for each of the view's, and no other.
		rows, err := f.GetRows("Values")
		if err != nil {
			rt.Fatal(err)
		}
		if len(rows) != len(view.Values.Rows())+1 {
			rt.Fatalf("%+v: the Values sheet has %d rows, the viewer's report %d values", viewer, len(rows)-1, len(view.Values.Rows()))
		}
	})
}
