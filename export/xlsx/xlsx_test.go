package xlsx_test

import (
	"flag"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/export/internal/sample"
	"github.com/goalkit/goalkit/internal/golden"
	"github.com/goalkit/goalkit/org"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestSampleStructure keeps the whole sample workbook in a golden file:
// sheets, frozen headers, widths, cells with their formats, notes and charts.
func TestSampleStructure(t *testing.T) {
	plan, rep := sample.Report(t)
	f, data := write(t, plan, rep)
	golden.Check(t, "testdata/sample.golden", []byte(structure(t, f, data)), *update)
}

// findRow returns the number of the first row of a sheet whose cells start
// with the given texts.
func findRow(t *testing.T, f *excelize.File, sheet string, first ...string) int {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
next:
	for i, r := range rows {
		if len(r) < len(first) {
			continue
		}
		for j, v := range first {
			if r[j] != v {
				continue next
			}
		}
		return i + 1
	}
	t.Fatalf("sheet %s has no row starting %q", sheet, first)
	return 0
}

// number reads a number cell back as a decimal.
func number(t *testing.T, f *excelize.File, sheet, cell string) decimal.Decimal {
	t.Helper()
	c := readCell(t, f, sheet, cell)
	if c.typ != excelize.CellTypeNumber {
		t.Fatalf("%s!%s is %s, not a number", sheet, cell, typeNames[c.typ])
	}
	d, err := decimal.NewFromString(c.raw)
	if err != nil {
		t.Fatalf("%s!%s: %v", sheet, cell, err)
	}
	return d
}

// TestNumbersAreTheReports reads every number the workbook has of the goals,
// scorecards, bonuses and values back and compares it with the report.
func TestNumbersAreTheReports(t *testing.T) {
	plan, rep := sample.Report(t)
	f, _ := write(t, plan, rep)
	cal := plan.Calendar()
	for _, r := range rep.Values.Rows() {
		row := findRow(t, f, "Values", r.Indicator, r.Participant, cal.Label(r.Period))
		if got := number(t, f, "Values", fmt.Sprintf("F%d", row)); !got.Equal(r.Value.Decimal) {
			t.Errorf("Values: %s %s = %s, report %s", r.Indicator, r.Participant, got, r.Value.Decimal)
		}
	}
	for _, r := range rep.Goals.Rows {
		row := findRow(t, f, r.Name, r.Label, who(r.Participant))
		for col, want := range map[string]decimal.NullDecimal{"D": r.Target, "E": r.Actual, "F": r.Achievement.Uncapped, "H": r.Expected, "I": r.Forecast} {
			if got := exact(t, f, r.Name, fmt.Sprintf("%s%d", col, row)); !got.Equal(want.Decimal) {
				t.Errorf("%s: %s column %s = %s, report %s", r.Name, r.Participant, col, got, want.Decimal)
			}
		}
	}
	for _, c := range rep.Scores.Scorecards {
		for _, k := range c.KPIs {
			row := findRow(t, f, "Scorecards", c.Scorecard, c.Label, c.Participant)
			row += findRow(t, f, "Scorecards", c.Scorecard, c.Label, c.Participant, c.Total.String(), c.Subtotal.String(), c.Factor.String(), k.KPI) - row
			if got := number(t, f, "Scorecards", fmt.Sprintf("D%d", row)); !got.Equal(c.Total) {
				t.Errorf("Scorecards: %s total %s, report %s", c.Participant, got, c.Total)
			}
			if got := number(t, f, "Scorecards", fmt.Sprintf("P%d", row)); !got.Equal(k.Contribution) {
				t.Errorf("Scorecards: %s %s contribution %s, report %s", c.Participant, k.KPI, got, k.Contribution)
			}
			// The achievement in percent is stored as the ratio it stands for.
			if got := number(t, f, "Scorecards", fmt.Sprintf("L%d", row)); !got.Equal(k.Achievement.Decimal.Shift(-2)) {
				t.Errorf("Scorecards: %s %s achievement %s, report %s %%", c.Participant, k.KPI, got, k.Achievement.Decimal)
			}
		}
	}
	for _, p := range rep.Scores.Bonuses {
		row := findRow(t, f, "Bonuses", p.Bonus, p.Label, p.Participant)
		if got := number(t, f, "Bonuses", fmt.Sprintf("N%d", row)); !got.Equal(p.Amount) {
			t.Errorf("Bonuses: %s amount %s, report %s", p.Participant, got, p.Amount)
		}
	}
}

// exact reads a number cell back exactly: from its note when it has one
// (a number a double does not hold), from the cell otherwise.
func exact(t *testing.T, f *excelize.File, sheet, cell string) decimal.Decimal {
	t.Helper()
	notes, err := f.GetComments(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range notes {
		if n.Cell == cell {
			return decimal.RequireFromString(strings.TrimPrefix(noteText(n), "exact: "))
		}
	}
	return number(t, f, sheet, cell)
}

func who(p string) string {
	if p == org.Everyone {
		return "Company"
	}
	return p
}

// TestFormats checks money and percent cells against numbers worked out by
// hand from the sample's events: anna won 48 000.50 + 25 000 + 71 001 ₽.
func TestFormats(t *testing.T) {
	plan, rep := sample.Report(t)
	f, _ := write(t, plan, rep)
	goalRow := findRow(t, f, "План выручки на месяц", "2025-03", "anna")
	cardRow := findRow(t, f, "Scorecards", "sales", "2025-03", "boris", "65.415", "65.415", "1", "revenue")
	bonusRow := findRow(t, f, "Bonuses", "sales_bonus", "2025-03", "boris")
	rouble := `#,##0.00 "₽"`
	for _, c := range []struct {
		sheet, cell, raw, shown, format string
	}{
		// anna's revenue: 144 001.50 of 300 000.
		{"План выручки на месяц", fmt.Sprintf("D%d", goalRow), "300000", "300,000.00 ₽", rouble},
		{"План выручки на месяц", fmt.Sprintf("E%d", goalRow), "144001.5", "144,001.50 ₽", rouble},
		// 144 001.5 / 300 000 = 0.480005: 48.0 %.
		{"План выручки на месяц", fmt.Sprintf("F%d", goalRow), "0.480005", "48.0%", "0.0%"},
		{"План выручки на месяц", fmt.Sprintf("G%d", goalRow), "155998.5", "155,998.50 ₽", rouble},
		// boris's revenue 170 501 of 300 000: 56.833… %, the scorecard
		// rounds it to 56.83 %, stored as the ratio 0.5683.
		{"Scorecards", fmt.Sprintf("L%d", cardRow), "0.5683", "56.83%", "0.00%"},
		// a payout of 65.415 % of 40 000 ₽ is 26 166 ₽; the percent is
		// shown with two places, the cell holds all of it.
		{"Bonuses", fmt.Sprintf("G%d", bonusRow), "0.65415", "65.42%", "0.00%"},
		{"Bonuses", fmt.Sprintf("N%d", bonusRow), "26166", "26,166.00 ₽", rouble},
	} {
		got := readCell(t, f, c.sheet, c.cell)
		if got.typ != excelize.CellTypeNumber || got.raw != c.raw || got.shown != c.shown || got.fmt != c.format {
			t.Errorf("%s!%s: %s %q shown %q format %q, want number %q shown %q format %q",
				c.sheet, c.cell, typeNames[got.typ], got.raw, got.shown, got.fmt, c.raw, c.shown, c.format)
		}
	}
}

// unusual is a plan whose goal names need changing to be sheet names, and
// whose events have an actor that looks like a formula and an amount with
// more digits than a double holds.
const unusual = `
timezone: Europe/Moscow
indicators:
  - {id: revenue, name: Выручка, kinds: [deal.won], aggregate: sum, value: amount, currency: RUB}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
goals:
  - id: first
    name: "План/факт: выручка [Q1] * ? отдела продаж Москвы"
    indicator: revenue
    target: 100
    period: {from: 2025-03-01, every: month}
    participants: {company: true}
  - id: second
    name: "План/факт: выручка [Q1] * ? отдела продаж Москвы"
    indicator: revenue
    target: 100
    period: {from: 2025-03-01, every: month}
    participants: {company: true}
  - id: third
    name: "'Report'"
    indicator: revenue
    target: 100
    period: {from: 2025-03-01, every: month}
    participants: {company: true}
`

const unusualEvents = `{"id": "a", "kind": "deal.won", "time": "2025-03-03T11:25:00+03:00", "actor": "=HYPERLINK(\"http://example.com\",\"x\")", "amount": "12345678901234567.89", "currency": "RUB"}
{"id": "b", "kind": "deal.won", "time": "2025-03-04T11:25:00+03:00", "actor": "-1+2", "amount": "0.1", "currency": "RUB"}
`

func TestUnusualNamesAndNumbers(t *testing.T) {
	plan, rep, err := sample.Evaluate([]byte(unusual), []byte(unusualEvents), time.Date(2025, 3, 20, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	f, _ := write(t, plan, rep)
	want := []string{"Report", "План_факт_ выручка _Q1_ _ _ отд", "План_факт_ выручка _Q1_ _ _ (2)", "Report (2)", "Values"}
	if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sheets %q, want %q", got, want)
	}
	// The formula-like actor is text, guarded, never a formula.
	row := findRow(t, f, "Values", "revenue", `'=HYPERLINK("http://example.com","x")`)
	if formula, _ := f.GetCellFormula("Values", fmt.Sprintf("B%d", row)); formula != "" {
		t.Errorf("the actor became the formula %q", formula)
	}
	findRow(t, f, "Values", "revenue", "'-1+2")
	// 12345678901234567.89 has 19 digits: the number cell holds a double,
	// the exact value is the text beside it.
	if got := readCell(t, f, "Values", fmt.Sprintf("G%d", row)); (got.typ != excelize.CellTypeSharedString && got.typ != excelize.CellTypeInlineString) || got.raw != "12345678901234567.89" {
		t.Errorf("exact beside the value: %s %q, want the text 12345678901234567.89", typeNames[got.typ], got.raw)
	}
	if got := number(t, f, "Values", fmt.Sprintf("F%d", row)); !got.Equal(decimal.RequireFromString("12345678901234568")) {
		t.Errorf("the value as a number: %s", got)
	}
	everyone := findRow(t, f, "Values", "revenue", "*")
	if got := readCell(t, f, "Values", fmt.Sprintf("G%d", everyone)); got.raw != "12345678901234567.99" {
		t.Errorf("exact total: %q, want 12345678901234567.99", got.raw)
	}
	small := findRow(t, f, "Values", "revenue", "'-1+2")
	if got := readCell(t, f, "Values", fmt.Sprintf("G%d", small)); got.raw != "" {
		t.Errorf("0.1 fits a double, yet has the exact text %q", got.raw)
	}
	// On a goal's sheet, a note holds the exact actual.
	sheet := "План_факт_ выручка _Q1_ _ _ отд"
	notes, err := f.GetComments(sheet)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, n := range notes {
		texts = append(texts, n.Cell+" "+noteText(n))
	}
	if want := "E2 exact: 12345678901234567.99"; !strings.Contains(strings.Join(texts, "|"), want) {
		t.Errorf("notes %q, want %q", texts, want)
	}
}

// TestEmptyReport writes a report of indicators only: a Report and a Values
// sheet, nothing else.
func TestEmptyReport(t *testing.T) {
	plan, rep, err := sample.Evaluate([]byte("timezone: UTC\nindicators:\n  - {id: n, kinds: [x], aggregate: count}\nreport: {grain: month, from: 2025-03-01, to: 2025-04-01}\n"), nil, time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	f, _ := write(t, plan, rep)
	if got := strings.Join(f.GetSheetList(), "|"); got != "Report|Values" {
		t.Errorf("sheets %s, want Report|Values", got)
	}
	_ = goalkit.Number
}

// TestGoalsNamedAsSections: a goal named as a section's sheet (Excel's
// names ignore case) gets " (2)"; the sections keep their names, so the
// sheet named Values is always the values', Report the report's.
func TestGoalsNamedAsSections(t *testing.T) {
	plan := strings.NewReplacer("name: План выручки на месяц", "name: Values", "name: Выручка компании", "name: scorecards",
		"name: 20 звонков в месяц", "name: Report").Replace(string(sample.Plan()))
	p, rep, err := sample.Evaluate([]byte(plan), sample.Events(), sample.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := write(t, p, rep)
	want := "Report, Values (2), scorecards (2), Report (2), Scorecards, Bonuses, Leaderboards, Cascades, Values"
	if got := strings.Join(f.GetSheetList(), ", "); got != want {
		t.Errorf("sheets %s, want %s", got, want)
	}
	for sheet, header := range map[string]string{"Values": "indicator", "Scorecards": "scorecard", "Report": "report", "Values (2)": "period", "scorecards (2)": "period"} {
		if got, err := f.GetCellValue(sheet, "A1"); err != nil || got != header {
			t.Errorf("%s!A1 = %q (%v), want %q", sheet, got, err, header)
		}
	}
}

// TestLongNamesOutsideTheBMP: Excel counts a sheet name's length in UTF-16
// units, so a long goal name with emoji is cut to 31 of them, not to 31
// characters (which excelize refuses, and the workbook with it).
func TestLongNamesOutsideTheBMP(t *testing.T) {
	long := "📈 " + strings.Repeat("ж", 40)
	plan := strings.NewReplacer("name: План выручки на месяц", "name: "+long, "name: Выручка компании", "name: "+long,
		"name: 20 звонков в месяц", "name: "+strings.Repeat("😀", 20)).Replace(string(sample.Plan()))
	p, rep, err := sample.Evaluate([]byte(plan), sample.Events(), sample.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := write(t, p, rep)
	// 📈 is two units, the space one, 28 ж; then " (2)" leaves 27 units.
	want := []string{"Report", "📈 " + strings.Repeat("ж", 28), "📈 " + strings.Repeat("ж", 24) + " (2)", strings.Repeat("😀", 15), "Scorecards"}
	if got := f.GetSheetList(); !slices.Equal(got[:5], want) {
		t.Errorf("sheets %q, want %q", got[:5], want)
	}
}

// TestGoalsNamedAlikeByFolding: two goals whose names are one name to
// Excel only by Unicode's case folding ("ΠΩΛΗΣΕΙΣ" and "πωλησεις", a final
// sigma, which lower-casing keeps apart) each get a sheet of their own
// with their own rows; the second goal's rows were written over the
// first's, in its sheet.
func TestGoalsNamedAlikeByFolding(t *testing.T) {
	plan := strings.NewReplacer("name: План выручки на месяц", "name: ΠΩΛΗΣΕΙΣ", "name: Выручка компании", "name: πωλησεις").Replace(string(sample.Plan()))
	p, rep, err := sample.Evaluate([]byte(plan), sample.Events(), sample.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := write(t, p, rep)
	if got, want := f.GetSheetList()[1:3], []string{"ΠΩΛΗΣΕΙΣ", "πωλησεις (2)"}; !slices.Equal(got, want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	for sheet, want := range map[string]string{"ΠΩΛΗΣΕΙΣ": "anna", "πωλησεις (2)": "Company"} {
		if got, err := f.GetCellValue(sheet, "B2"); err != nil || got != want {
			t.Errorf("%s!B2 = %q (%v), want the participant %q", sheet, got, err, want)
		}
	}
}
