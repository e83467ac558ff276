package dashboard_test

import (
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
)

// TestExplainRussian: the Russian explanation names the aggregate and the
// reasons events were left out in Russian, as the rest of the page; the
// English one keeps the engine's words. A reason is words, not code: it is
// written as the rest of the text, not in a monospace <code> whose padding
// left a gap before its colon ("другой участник : 45").
func TestExplainRussian(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	const path = "/explain?indicator=revenue&participant=anna&grain=month&from=2026-12-01&to=2027-01-01&lang="
	_, ru := get(t, f, path+"ru", "admin")
	for _, want := range []string{"Агрегат: сумма", "<li>другой участник: "} {
		if !strings.Contains(ru, want) {
			t.Errorf("the Russian explanation has no %q", want)
		}
	}
	if strings.Contains(ru, "another participant") {
		t.Error("the Russian explanation has an English reason")
	}
	_, en := get(t, f, path+"en", "admin")
	for _, want := range []string{"Aggregate: sum", "<li>another participant: "} {
		if !strings.Contains(en, want) {
			t.Errorf("the English explanation has no %q", want)
		}
	}
	// Nor in the table of the events left out.
	for _, page := range []string{ru, en} {
		if strings.Contains(page, "<code>другой участник") || strings.Contains(page, "<code>another participant") {
			t.Error("a reason is written as code")
		}
	}
}

// TestExplainRussianEveryReason: the reasons of a breakdown row's and a
// cohort's left-out events are in Russian too; the Russian page showed
// them in the engine's English among the other, Russian, reasons.
func TestExplainRussianEveryReason(t *testing.T) {
	plan := testPlanWith(t, func(def *goalkit.Definition) {
		def.Indicators = append(def.Indicators,
			kpi.IndicatorDef{ID: "won_after_call", Name: "Deals after a call", Kinds: []string{"deal.won"}, Aggregate: kpi.Count,
				Cohort: &kpi.CohortDef{Of: []string{"call.made"}, Entity: "source"}})
	})
	f := newFixtureOf(t, dashboardOptions(), plan)
	const month = "&grain=month&from=2026-12-01&to=2027-01-01&lang="
	for _, c := range []struct{ path, engine, ru string }{
		{"/explain?indicator=avg_deal&participant=north&by=1&by.source=web" + month, "another breakdown row", "другая строка разреза"},
		{"/explain?indicator=won_after_call&participant=anna" + month, "not its entity's first conversion in the cohort's window", "не первая конверсия своей сущности в окне когорты"},
	} {
		// The page escapes the apostrophes.
		engine := strings.ReplaceAll(c.engine, "'", "&#39;")
		if _, en := get(t, f, c.path+"en", "admin"); !strings.Contains(en, "<li>"+engine+": ") {
			t.Errorf("%s: the English page has no reason %q", c.path, c.engine)
		}
		_, ru := get(t, f, c.path+"ru", "admin")
		if strings.Contains(ru, engine) {
			t.Errorf("%s: the Russian page has the English reason %q", c.path, c.engine)
		}
		if !strings.Contains(ru, "<li>"+c.ru+": ") {
			t.Errorf("%s: the Russian page has no reason %q", c.path, c.ru)
		}
	}
}
