package chart_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/export/chart"
	"github.com/goalkit/goalkit/export/internal/sample"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

var fontFamily = regexp.MustCompile(`font-family:([^;"]*)`)

var keep = flag.String("keep", "", "write the drawn charts into this directory, to look at them")

// save writes a chart into the -keep directory.
func save(t *testing.T, name string, data []byte) {
	t.Helper()
	if *keep == "" {
		return
	}
	if err := os.WriteFile(filepath.Join(*keep, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// rowOf returns the sample report's row of a goal and participant.
func rowOf(t *testing.T, goalID, participant string) goal.Row {
	t.Helper()
	_, rep := sample.Report(t)
	for _, r := range rep.Goals.Rows {
		if r.Goal == goalID && r.Participant == participant {
			return *r
		}
	}
	t.Fatalf("no row of goal %s for %s", goalID, participant)
	return goal.Row{}
}

// svgText returns the text of an SVG image's text elements, failing the
// test when the image is not well-formed XML.
func svgText(t *testing.T, data []byte) string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	var b strings.Builder
	inText := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			inText = tok.Name.Local == "text"
		case xml.EndElement:
			inText = false
		case xml.CharData:
			if inText {
				b.Write(tok)
				b.WriteString("\n")
			}
		}
	}
	return b.String()
}

func TestCharts(t *testing.T) {
	_, rep := sample.Report(t)
	row := rowOf(t, "revenue_plan", "vera")
	board := rep.Scores.Leaderboards[0]
	draws := []struct {
		name string
		draw func(chart.Options) ([]byte, error)
		text []string
	}{
		{"burnup", func(o chart.Options) ([]byte, error) { return chart.BurnUp(row, o) }, []string{"План выручки на месяц ₽", "plan", "actual", "target", "01.03", "300 000"}},
		{"daily", func(o chart.Options) ([]byte, error) { return chart.Daily(row, o) }, []string{"План выручки на месяц ₽", "actual per day", "20.03"}},
		{"leaderboard", func(o chart.Options) ([]byte, error) { return chart.Leaderboard(board, o) }, []string{"План выручки на месяц ₽", "1. vera", "2. boris", "3. anna", "83.335", "54"}},
	}
	for _, d := range draws {
		t.Run(d.name, func(t *testing.T) {
			o := chart.Options{Title: "План выручки на месяц ₽", Width: 900, Height: 450}
			o.Format = chart.SVG
			svg, err := d.draw(o)
			if err != nil {
				t.Fatal(err)
			}
			save(t, d.name+".svg", svg)
			text := svgText(t, svg)
			for _, want := range d.text {
				if !strings.Contains(text, want) {
					t.Errorf("the SVG's text has no %q:\n%s", want, text)
				}
			}
			// Every text in DejaVu Sans, which has Cyrillic and ₽.
			for _, m := range fontFamily.FindAllSubmatch(svg, -1) {
				if string(m[1]) != "'DejaVu Sans',sans-serif" {
					t.Errorf("text in font %s, want DejaVu Sans", m[1])
				}
			}
			o.Format = chart.PNG
			pic, err := d.draw(o)
			if err != nil {
				t.Fatal(err)
			}
			save(t, d.name+".png", pic)
			img, err := png.Decode(bytes.NewReader(pic))
			if err != nil {
				t.Fatal(err)
			}
			if b := img.Bounds(); b.Dx() != 900 || b.Dy() != 450 {
				t.Errorf("the PNG is %d × %d, want 900 × 450", b.Dx(), b.Dy())
			}
		})
	}
}

func TestBurnUpNeedsSeries(t *testing.T) {
	row := rowOf(t, "revenue_plan", "vera")
	row.Series = nil
	if _, err := chart.BurnUp(row, chart.Options{}); !errors.Is(err, chart.ErrNoSeries) {
		t.Errorf("BurnUp without a series: %v, want ErrNoSeries", err)
	}
	if _, err := chart.Daily(row, chart.Options{}); !errors.Is(err, chart.ErrNoSeries) {
		t.Errorf("Daily without a series: %v, want ErrNoSeries", err)
	}
	if _, err := chart.Leaderboard(score.Board{}, chart.Options{}); !errors.Is(err, chart.ErrNoStandings) {
		t.Errorf("Leaderboard without standings: %v, want ErrNoStandings", err)
	}
	if _, err := chart.BurnUp(rowOf(t, "revenue_plan", "vera"), chart.Options{Format: "gif"}); err == nil || !strings.Contains(err.Error(), `"gif"`) {
		t.Errorf("BurnUp as gif: %v, want an error naming the format", err)
	}
}

func TestCompactNumber(t *testing.T) {
	for f, want := range map[float64]string{0: "0", 9999.5: "9 999.5", 10000: "10k", 250000: "250k", 1_500_000: "1.5M", -2_345_678: "-2.35M", 7e9: "7B",
		// Rounded up to the next unit: a million, not "1000k".
		999_996: "1M", -999_999: "-1M", 999_994: "999.99k", 999_995_000: "1B",
		// No negative zero.
		-0.001: "0", -4: "-4"} {
		if got := chart.CompactNumber(f); got != want {
			t.Errorf("compactNumber(%g) = %q, want %q", f, got, want)
		}
	}
}

// TestAnyTitle: a title with characters DejaVu Sans lacks (Chinese, an
// emoji), markup and a control character draws in both formats, and the
// SVG stays well-formed XML.
func TestAnyTitle(t *testing.T) {
	row := rowOf(t, "revenue_plan", "vera")
	for _, f := range []chart.Format{chart.SVG, chart.PNG} {
		img, err := chart.BurnUp(row, chart.Options{Format: f, Title: "李😀 <b>&amp; \x1b[2J"})
		if err != nil {
			t.Errorf("%s: %v", f, err)
		}
		if f == chart.SVG {
			if text := svgText(t, img); !strings.Contains(text, "李😀 <b>&amp;  [2J") {
				t.Errorf("the SVG's title is not the title, its control character a space:\n%s", text)
			}
		}
	}
}

// TestChartWords: a chart's legend names its series in the words given,
// English where a word is empty.
func TestChartWords(t *testing.T) {
	row := rowOf(t, "revenue_plan", "vera")
	ru := chart.Words{Plan: "план", Actual: "факт", Target: "цель", PerDay: "факт за день"}
	for _, tc := range []struct {
		name  string
		draw  func(chart.Options) ([]byte, error)
		words chart.Words
		want  []string
		not   []string
	}{
		{"burn-up in Russian", func(o chart.Options) ([]byte, error) { return chart.BurnUp(row, o) }, ru, []string{"план", "факт", "цель"}, []string{"plan", "actual", "target"}},
		{"burn-up, target in English", func(o chart.Options) ([]byte, error) { return chart.BurnUp(row, o) }, chart.Words{Plan: "план", Actual: "факт"}, []string{"план", "факт", "target"}, []string{"plan", "actual"}},
		{"daily in Russian", func(o chart.Options) ([]byte, error) { return chart.Daily(row, o) }, ru, []string{"факт за день"}, []string{"actual per day"}},
		{"a control character is a space", func(o chart.Options) ([]byte, error) { return chart.BurnUp(row, o) }, chart.Words{Plan: "pl\x1ban"}, []string{"pl an"}, []string{"\x1b"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			svg, err := tc.draw(chart.Options{Format: chart.SVG, Words: tc.words})
			if err != nil {
				t.Fatal(err)
			}
			if pic, err := tc.draw(chart.Options{Words: tc.words}); err == nil {
				save(t, "words-"+strings.ReplaceAll(tc.name, " ", "-")+".png", pic)
			}
			text := svgText(t, svg)
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("the legend has no %q:\n%s", w, text)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(text, w) {
					t.Errorf("the legend has %q:\n%s", w, text)
				}
			}
		})
	}
}

// A PNG's glyphs are set left to right as they come: right-to-left names
// are put in the order they are drawn (the last letter first). An SVG keeps
// them as written, for its viewer lays them out.
func TestRightToLeftText(t *testing.T) {
	for _, c := range []struct {
		format   chart.Format
		in, want string
	}{
		{chart.PNG, "1. עברית", "1. תירבע"},
		{"", "Goal מכירות\n", "Goal תוריכמ "},
		{chart.SVG, "1. עברית", "1. עברית"},
		{chart.PNG, "1. anna", "1. anna"},
	} {
		if got := chart.Text(chart.Options{Format: c.format}, c.in); got != c.want {
			t.Errorf("%s: %q gives %q, want %q", c.format, c.in, got, c.want)
		}
	}
	board := score.Board{Leaderboard: "b", Label: "2025-03", Standings: []score.Standing{
		{Rank: 1, Participant: "עברית", Value: decimal.NewNullDecimal(decimal.NewFromInt(5))}}}
	svg, err := chart.Leaderboard(board, chart.Options{Format: chart.SVG, Title: "מכירות"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"1. עברית", "מכירות"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("the SVG has no %q", want)
		}
	}
}
