package xlsx_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/export/internal/sample"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
	"pgregory.net/rapid"
)

// readBack is a workbook's sheets as a reader sees them: each cell as
// stored, and the exact decimal of the notes "exact: …" on numbers that a
// double does not hold.
type readBack struct {
	t     *rapid.T
	rows  map[string][][]string
	notes map[string]map[string]string // sheet → cell → exact
}

func readBook(t *rapid.T, f *excelize.File) *readBack {
	r := &readBack{t: t, rows: map[string][][]string{}, notes: map[string]map[string]string{}}
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		r.rows[sheet] = rows
		notes, err := f.GetComments(sheet)
		if err != nil {
			t.Fatal(err)
		}
		r.notes[sheet] = map[string]string{}
		for _, n := range notes {
			r.notes[sheet][n.Cell] = strings.TrimPrefix(noteText(n), "exact: ")
		}
	}
	return r
}

// cell is the text of a cell, "" for a blank one; row and col from 1.
func (r *readBack) cell(sheet string, row, col int) string {
	rows := r.rows[sheet]
	if row > len(rows) || col > len(rows[row-1]) {
		return ""
	}
	return rows[row-1][col-1]
}

// is checks that the cell shows want (nil: blank) as the number a reader
// takes from it: the number stored, exactly, or the note's exact value
// beside the double nearest it. A percent is stored as the ratio it stands
// for, the percent over 100, and its note is the percent, as the cell
// shows it.
func (r *readBack) is(sheet string, row, col int, want decimal.NullDecimal, percent bool) {
	r.t.Helper()
	name, _ := excelize.CoordinatesToCellName(col, row)
	got := r.cell(sheet, row, col)
	if !want.Valid {
		if got != "" {
			r.t.Fatalf("%s!%s = %q, want blank", sheet, name, got)
		}
		return
	}
	w := want.Decimal
	if percent {
		w = w.Shift(-2)
	}
	d, err := decimal.NewFromString(got)
	if err != nil {
		r.t.Fatalf("%s!%s = %q, want %s", sheet, name, got, w)
	}
	if exact, ok := r.notes[sheet][name]; ok {
		e, err := decimal.NewFromString(exact)
		if err != nil || !e.Equal(want.Decimal) {
			r.t.Fatalf("%s!%s: note exact %q, want %s", sheet, name, exact, w)
		}
		f, _ := w.Float64()
		if g, _ := d.Float64(); g != f {
			r.t.Fatalf("%s!%s = %s beside its note %s, the double nearest it is %v", sheet, name, got, exact, f)
		}
		return
	}
	if !d.Equal(w) {
		r.t.Fatalf("%s!%s = %s, want %s (no note says it)", sheet, name, got, w)
	}
}

func (r *readBack) text(sheet string, row, col int, want string) {
	r.t.Helper()
	if got := r.cell(sheet, row, col); got != want {
		name, _ := excelize.CoordinatesToCellName(col, row)
		r.t.Fatalf("%s!%s = %q, want %q", sheet, name, got, want)
	}
}

func nd(d decimal.Decimal) decimal.NullDecimal { return decimal.NewNullDecimal(d) }

// whole is a count as its cell shows it: blank for 0 (no rank, no
// headcount).
func whole(n int) decimal.NullDecimal {
	if n == 0 {
		return decimal.NullDecimal{}
	}
	return nd(decimal.NewFromInt(int64(n)))
}

// TestReadingSheetsAreTheReports: for the sample plan over random events
// (sample.RandomBoards: amounts whole, of cents, or of more digits than a
// double holds; boards cut to random tops, a board with unranked
// standings), every number of the sheets for reading (a goal's,
// Scorecards, Bonuses, Leaderboards, Cascades) read back by excelize is
// the report's, in the row and column its header names: the number
// stored, or where a double does not hold it, the note's exact decimal; a
// scorecard's achievement and a payout percent are the ratio of the
// percent. Each sheet has the report's rows and no others (a section the
// report does not have has no sheet: no rows, read as a sheet of its
// header alone, max(rows, 1)). A board's rows are the whole board's (the
// same events by the plan without its tops), cut to its ranks 1 to the
// top when it has one, in its order, and a board with a top counts the
// whole board's ranked standings (score.Board.Ranked); a board ends in a
// row "top N shown" exactly when that count is more than the ranked
// standings it shows: a board of exactly its top's ranks has no such row.
func TestReadingSheetsAreTheReports(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		plan, rep, full := sample.RandomBoards(t)
		f, _ := open(t, plan, rep)
		defer f.Close()
		r := readBook(t, f)
		goals(t, r, rep)
		scores(t, r, plan, rep, full)
		cascades(t, r, rep)
	})
}

func goals(t *rapid.T, r *readBack, rep *goalkit.Report) {
	at := map[string]int{} // sheet → its last row read
	for _, g := range rep.Goals.Rows {
		sheet := g.Name
		at[sheet]++
		row := at[sheet] + 1
		r.text(sheet, row, 1, g.Label)
		r.text(sheet, row, 2, who(g.Participant))
		r.is(sheet, row, 4, g.Target, false)
		r.is(sheet, row, 5, g.Actual, false)
		r.is(sheet, row, 6, g.Achievement.Uncapped, false)
		r.is(sheet, row, 7, g.Remaining, false)
		r.is(sheet, row, 8, g.Expected, false)
		r.is(sheet, row, 9, g.Forecast, false)
		r.is(sheet, row, 11, whole(g.Rank), false)
	}
	for sheet, n := range at {
		// The table, and no daily series (RandomBoards has none).
		if len(r.rows[sheet]) != n+1 {
			t.Fatalf("sheet %s has %d rows, want a header and %d", sheet, len(r.rows[sheet]), n)
		}
	}
}

func scores(t *rapid.T, r *readBack, plan *goalkit.Plan, rep, full *goalkit.Report) {
	tops := map[string]int{}
	for _, def := range plan.Definition().Leaderboards {
		tops[def.ID] = def.Top
	}
	row := 1
	for _, c := range rep.Scores.Scorecards {
		for _, k := range c.KPIs {
			row++
			r.text("Scorecards", row, 3, who(c.Participant))
			r.text("Scorecards", row, 7, k.KPI)
			r.is("Scorecards", row, 4, nd(c.Total), false)
			r.is("Scorecards", row, 5, nd(c.Subtotal), false)
			r.is("Scorecards", row, 6, nd(c.Factor), false)
			r.is("Scorecards", row, 10, k.Actual, false)
			r.is("Scorecards", row, 11, nd(k.Target), false)
			r.is("Scorecards", row, 12, k.Achievement, true)
			r.is("Scorecards", row, 13, nd(k.Score), false)
			r.is("Scorecards", row, 14, nd(k.Weight), false)
			r.is("Scorecards", row, 15, nd(k.Weighted), false)
			r.is("Scorecards", row, 16, nd(k.Contribution), false)
		}
	}
	if got := max(len(r.rows["Scorecards"]), 1); got != row {
		t.Fatalf("Scorecards has %d rows, want %d", got, row)
	}
	for i, p := range rep.Scores.Bonuses {
		row := i + 2
		pen := decimal.Zero
		for _, h := range p.Penalties {
			pen = pen.Add(h.Amount)
		}
		r.text("Bonuses", row, 3, who(p.Participant))
		r.is("Bonuses", row, 5, nd(p.Score), false)
		r.is("Bonuses", row, 7, p.Percent, true)
		r.is("Bonuses", row, 8, nd(p.BaseAmount), false)
		r.is("Bonuses", row, 9, nd(p.TierAmount), false)
		r.is("Bonuses", row, 10, nd(p.Gross), false)
		r.is("Bonuses", row, 12, nd(pen), false)
		r.is("Bonuses", row, 13, nd(p.Exact), false)
		r.is("Bonuses", row, 14, nd(p.Amount), false)
	}
	if got, want := max(len(r.rows["Bonuses"]), 1), len(rep.Scores.Bonuses)+1; got != want {
		t.Fatalf("Bonuses has %d rows, want %d", got, want)
	}
	row = 1
	for _, b := range rep.Scores.Leaderboards {
		// The whole board (the same events by the plan without its tops),
		// cut to its ranks 1 to the top when it has one, is the report's.
		top := tops[b.Leaderboard]
		ranked := 0
		var kept []score.Standing
		for _, st := range boardOf(t, full, b).Standings {
			if st.Rank > 0 {
				ranked++
			}
			if top == 0 || st.Rank > 0 && st.Rank <= top {
				kept = append(kept, st)
			}
		}
		if len(kept) != len(b.Standings) {
			t.Fatalf("%s, %s: the report keeps %d standings, %d ranked (top %d), want %d", b.Leaderboard, b.Label, len(b.Standings), ranked, top, len(kept))
		}
		for i, st := range b.Standings {
			if st.Participant != kept[i].Participant || st.Rank != kept[i].Rank {
				t.Fatalf("%s, %s: standing %d is %s (rank %d), want %s (rank %d)", b.Leaderboard, b.Label, i, st.Participant, st.Rank, kept[i].Participant, kept[i].Rank)
			}
			row++
			r.text("Leaderboards", row, 1, b.Leaderboard)
			r.text("Leaderboards", row, 2, b.Label)
			r.is("Leaderboards", row, 3, whole(st.Rank), false)
			r.text("Leaderboards", row, 4, who(st.Participant))
			r.is("Leaderboards", row, 5, st.Value, false)
			r.is("Leaderboards", row, 6, whole(st.Headcount), false)
		}
		// A board that left out a ranked standing (more ranked than the
		// ranked standings it shows) says so in a row of its own; no other.
		shown := 0
		for _, st := range b.Standings {
			if st.Rank > 0 {
				shown++
			}
		}
		want := 0 // a board of a leaderboard without a top counts nothing
		if top > 0 {
			want = ranked
		}
		if b.Ranked != want {
			t.Fatalf("%s, %s (top %d): the board counts %d ranked, want %d", b.Leaderboard, b.Label, top, b.Ranked, want)
		}
		if cut := ranked > shown; cut {
			row++
			r.text("Leaderboards", row, 1, b.Leaderboard)
			r.text("Leaderboards", row, 2, b.Label)
			r.text("Leaderboards", row, 3, fmt.Sprintf("top %d shown", top))
			r.text("Leaderboards", row, 4, "")
			r.text("Leaderboards", row, 5, "")
		}
	}
	if got := max(len(r.rows["Leaderboards"]), 1); got != row {
		t.Fatalf("Leaderboards has %d rows, want %d", got, row)
	}
}

// boardOf is the board of the whole report of the same leaderboard
// and period as b.
func boardOf(t *rapid.T, full *goalkit.Report, b score.Board) score.Board {
	w, ok := sample.Board(full, b)
	if !ok {
		t.Fatalf("the whole report has no board %s, %s", b.Leaderboard, b.Label)
	}
	return w
}

func cascades(t *rapid.T, r *readBack, rep *goalkit.Report) {
	row := 1
	for _, tr := range rep.Cascade.Trees {
		var walk func(n *cascade.Node)
		walk = func(n *cascade.Node) {
			row++
			r.text("Cascades", row, 1, tr.Cascade)
			if got := strings.TrimLeft(r.cell("Cascades", row, 2), " "); got != n.ID {
				t.Fatalf("Cascades row %d: node %q, want %q", row, got, n.ID)
			}
			r.text("Cascades", row, 3, who(n.Participant))
			r.is("Cascades", row, 5, n.Target, false)
			r.is("Cascades", row, 7, n.Weight, false)
			r.is("Cascades", row, 8, n.Actual, false)
			r.is("Cascades", row, 9, n.Achievement, false)
			r.is("Cascades", row, 11, n.Share, false)
			r.is("Cascades", row, 12, n.Contribution, false)
			for _, c := range n.Children {
				walk(c)
			}
		}
		walk(tr.Root)
	}
	if got := max(len(r.rows["Cascades"]), 1); got != row {
		t.Fatalf("Cascades has %d rows, want %d", got, row)
	}
}
