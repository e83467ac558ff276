package pdf_test

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/export/internal/poppler"
	"github.com/goalkit/goalkit/export/internal/sample"
	"github.com/goalkit/goalkit/export/pdf"
)

// TestRightToLeftParagraphLines: a right-to-left paragraph that runs over
// several lines is broken into lines before each line is put in the order
// it is drawn, so that its first line holds its first words. Ordered first
// and broken after, the first line held the last words and the paragraph
// read from its end. The words are numbered; pdftotext gives each line
// back in reading order, so the numbers must come in order.
func TestRightToLeftParagraphLines(t *testing.T) {
	words := []string{"אחת", "שתיים", "שלוש", "ארבע", "חמש"}
	var desc []string
	for i := range 60 {
		desc = append(desc, fmt.Sprintf("%s %d", words[i%len(words)], i+1))
	}
	plan := strings.Replace(string(sample.Plan()), "    name: План выручки на месяц\n",
		"    name: План выручки на месяц\n    description: \""+strings.Join(desc, " ")+"\"\n", 1)
	p, rep, err := sample.Evaluate([]byte(plan), sample.Events(), sample.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := pdf.Goal(&buf, p, rep, "revenue_plan", ""); err != nil {
		t.Fatal(err)
	}
	text := poppler.Text(t, buf.Bytes())
	var lines int
	var got []int
	for _, line := range strings.Split(text, "\n") {
		if !strings.Contains(line, words[0]) && !strings.Contains(line, words[1]) {
			continue
		}
		lines++
		for _, m := range regexp.MustCompile(`\d+`).FindAllString(line, -1) {
			n, _ := strconv.Atoi(m)
			got = append(got, n)
		}
	}
	if lines < 3 {
		t.Fatalf("the description is on %d lines, want several:\n%s", lines, text)
	}
	if len(got) != 60 || !slices.IsSorted(got) {
		t.Errorf("the description's words come in the order %v, want 1 to 60 in order:\n%s", got, text)
	}
}

// TestRightToLeftNameBeforePeriod: a right-to-left name in a title is
// isolated from the period after it, as <bdi> isolates it in a page, so
// the title reads "Scorecard: NAME, 2025-03"; without, ", 2025-03" joined
// the name's run and was drawn before it: "Scorecard: 2025-03 ,NAME".
func TestRightToLeftNameBeforePeriod(t *testing.T) {
	p, rep := rightToLeftSample(t)
	for _, c := range []struct {
		name  string
		write func(w *bytes.Buffer) error
		want  string
	}{
		{"person", func(w *bytes.Buffer) error { return pdf.Person(w, p, rep, "עברית", "") }, "Scorecard: עברית, 2025-03"},
		{"goal", func(w *bytes.Buffer) error { return pdf.Goal(w, p, rep, "revenue_plan", "") }, "Goal: مبيعات الشركة, 2025-03"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := c.write(&buf); err != nil {
				t.Fatal(err)
			}
			text := rtlMarks.Replace(poppler.Text(t, buf.Bytes()))
			if first, _, _ := strings.Cut(text, "\n"); strings.TrimSpace(first) != c.want {
				t.Errorf("the title is %q, want %q", first, c.want)
			}
		})
	}
}
