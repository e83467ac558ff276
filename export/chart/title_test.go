package chart_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/export/chart"
	"github.com/goalkit/goalkit/export/internal/sample"
	"github.com/golang/freetype/truetype"
)

// svgTexts are the <text> elements of an SVG: where each starts across,
// and what it says.
func svgTexts(t *testing.T, data []byte) (xs []float64, texts []string) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return xs, texts
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed: %v", err)
		}
		if el, ok := tok.(xml.StartElement); ok && el.Name.Local == "text" {
			var x float64
			for _, a := range el.Attr {
				if a.Name.Local == "x" {
					x, _ = strconv.ParseFloat(a.Value, 64)
				}
			}
			var s string
			if err := dec.DecodeElement(&s, &el); err != nil {
				t.Fatal(err)
			}
			xs, texts = append(xs, x), append(texts, s)
		}
	}
}

// TestLongTitle: a title too long for one line is broken at spaces into
// lines that each end inside the image and before the legend, so that the
// participant and the period at its end are drawn, not cut off at the
// image's edge or written under the legend.
func TestLongTitle(t *testing.T) {
	row := rowOf(t, "revenue_plan", "vera")
	_, rep := sample.Report(t)
	board := rep.Scores.Leaderboards[0]
	title := chart.Isolate("Выручка на человека с очень длинным названием цели, которое никак не помещается в одну строку заголовка") + ", vera, 2025-03"
	face := truetype.NewFace(dejavu, &truetype.Options{Size: 16, DPI: 72}) // the SVG's 16px
	width := func(s string) float64 {
		w := 0
		for _, r := range s {
			adv, _ := face.GlyphAdvance(r)
			w += int(adv)
		}
		return float64(w) / 64
	}
	for name, draw := range map[string]func(chart.Options) ([]byte, error){
		"burn-up":     func(o chart.Options) ([]byte, error) { return chart.BurnUp(row, o) },
		"daily":       func(o chart.Options) ([]byte, error) { return chart.Daily(row, o) },
		"leaderboard": func(o chart.Options) ([]byte, error) { return chart.Leaderboard(board, o) },
	} {
		img, err := draw(chart.Options{Format: chart.SVG, Title: title})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		xs, texts := svgTexts(t, img)
		// The legend's first name, and the room its mark takes before it.
		limit := float64(chart.DefaultWidth)
		for i, s := range texts {
			if s == "plan" || s == "actual per day" {
				limit = xs[i] - 25
				break
			}
		}
		var lines []string
		for i, s := range texts {
			if len(lines) > 0 && !strings.HasPrefix(format(title), strings.Join(append(lines, s), " ")) {
				break
			}
			if len(lines) == 0 && !strings.HasPrefix(format(title), s) {
				continue
			}
			lines = append(lines, s)
			if right := xs[i] + width(s); right > limit {
				t.Errorf("%s: the title's line %q ends at %.0f, past %.0f", name, s, right, limit)
			}
		}
		if got := strings.Join(lines, " "); got != format(title) {
			t.Errorf("%s: the title drawn is %q, want %q", name, got, format(title))
		}
	}
}

// format is a left-to-right title as an SVG writes it: without the
// isolate's marks.
func format(title string) string {
	return strings.NewReplacer("\u2068", "", "\u2069", "").Replace(title)
}
