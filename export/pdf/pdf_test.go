package pdf_test

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/export/internal/poppler"
	"github.com/goalkit/goalkit/export/internal/sample"
	"github.com/goalkit/goalkit/export/pdf"
	"github.com/goalkit/goalkit/internal/golden"
	"github.com/shopspring/decimal"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var keep = flag.String("keep", "", "write the PDF files and their pages as PNG into this directory, to look at them")

// documents are the sample's documents the tests read back.
var documents = []struct {
	name  string
	write func(w *bytes.Buffer, plan *goalkit.Plan, rep *goalkit.Report) error
	pages int
}{
	{"person", func(w *bytes.Buffer, plan *goalkit.Plan, rep *goalkit.Report) error {
		return pdf.Person(w, plan, rep, "boris", "2025-03")
	}, 2},
	{"department", func(w *bytes.Buffer, plan *goalkit.Plan, rep *goalkit.Report) error {
		return pdf.Department(w, plan, rep, "")
	}, 2},
	{"goal", func(w *bytes.Buffer, plan *goalkit.Plan, rep *goalkit.Report) error {
		return pdf.Goal(w, plan, rep, "revenue_plan", "")
	}, 1},
}

// TestDocuments reads each document back with poppler: its text (kept in
// a golden file), the foot of every page, its fonts, and its pages
// rendered as images.
func TestDocuments(t *testing.T) {
	plan, rep := sample.Report(t)
	for _, doc := range documents {
		t.Run(doc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := doc.write(&buf, plan, rep); err != nil {
				t.Fatal(err)
			}
			text := poppler.Text(t, buf.Bytes())
			golden.Check(t, filepath.Join("testdata", doc.name+".golden.txt"), []byte(text), *update)
			pages := strings.Split(strings.TrimSuffix(text, "\f"), "\f")
			if len(pages) != doc.pages {
				t.Errorf("%d pages, want %d", len(pages), doc.pages)
			}
			for i, page := range pages {
				for _, want := range []string{"as of 2025-03-20 18:00 MSK", "time zone Europe/Moscow", fmt.Sprintf("page %d of %d", i+1, len(pages))} {
					if !strings.Contains(page, want) {
						t.Errorf("page %d has no %q", i+1, want)
					}
				}
			}
			fonts := poppler.Fonts(t, buf.Bytes())
			if len(fonts) == 0 {
				t.Fatal("no fonts")
			}
			for _, f := range fonts {
				if !strings.Contains(strings.ToLower(f.Name), "dejavu") || !f.Embedded || !f.ToUnicode {
					t.Errorf("font %+v: want DejaVu, embedded, with a ToUnicode map", f)
				}
			}
			dir := t.TempDir()
			if *keep != "" {
				dir = *keep
				if err := os.WriteFile(filepath.Join(dir, doc.name+".pdf"), buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				dir = filepath.Join(dir, doc.name)
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			files := poppler.Pages(t, buf.Bytes(), 50, dir)
			if len(files) != doc.pages {
				t.Fatalf("pdftoppm drew %d pages, want %d", len(files), doc.pages)
			}
			for _, f := range files {
				checkPage(t, f)
			}
		})
	}
}

// checkPage checks a page drawn at 50 dpi: A4 (210 × 297 mm: 414 × 585
// pixels, as pdftoppm rounds them), and ink
// on it beyond the foot (something was drawn).
func checkPage(t *testing.T, file string) {
	t.Helper()
	r, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	img, err := png.Decode(r)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	if b.Dx() != 414 || b.Dy() != 585 {
		t.Errorf("%s: %d × %d pixels, want A4 at 50 dpi (414 × 585)", file, b.Dx(), b.Dy())
	}
	if ink(img, image.Rect(0, 0, b.Dx(), b.Dy()*9/10)) < 100 {
		t.Errorf("%s: the page is blank above its foot", file)
	}
}

// ink counts the pixels of a part of an image that are not white.
func ink(img image.Image, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			red, g, b, _ := img.At(x, y).RGBA()
			if red < 0xf000 || g < 0xf000 || b < 0xf000 {
				n++
			}
		}
	}
	return n
}

// rub writes an amount of roubles as a reader expects it, worked out here
// apart from the package's own formatting: two places, thousands grouped
// by spaces, the rouble sign.
func rub(d decimal.Decimal) string {
	s := d.StringFixed(2)
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteByte(whole[i])
	}
	return b.String() + "." + frac + " ₽"
}

// TestNumbersAreTheReports finds the report's numbers in the documents'
// text, written as a reader expects them.
func TestNumbersAreTheReports(t *testing.T) {
	plan, rep := sample.Report(t)
	var goalDoc, person bytes.Buffer
	if err := pdf.Goal(&goalDoc, plan, rep, "revenue_plan", ""); err != nil {
		t.Fatal(err)
	}
	if err := pdf.Person(&person, plan, rep, "vera", ""); err != nil {
		t.Fatal(err)
	}
	goalText := poppler.Text(t, goalDoc.Bytes())
	for _, r := range rep.Goals.Rows {
		if r.Goal != "revenue_plan" {
			continue
		}
		// achievement in percent, one place, half away from zero
		ach := r.Actual.Decimal.DivRound(r.Target.Decimal, 16).Mul(decimal.NewFromInt(100)).Round(1).StringFixed(1) + " %"
		line := fmt.Sprintf("%s %s %s %s", r.Participant, rub(r.Target.Decimal), rub(r.Actual.Decimal), ach)
		if !strings.Contains(squeeze(goalText), line) {
			t.Errorf("the goal report has no line %q:\n%s", line, goalText)
		}
	}
	personText := squeeze(poppler.Text(t, person.Bytes()))
	for _, c := range rep.Scores.Scorecards {
		if c.Participant == "vera" {
			if want := "total " + c.Total.String(); !strings.Contains(personText, want) {
				t.Errorf("vera's scorecard has no %q", want)
			}
		}
	}
	for _, p := range rep.Scores.Bonuses {
		if p.Participant == "vera" {
			if want := rub(p.Amount); !strings.Contains(personText, want) {
				t.Errorf("vera's scorecard has no bonus of %q:\n%s", want, personText)
			}
		}
	}
	for _, want := range []string{"Scorecard: vera, 2025-03", "Менеджер по продажам", "Выручка", "236 001.00 ₽", "План выручки на месяц"} {
		if !strings.Contains(personText, want) {
			t.Errorf("vera's scorecard has no %q", want)
		}
	}
}

// squeeze turns every run of spaces into one, so that a table's columns
// read as words.
func squeeze(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.Join(lines, "\n")
}

func TestErrors(t *testing.T) {
	plan, rep := sample.Report(t)
	noGoals, noGoalsRep, err := sample.Evaluate([]byte("timezone: Europe/Moscow\nindicators:\n  - {id: won, kinds: [deal.won], aggregate: count}\nreport: {grain: month, from: 2025-03-01, to: 2025-04-01}\n"), nil, time.Date(2025, 3, 20, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	for _, c := range []struct {
		name  string
		write func() error
		want  string
	}{
		{"nobody", func() error { return pdf.Person(&buf, plan, rep, "nobody", "") }, `"nobody" has no scorecard and no goal in the report for 2025-03`},
		{"period", func() error { return pdf.Person(&buf, plan, rep, "anna", "2025-04") }, `no period "2025-04" (it has 2025-03)`},
		{"department period", func() error { return pdf.Department(&buf, plan, rep, "2024-12") }, `no period "2024-12"`},
		{"goal", func() error { return pdf.Goal(&buf, plan, rep, "revenue", "") }, `no rows of goal "revenue" (goals: revenue_plan, company_revenue, calls_plan)`},
		{"goal period", func() error { return pdf.Goal(&buf, plan, rep, "revenue_plan", "2025-02") }, `pdf: the report has no rows of goal "revenue_plan" for 2025-02 (it has 2025-03)`},
		{"goal of no plan's goal", func() error { return pdf.Goal(&buf, noGoals, noGoalsRep, "revenue", "") }, `pdf: the report has no rows of goal "revenue" (the plan has no goals)`},
	} {
		buf.Reset()
		err := c.write()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error with %q", c.name, err, c.want)
		}
		if buf.Len() > 0 {
			t.Errorf("%s: %d bytes written before the error", c.name, buf.Len())
		}
	}
}

// TestWideTable: a summary with many indicators of long names fits the
// page: the table's font gets smaller, and no name is cut.
func TestWideTable(t *testing.T) {
	var def strings.Builder
	def.WriteString("timezone: Europe/Moscow\nindicators:\n")
	for i := range 9 {
		fmt.Fprintf(&def, "  - {id: i%d, name: Очень длинное название показателя %d, kinds: [deal.won], aggregate: sum, value: amount, currency: RUB}\n", i, i)
	}
	def.WriteString("report: {grain: month, from: 2025-03-01, to: 2025-04-01}\n")
	events := `{"id": "a", "kind": "deal.won", "time": "2025-03-03T11:25:00+03:00", "actor": "anna", "amount": "123456789.25", "currency": "RUB"}` + "\n"
	plan, rep, err := sample.Evaluate([]byte(def.String()), []byte(events), time.Date(2025, 3, 20, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := pdf.Department(&buf, plan, rep, ""); err != nil {
		t.Fatal(err)
	}
	text := poppler.Text(t, buf.Bytes())
	if strings.Contains(text, "…") {
		t.Errorf("a cell was cut:\n%s", text)
	}
	if n := strings.Count(squeeze(text), "123 456 789.25 ₽"); n != 18 {
		t.Errorf("the amount is written %d times, want 18 (9 indicators, anna and everyone):\n%s", n, text)
	}
	if *keep != "" {
		if err := os.WriteFile(filepath.Join(*keep, "wide.pdf"), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// salesHead is a plan of revenue and calls up to its scorecard's KPIs.
const salesHead = `
timezone: Europe/Moscow
indicators:
  - {id: revenue, name: Выручка, kinds: [deal.won], aggregate: sum, value: amount, currency: RUB}
  - {id: calls, name: Звонки, kinds: [call], aggregate: count}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
scorecards:
  - id: sales
    grain: month
    kpis:
`

// gated is a plan whose critical KPI trips its gate for anna: 40 000 ₽ of
// revenue is under the 50 000 ₽ threshold.
const gated = salesHead + `      - {indicator: revenue, target: 100000, weight: 60, threshold: 50000, critical: {factor: 0.5}}
      - {indicator: calls, target: 2, weight: 40}
`

const gatedEvents = `{"id": "w", "kind": "deal.won", "time": "2025-03-03T11:25:00+03:00", "actor": "anna", "amount": "40000", "currency": "RUB"}
{"id": "c1", "kind": "call", "time": "2025-03-04T11:25:00+03:00", "actor": "anna"}
{"id": "c2", "kind": "call", "time": "2025-03-05T11:25:00+03:00", "actor": "anna"}
`

// annaOnMarch20 evaluates def over gatedEvents as of 20 March and returns
// the plan, the report and the text of anna's scorecard.
func annaOnMarch20(t *testing.T, def string) (*goalkit.Plan, *goalkit.Report, string) {
	t.Helper()
	plan, rep, err := sample.Evaluate([]byte(def), []byte(gatedEvents), time.Date(2025, 3, 20, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := pdf.Person(&buf, plan, rep, "anna", ""); err != nil {
		t.Fatal(err)
	}
	return plan, rep, squeeze(poppler.Text(t, buf.Bytes()))
}

// TestGate: a tripped gate is named in the person's scorecard, with the
// subtotal and factor that make the total: calls met (40 of 40 points),
// revenue under its threshold (0 points), so 40 × 0.5 = 20.
func TestGate(t *testing.T) {
	_, _, text := annaOnMarch20(t, gated)
	for _, want := range []string{"total 20 = subtotal 40 × gate factor 0.5 (revenue)", "Выручка (gate) 40 000.00 ₽ 100 000.00 ₽ 40 % 0 60 0", "Звонки 2 2 100 % 100 40 20"} {
		if !strings.Contains(text, want) {
			t.Errorf("anna's scorecard has no %q:\n%s", want, text)
		}
	}
}

// TestMissingGlyphs: names with characters DejaVu Sans has no glyph for
// (Chinese, an emoji outside the Basic Multilingual Plane) print as U+FFFD,
// the rest of them as they are.
func TestMissingGlyphs(t *testing.T) {
	events := strings.ReplaceAll(gatedEvents, `"anna"`, `"Anna 李😀"`)
	plan, rep, err := sample.Evaluate([]byte(gated), []byte(events), time.Date(2025, 3, 20, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := pdf.Department(&buf, plan, rep, ""); err != nil {
		t.Fatal(err)
	}
	if text := poppler.Text(t, buf.Bytes()); !strings.Contains(text, "Anna \uFFFD\uFFFD") {
		t.Errorf("the summary has no Anna \uFFFD\uFFFD:\n%s", text)
	}
	buf.Reset()
	if err := pdf.Person(&buf, plan, rep, "Anna 李😀", ""); err != nil {
		t.Fatal(err)
	}
	if text := poppler.Text(t, buf.Bytes()); !strings.Contains(text, "Scorecard: Anna \uFFFD\uFFFD, 2025-03") {
		t.Errorf("the scorecard has no title with Anna \uFFFD\uFFFD:\n%s", text)
	}
}

// TestRightToLeftNames: names in Hebrew and Arabic are drawn right to left,
// so that pdftotext, which reads the glyphs as they lie on the page, gives
// them back as they were written, not reversed.
func TestRightToLeftNames(t *testing.T) {
	p, rep := rightToLeftSample(t)
	for _, c := range []struct {
		name  string
		write func(w *bytes.Buffer) error
		want  []string
	}{
		{"department", func(w *bytes.Buffer) error { return pdf.Department(w, p, rep, "") }, []string{"עברית", "Goal مبيعات الشركة"}},
		{"goal", func(w *bytes.Buffer) error { return pdf.Goal(w, p, rep, "revenue_plan", "") }, []string{"مبيعات الشركة", "עברית"}},
		{"person", func(w *bytes.Buffer) error { return pdf.Person(w, p, rep, "עברית", "") }, []string{"עברית", "مبيعات الشركة"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := c.write(&buf); err != nil {
				t.Fatal(err)
			}
			text := rtlMarks.Replace(poppler.Text(t, buf.Bytes()))
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("no %q in:\n%s", w, text)
				}
			}
		})
	}
}

// rightToLeftSample is the sample with vera as the Hebrew עברית and the
// goal revenue_plan named in Arabic.
func rightToLeftSample(t *testing.T) (*goalkit.Plan, *goalkit.Report) {
	t.Helper()
	events := strings.ReplaceAll(string(sample.Events()), `"vera"`, `"עברית"`)
	plan := strings.NewReplacer("users: [anna, boris, vera]", "users: [anna, boris, עברית]",
		"name: План выручки на месяц", "name: مبيعات الشركة").Replace(string(sample.Plan()))
	p, rep, err := sample.Evaluate([]byte(plan), []byte(events), sample.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	return p, rep
}

// rtlMarks removes the embedding controls with which pdftotext marks a
// right-to-left run.
var rtlMarks = strings.NewReplacer("\u202a", "", "\u202b", "", "\u202c", "", "\u202d", "", "\u202e", "")

// twoOnRevenue is a scorecard with two KPIs on one indicator, told apart
// by their ids and names, and one named by its indicator only.
const twoOnRevenue = salesHead + `      - {indicator: revenue, target: 100000, weight: 50}
      - {id: big_deals, name: Revenue over plan, indicator: revenue, target: 200000, weight: 30}
      - {id: calls_kpi, indicator: calls, target: 2, weight: 20}
`

// TestKPINames: each KPI of a scorecard is named by its own name, else by
// its indicator's when the KPI is the indicator's, else by its id, in the
// person's scorecard and the department's columns; two KPIs on one
// indicator are not both called by the indicator's name.
func TestKPINames(t *testing.T) {
	plan, rep, text := annaOnMarch20(t, twoOnRevenue)
	// 40 000 of 100 000 scores 40 (20 points), of 200 000 scores 20 (6).
	for _, want := range []string{"Выручка 40 000.00 ₽ 100 000.00 ₽ 40 % 40 50 20", "Revenue over plan 40 000.00 ₽ 200 000.00 ₽ 20 % 20 30 6",
		"calls_kpi 2 2 100 % 100 20 20"} {
		if !strings.Contains(text, want) {
			t.Errorf("anna's scorecard has no %q:\n%s", want, text)
		}
	}
	var buf bytes.Buffer
	if err := pdf.Department(&buf, plan, rep, ""); err != nil {
		t.Fatal(err)
	}
	// The headers wrap at spaces: count their words (Выручка, also heads
	// the indicators).
	text = poppler.Text(t, buf.Bytes())
	for word, n := range map[string]int{"Выручка,": 2, "Revenue": 1, "over": 1, "plan,": 1, "calls_kpi,": 1, "Звонки,": 0} {
		if got := strings.Count(text, word); got != n {
			t.Errorf("the summary has %q %d times, want %d:\n%s", word, got, n, text)
		}
	}
}

// TestDefaultPeriodBegun: without a period, each document is of the last
// period that has begun by the report's instant, not of a later month of
// the report that has nothing yet.
func TestDefaultPeriodBegun(t *testing.T) {
	// A report of March and April as of 20 March, with a goal of each.
	def := strings.Replace(gated, "to: 2025-04-01", "to: 2025-05-01", 1) + `goals:
  - {id: calls_month, name: Звонки за месяц, indicator: calls, target: 10, period: {from: 2025-03-01, every: month}, participants: {users: [anna]}}
`
	plan, rep, err := sample.Evaluate([]byte(def), []byte(gatedEvents), time.Date(2025, 3, 20, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	for name, write := range map[string]func(*bytes.Buffer) error{
		"Scorecard: anna, 2025-03": func(w *bytes.Buffer) error { return pdf.Person(w, plan, rep, "anna", "") },
		"Summary, 2025-03":         func(w *bytes.Buffer) error { return pdf.Department(w, plan, rep, "") },
		"Goal: Звонки за месяц, 2025-03": func(w *bytes.Buffer) error {
			return pdf.Goal(w, plan, rep, "calls_month", "")
		},
	} {
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			t.Fatal(err)
		}
		if text := poppler.Text(t, buf.Bytes()); !strings.HasPrefix(strings.TrimSpace(text), name) {
			t.Errorf("the document begins %.60q, want %q", strings.TrimSpace(text), name)
		}
	}
}

// TestChecklistGoal: a checklist goal's report says it is a checklist of
// so many items where a quantitative goal names its indicator.
func TestChecklistGoal(t *testing.T) {
	def := salesHead + `      - {indicator: revenue, target: 100000, weight: 100}
goals:
  - id: onboarding
    name: Онбординг
    checklist:
      - {id: course, kinds: [training.completed]}
      - {id: calls, kinds: [call], count: 2}
    period: {from: 2025-03-01, to: 2025-04-01}
    participants: {users: [anna]}
`
	plan, rep, err := sample.Evaluate([]byte(def), []byte(gatedEvents), time.Date(2025, 3, 20, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := pdf.Goal(&buf, plan, rep, "onboarding", ""); err != nil {
		t.Fatal(err)
	}
	text := squeeze(poppler.Text(t, buf.Bytes()))
	if want := "goal onboarding, a checklist of 2 items, higher is better; period [2025-03-01, 2025-04-01)"; !strings.Contains(text, want) {
		t.Errorf("the report has no %q:\n%s", want, text)
	}
}
