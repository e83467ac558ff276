package goalkit_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/goal"
)

// A report a host made (of goals alone, of a report's parts, of nothing:
// the types allow it, and the exports take it) is written by WriteJSON,
// WriteTable and WriteCSV and cut by ForViewer; each panicked on its nil
// values, and the table and CSV writers on the calendar only the engine
// sets.
func TestHostMadeReports(t *testing.T) {
	plan := parsePlan(t, collidePlan)
	rep, err := plan.Evaluate(context.Background(), storeOf(t, time.UTC, collideEvents()...),
		time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), goalkit.WithDirectory(collideDirectory(t)))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		what string
		rep  *goalkit.Report
		// has: what the JSON and the table each hold, read from the
		// collide plan's goal of team 1 (5 calls of a target of 5).
		json, table []string
	}{
		{"nothing", &goalkit.Report{}, []string{`"values": [`}, []string{"as of 0001-01-01 00:00 UTC"}},
		{"an instant", &goalkit.Report{AsOf: at, Timezone: "UTC"}, []string{`"as_of": "2025-04-01T00:00:00Z"`, `"timezone": "UTC"`}, []string{"as of 2025-04-01 00:00 UTC (UTC)"}},
		{"goals alone", &goalkit.Report{AsOf: at, Goals: rep.Goals}, []string{`"goal": "g"`, `"participant": "1"`}, []string{"as of 2025-04-01 00:00 UTC", "g"}},
		{"values of no plan", &goalkit.Report{AsOf: at, Values: rep.Values}, []string{`"indicator": "calls", "participant": "7", "period_start": "2025-03-01", "period_end": "2025-04-01", "value": "3"`},
			[]string{"2025-03", "calls"}},
	} {
		var b bytes.Buffer
		if err := c.rep.WriteJSON(&b); err != nil {
			t.Errorf("%s: WriteJSON: %v", c.what, err)
		}
		if !json.Valid(b.Bytes()) {
			t.Errorf("%s: WriteJSON wrote no JSON:\n%s", c.what, b.String())
		}
		for _, want := range c.json {
			if !strings.Contains(b.String(), want) {
				t.Errorf("%s: the JSON has no %s:\n%s", c.what, want, b.String())
			}
		}
		b.Reset()
		if err := c.rep.WriteTable(&b); err != nil {
			t.Errorf("%s: WriteTable: %v", c.what, err)
		}
		for _, want := range c.table {
			if !strings.Contains(b.String(), want) {
				t.Errorf("%s: the table has no %q:\n%s", c.what, want, b.String())
			}
		}
		b.Reset()
		err := c.rep.WriteCSV(&b)
		if c.rep.Goals == nil && err != nil {
			t.Errorf("%s: WriteCSV: %v", c.what, err)
		}
		if c.rep.Goals != nil && err == nil {
			t.Errorf("%s: WriteCSV of a report of goals wrote them", c.what)
		}
		if v := c.rep.ForViewer(goal.Viewer{User: "7"}, nil); v == nil || (c.rep.Values == nil) != (v.Values == nil) {
			t.Errorf("%s: ForViewer gave %+v", c.what, v)
		}
	}
}

// A report a host made or cut with a hole (a nil goal row, cascade tree
// or node, explained change) is refused by the table writer, naming the
// first hole (Check); the writer panicked on it. A viewer's cut of a nil
// change leaves it out; it panicked.
func TestHostMadeReportsWithHoles(t *testing.T) {
	plan := compile(t, readDef(t, "examples/cascade/plan.yaml"))
	rep := mustEvaluate(t, plan, storeOf(t, plan.Calendar().Location()), time.Date(2025, 3, 20, 12, 0, 0, 0, time.UTC))
	if rep.Cascade == nil || len(rep.Cascade.Trees) == 0 || rep.Cascade.Trees[0].Root == nil {
		t.Fatal("the example's report has no cascade tree")
	}
	nilRow := *rep
	nilRow.Goals = &goal.Result{Rows: []*goal.Row{{Goal: "g"}, nil}}
	nilTree := *rep
	nilTree.Cascade = &cascade.Result{Trees: []*cascade.Tree{rep.Cascade.Trees[0], nil}}
	nilRoot := *rep
	rootless := *rep.Cascade.Trees[0]
	rootless.Root = nil
	nilRoot.Cascade = &cascade.Result{Trees: []*cascade.Tree{&rootless}}
	nilChild := *rep
	tree := *rep.Cascade.Trees[0]
	root := *tree.Root
	root.Children = append(slices.Clone(root.Children), &cascade.Node{}, nil)
	tree.Root = &root
	nilChild.Cascade = &cascade.Result{Trees: []*cascade.Tree{&tree}}
	nilChange := *rep
	nilChange.Changes = []*goalkit.Change{nil}
	for _, c := range []struct {
		rep  *goalkit.Report
		want string
	}{
		{rep, ""},
		{&nilRow, "goalkit: the report's goals.rows[1] is nil"},
		{&nilTree, "goalkit: the report's cascade.trees[1] is nil"},
		{&nilRoot, "goalkit: the report's cascade.trees[0].root is nil"},
		{&nilChild, fmt.Sprintf("goalkit: the report's cascade.trees[0].root.children[%d] is nil", len(root.Children)-1)},
		{&nilChange, "goalkit: the report's changes[0] is nil"},
	} {
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("%s: panicked: %v", c.want, p)
				}
			}()
			var b bytes.Buffer
			err := c.rep.WriteTable(&b)
			if got := fmt.Sprint(err); c.want == "" && err != nil || c.want != "" && got != c.want {
				t.Errorf("WriteTable: %v, want %q", err, c.want)
			}
			if got := fmt.Sprint(c.rep.Check()); c.want != "" && got != c.want {
				t.Errorf("Check: %s, want %q", got, c.want)
			}
			if c.rep == &nilChange {
				if v := c.rep.ForViewer(goal.Viewer{User: "anna"}, nil); len(v.Changes) != 0 {
					t.Errorf("the view of a nil change has %d changes", len(v.Changes))
				}
			}
		}()
	}
}
