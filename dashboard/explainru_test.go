package dashboard_test

import (
	"strings"
	"testing"
)

// TestExplainRussian: the Russian explanation names the aggregate and the
// reasons events were left out in Russian, as the rest of the page; the
// English one keeps the engine's words.
func TestExplainRussian(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	const path = "/explain?indicator=revenue&participant=anna&grain=month&from=2026-12-01&to=2027-01-01&lang="
	_, ru := get(t, f, path+"ru", "admin")
	for _, want := range []string{"Агрегат: сумма", "<code>другой участник</code>: "} {
		if !strings.Contains(ru, want) {
			t.Errorf("the Russian explanation has no %q", want)
		}
	}
	if strings.Contains(ru, "another participant") {
		t.Error("the Russian explanation has an English reason")
	}
	_, en := get(t, f, path+"en", "admin")
	for _, want := range []string{"Aggregate: sum", "<code>another participant</code>: "} {
		if !strings.Contains(en, want) {
			t.Errorf("the English explanation has no %q", want)
		}
	}
}
