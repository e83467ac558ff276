package pdf_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/export/internal/poppler"
	"github.com/goalkit/goalkit/export/internal/sample"
	"github.com/goalkit/goalkit/export/pdf"
)

// TestPersonRankOfACutBoard: a person's place on a board cut to its top
// is of every standing ranked before the cut, which the report's board
// counts. The sample ranks its three people (anna, boris, vera) on both
// boards; cut to its top 2, top_revenue keeps two standings, and boris's
// place on it read "2 of 2" (the standings kept), then "2" alone: it is
// "2 of 3". A board whose top keeps exactly what it ranked (top 3 of
// three) was not cut: "2 of 3" too.
func TestPersonRankOfACutBoard(t *testing.T) {
	plan := string(sample.Plan())
	for old, cut := range map[string]string{
		"{id: sales_total, scorecard: sales}":                               "{id: sales_total, scorecard: sales, top: 3}",
		"{id: top_revenue, scorecard: sales, kpi: revenue, metric: actual}": "{id: top_revenue, scorecard: sales, kpi: revenue, metric: actual, top: 2}",
	} {
		if !strings.Contains(plan, old) {
			t.Fatalf("the sample plan has no %s", old)
		}
		plan = strings.Replace(plan, old, cut, 1)
	}
	p, rep, err := sample.Evaluate([]byte(plan), sample.Events(), sample.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := pdf.Person(&buf, p, rep, "boris", "2025-03"); err != nil {
		t.Fatal(err)
	}
	text := squeeze(poppler.Text(t, buf.Bytes()))
	for _, want := range []string{
		"\nleaderboard rank of value\n",
		"\nsales_total 2 3 65.415\n",
		"\ntop_revenue 2 3 170 501.00 ₽\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("boris's scorecard has no %q:\n%s", want, text)
		}
	}
}

// TestPersonRankOfRankedStandings: on a board without a top, a person's
// place is of the board's ranked standings; those without a value stand
// unranked and are not counted. On the conversion board of sample.Boards,
// dima, whose only event is a call, has no conversion: of the four
// standings three are ranked (vera, anna and boris, who created deals),
// and boris's place read "3 of 4". On sales_total (top 4), where all four
// are ranked, a place is of four; on top_revenue, cut to its top 2, of the
// four it ranked.
func TestPersonRankOfRankedStandings(t *testing.T) {
	p, rep := sample.Boards(t)
	for who, want := range map[string]string{
		"boris": "\nconversion 3 3 37.5\nsales_total 2 4 65.415\ntop_revenue 2 4 170 501.00 ₽\n",
		"dima":  "\nconversion — 3 —\nsales_total 4 4 1\n",
	} {
		var buf bytes.Buffer
		if err := pdf.Person(&buf, p, rep, who, "2025-03"); err != nil {
			t.Fatal(err)
		}
		if text := squeeze(poppler.Text(t, buf.Bytes())); !strings.Contains(text, want) {
			t.Errorf("%s's scorecard has no %q:\n%s", who, want, text)
		}
	}
}
