package chart_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/export/chart"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// TestLeaderboardBestWithoutValue: a standing ranked without a value (a
// lower-is-better KPI met at zero, ranked by achievement above every
// value: score.Standing.Best) has its row, labelled with its rank, at the
// top; the chart left it out, and the board's leader was not drawn. A
// standing without a value or a rank is still left out.
func TestLeaderboardBestWithoutValue(t *testing.T) {
	v := func(n int64) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.NewFromInt(n)) }
	board := score.Board{Leaderboard: "b", Label: "2025-03", Standings: []score.Standing{
		{Rank: 1, Participant: "anna", Best: true},
		{Rank: 2, Participant: "boris", Value: v(9)},
		{Rank: 3, Participant: "vera", Value: v(5)},
		{Rank: 0, Participant: "dima"},
	}}
	for _, format := range []chart.Format{chart.SVG, chart.PNG} {
		img, err := chart.Leaderboard(board, chart.Options{Format: format})
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if format != chart.SVG {
			continue
		}
		y := map[string]int{} // a text drawn → its baseline
		var texts []string
		for _, m := range drawnText.FindAllStringSubmatch(string(img), -1) {
			n, _ := strconv.Atoi(m[2])
			y[m[4]] = n
			texts = append(texts, m[4])
		}
		for _, want := range []string{"1. anna", "2. boris", "3. vera"} {
			if _, ok := y[want]; !ok {
				t.Errorf("the SVG draws no %q: %q", want, texts)
			}
		}
		if !(y["1. anna"] < y["2. boris"] && y["2. boris"] < y["3. vera"]) {
			t.Errorf("the rows are not anna, boris, vera from the top: %v", y)
		}
		for _, text := range texts {
			if strings.Contains(text, "dima") || strings.Contains(text, "e+") || strings.Contains(text, "E+") || len(text) > 12 {
				t.Errorf("the SVG draws %q: %q", text, texts)
			}
		}
		if bars := svgBar.FindAllString(string(img), -1); len(bars) != 2 {
			t.Errorf("%d bars, want boris's and vera's", len(bars))
		}
	}
}

// TestLeaderboardBestRowsCut: where the height holds fewer rows than the
// standings, the first drawn can all be ranked without a value (three tied
// for the first rank): the chart is drawn, its other rows counted, at every
// height that holds two rows.
func TestLeaderboardBestRowsCut(t *testing.T) {
	board := score.Board{Leaderboard: "b", Label: "2025-03"}
	for _, p := range []string{"a", "b", "c"} {
		board.Standings = append(board.Standings, score.Standing{Rank: 1, Participant: p, Best: true})
	}
	for i := range 10 {
		board.Standings = append(board.Standings, score.Standing{Rank: 4 + i, Participant: fmt.Sprint("p", i), Value: decimal.NewNullDecimal(decimal.NewFromInt(int64(100 - i)))})
	}
	drawn := 0
	for height := 60; height <= 400; height += 10 {
		svg, err := chart.Leaderboard(board, chart.Options{Format: chart.SVG, Height: height})
		if err != nil {
			if !strings.Contains(err.Error(), "holds fewer than two rows") {
				t.Errorf("height %d: %v", height, err)
			}
			continue
		}
		drawn++
		if !strings.Contains(string(svg), ">1. a<") {
			t.Errorf("height %d: the first row is not drawn", height)
		}
	}
	if drawn == 0 {
		t.Error("no height drew the chart")
	}
}
