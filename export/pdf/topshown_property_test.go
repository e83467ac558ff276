package pdf_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/export/internal/poppler"
	"github.com/goalkit/goalkit/export/internal/sample"
	"github.com/goalkit/goalkit/export/pdf"
	"github.com/goalkit/goalkit/score"
	"pgregory.net/rapid"
)

// boardsCase is a case of sample.RandomBoards.
type boardsCase struct {
	plan       *goalkit.Plan
	rep, full  *goalkit.Report
	who        string // the person whose scorecard is read
	cut, blank bool   // a board says "top N shown"; a standing is unranked
}

// TestBoardsSayTheirCut: for the sample plan over random events
// (sample.RandomBoards: boards cut to random tops, or not, and a board on
// which a person without a deal created stands unranked), the department
// summary's table of each board is the report's standings, in its order
// (the rank, "—" for none, and the participant), and "top N shown" follows
// it exactly when the board left out a ranked standing of the whole board
// (the same events by the plan without its tops): a board of exactly its
// top's ranks says nothing. A person's place on a board says "of M", M the
// whole board's ranked standings counted here, on a cut board too.
//
// A summary, with a chart per board, takes over a second under the race
// detector: the documents are read for the first cases of the generator
// (seeds 0 to 4, one person's scorecard each), of which at least one has
// a board cut and one an unranked standing; the workbook's property
// (xlsx's TestReadingSheetsAreTheReports) runs on every case rapid draws.
func TestBoardsSayTheirCut(t *testing.T) {
	gen := rapid.Custom(func(t *rapid.T) boardsCase {
		plan, rep, full := sample.RandomBoards(t)
		c := boardsCase{plan: plan, rep: rep, full: full}
		if cards := rep.Scores.Scorecards; len(cards) > 0 {
			c.who = cards[rapid.IntRange(0, len(cards)-1).Draw(t, "card")].Participant
		}
		return c
	})
	var cut, blank bool
	for seed := range 5 {
		c := gen.Example(seed)
		boardsSayTheirCut(t, &c)
		cut, blank = cut || c.cut, blank || c.blank
	}
	if !cut || !blank {
		t.Errorf("the cases read have a board cut: %v, an unranked standing: %v; want both", cut, blank)
	}
}

func boardsSayTheirCut(t *testing.T, c *boardsCase) {
	plan, rep, full := c.plan, c.rep, c.full
	if rep.Scores == nil || len(rep.Scores.Leaderboards) == 0 {
		return
	}
	var buf bytes.Buffer
	if err := pdf.Department(&buf, plan, rep, "2025-03"); err != nil {
		t.Fatal(err)
	}
	text := squeeze(poppler.Text(t, buf.Bytes()))
	values := map[string]map[string]string{} // board → participant → value as shown
	of := map[string]string{}                // board → a place's "of"
	for _, b := range rep.Scores.Leaderboards {
		top := 0
		for _, def := range plan.Definition().Leaderboards {
			if def.ID == b.Leaderboard {
				top = def.Top
			}
		}
		ranked, held := 0, 0
		for _, st := range wholeBoard(t, full, b).Standings {
			if st.Rank > 0 {
				ranked++
			}
		}
		for _, st := range b.Standings {
			if st.Rank > 0 {
				held++
			}
		}
		cut := held < ranked
		if cut && top == 0 {
			t.Fatalf("%s: %d of %d ranked kept without a top", b.Leaderboard, held, ranked)
		}
		c.cut = c.cut || cut
		c.blank = c.blank || slices.ContainsFunc(b.Standings, func(st score.Standing) bool { return st.Rank == 0 })
		of[b.Leaderboard] = fmt.Sprint(" ", ranked)
		if len(b.Standings) == 0 {
			if strings.Contains(text, "\nLeaderboard "+b.Leaderboard+"\n") {
				t.Fatalf("leaderboard %s has no standings, and is drawn:\n%s", b.Leaderboard, text)
			}
			continue
		}
		_, after, ok := strings.Cut(text, "\nLeaderboard "+b.Leaderboard+"\n")
		if !ok {
			t.Fatalf("no leaderboard %s:\n%s", b.Leaderboard, text)
		}
		_, after, ok = strings.Cut(after, "rank participant value\n")
		if !ok {
			t.Fatalf("leaderboard %s has no table:\n%s", b.Leaderboard, text)
		}
		lines := strings.Split(after, "\n")
		values[b.Leaderboard] = map[string]string{}
		for i, st := range b.Standings {
			rank := "—"
			if st.Rank > 0 {
				rank = fmt.Sprint(st.Rank)
			}
			want := rank + " " + st.Participant + " "
			if !strings.HasPrefix(lines[i], want) {
				t.Fatalf("leaderboard %s: row %d is %q, want %q and the value", b.Leaderboard, i+1, lines[i], want)
			}
			values[b.Leaderboard][st.Participant] = strings.TrimPrefix(lines[i], want)
		}
		// The line after the table, past a blank one.
		next, _, _ := strings.Cut(strings.TrimLeft(strings.Join(lines[len(b.Standings):], "\n"), "\n"), "\n")
		if said := strings.HasPrefix(next, "top "); said != cut || cut && next != fmt.Sprintf("top %d shown", top) {
			t.Fatalf("leaderboard %s (top %d, %d standings): after its table %q, want the line %v", b.Leaderboard, top, len(b.Standings), next, cut)
		}
	}
	// The drawn person's scorecard.
	if who := c.who; who != "" {
		buf.Reset()
		if err := pdf.Person(&buf, plan, rep, who, "2025-03"); err != nil {
			t.Fatal(err)
		}
		page := squeeze(poppler.Text(t, buf.Bytes()))
		for _, b := range rep.Scores.Leaderboards {
			for _, st := range b.Standings {
				if st.Participant != who {
					continue
				}
				rank := "—"
				if st.Rank > 0 {
					rank = fmt.Sprint(st.Rank)
				}
				want := "\n" + b.Leaderboard + " " + rank + of[b.Leaderboard] + " " + values[b.Leaderboard][who] + "\n"
				if !strings.Contains(page, want) {
					t.Fatalf("%s's scorecard has no %q:\n%s", who, want, page)
				}
			}
		}
	}
}

// wholeBoard is the board of the whole report of the same leaderboard
// and period as b.
func wholeBoard(t *testing.T, full *goalkit.Report, b score.Board) score.Board {
	w, ok := sample.Board(full, b)
	if !ok {
		t.Fatalf("the whole report has no board %s, %s", b.Leaderboard, b.Label)
	}
	return w
}
