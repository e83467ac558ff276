package chart_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/export/chart"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// A leaderboard's long unit name is cut short with "…", and the bars keep
// most of the image: the label took the whole width (an 82-character
// department name in 800 pixels), the bars were drawn 6 pixels wide at
// its right edge and the numbers of their axis on top of each other; a
// longer name began past the image's left edge.
func TestLeaderboardLongName(t *testing.T) {
	long := "Northern Region Enterprise Sales and Strategic Key Accounts Department of Moscow"
	v := func(s string) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.RequireFromString(s)) }
	board := score.Board{Leaderboard: "teams", Label: "2025-03", Standings: []score.Standing{
		{Rank: 1, Participant: "south", Value: v("132.88")}, {Rank: 2, Participant: "north", Value: v("120.82")}}}
	for _, name := range []string{long, strings.Repeat(long+" ", 20)} {
		svg, err := chart.Leaderboard(board, chart.Options{Format: chart.SVG, Names: map[string]string{"north": name}})
		if err != nil {
			t.Fatal(err)
		}
		s := string(svg)
		label := regexp.MustCompile(`<text x="(-?\d+)"[^>]*>(2\. [^<]*)</text>`).FindStringSubmatch(s)
		if label == nil {
			t.Fatalf("no label of the second standing in %s", s)
		}
		if !strings.HasPrefix(label[2], "2. Northern Region") || !strings.HasSuffix(label[2], "…") || len(label[2]) >= len(name) {
			t.Errorf("label %q, want the name's start cut short with …", label[2])
		}
		if x, _ := strconv.Atoi(label[1]); x < 0 {
			t.Errorf("the label begins at x = %d, past the image's left edge", x)
		}
		// The bars: rectangles in the series' colour; the longer is the
		// first standing's, 132.88 of an axis that starts at 0.
		widest := 0
		for _, m := range regexp.MustCompile(`<path d="M (\d+) (\d+)\nL (\d+) (\d+)\nL \d+ \d+\nL \d+ \d+\nL \d+ \d+" style="stroke:none;fill:rgb\(84,112,198\)"/>`).FindAllStringSubmatch(s, -1) {
			x0, _ := strconv.Atoi(m[1])
			x1, _ := strconv.Atoi(m[3])
			widest = max(widest, x1-x0)
		}
		if widest < 800*2/5 {
			t.Errorf("the longest bar is %d pixels wide of 800, want at least two fifths", widest)
		}
	}
}
