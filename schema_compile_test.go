package goalkit_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
	"pgregory.net/rapid"
)

// The plan's schema accepts a plan exactly when Compile does, for the
// rules the schema writes (schemaRules, the patterns of numbers and
// milestones): random plans, valid and invalid in each of those places.
// The schema took any week_start, fiscal_year_start and holidays, no
// indicators, and numbers out of the bounds Compile keeps, and refused
// numbers Compile reads ("1e3", "+5", ".5", a milestone "25 %").
func TestPlanSchemaAgreesWithCompile(t *testing.T) {
	schema := checkSchema(t, "plan", planSchema)
	rapid.Check(t, func(t *rapid.T) {
		plan := map[string]any{
			"timezone": "UTC",
			"report":   map[string]any{"grain": "month", "from": "2025-01-01", "to": "2025-02-01"},
		}
		if rapid.Bool().Draw(t, "week_start_given") {
			plan["week_start"] = rapid.SampledFrom([]string{"", "monday", "sunday", "Monday", "SUNDAY", "sUnDaY", "tuesday", "mon", "monday ", "saturday", "ſunday"}).Draw(t, "week_start")
		}
		if rapid.Bool().Draw(t, "fiscal_given") {
			plan["fiscal_year_start"] = rapid.IntRange(-2, 14).Draw(t, "fiscal_year_start")
		}
		if rapid.Bool().Draw(t, "holidays_given") {
			plan["holidays"] = rapid.SampledFrom([]string{"", "RU", "DE", "ru", "De", "US", "RUS", "R", " RU"}).Draw(t, "holidays")
		}
		if rapid.IntRange(0, 4).Draw(t, "indicators") == 0 {
			plan["indicators"] = []any{}
		} else {
			plan["indicators"] = []any{map[string]any{"id": "won", "kinds": []any{"deal.won"}, "aggregate": "count"}}
			g := map[string]any{
				"id": "g", "indicator": "won", "target": numberText(t, "target"),
				"period":       map[string]any{"from": "2025-01-01", "every": "month"},
				"participants": map[string]any{"users": []any{"anna"}},
				"milestones":   []any{milestoneText(t)},
				"close":        map[string]any{"auto": true, "after_days": rapid.IntRange(-2, 3).Draw(t, "after_days")},
			}
			if rapid.Bool().Draw(t, "pace_history_given") {
				g["pace_history"] = rapid.IntRange(-2, 40).Draw(t, "pace_history")
			}
			plan["goals"] = []any{g}
			plan["cascades"] = []any{map[string]any{"id": "c", "indicator": "won", "places": rapid.IntRange(-2, 11).Draw(t, "places"),
				"root": map[string]any{"period": "2025", "target": 12, "children": []any{map[string]any{"user": "anna"}, map[string]any{"user": "boris"}}}}}
		}
		data, err := json.Marshal(plan)
		if err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var doc any
		if err := dec.Decode(&doc); err != nil {
			t.Fatal(err)
		}
		errs := validate(schema, schema, doc, "")
		def, err := goalkit.ParseDefinition("plan.json", data)
		if err == nil {
			_, err = goalkit.Compile(def)
		}
		if (len(errs) == 0) != (err == nil) {
			t.Fatalf("%s\nthe schema says %v\nCompile says %v", data, errs, err)
		}
	})
}

// numberText draws a number written as text: one of the forms the plan's
// reader takes (signs, a point with digits on either side, an exponent),
// with a value above 0, or such a text broken.
func numberText(t *rapid.T, label string) string {
	digits := func(name string, min int) string {
		return rapid.StringMatching(`[0-9]{`+string(rune('0'+min))+`,3}`).Draw(t, label+"_"+name)
	}
	var b strings.Builder
	b.WriteString(rapid.SampledFrom([]string{"", "", "+"}).Draw(t, label+"_sign"))
	whole, frac := digits("whole", 0), digits("frac", 0)
	if !strings.ContainsAny(whole+frac, "123456789") {
		whole += "7" // above 0: a milestone of 0% is refused, a rule apart
	}
	b.WriteString(whole)
	if frac != "" || rapid.Bool().Draw(t, label+"_point") {
		b.WriteString("." + frac)
	}
	if rapid.Bool().Draw(t, label+"_exp") {
		b.WriteString(rapid.SampledFrom([]string{"e", "E"}).Draw(t, label+"_e"))
		b.WriteString(rapid.SampledFrom([]string{"", "+", "-", "\u2212"}).Draw(t, label+"_esign"))
		b.WriteString(rapid.StringMatching(`[0-9]`).Draw(t, label+"_expdigits"))
	}
	s := b.String()
	if rapid.IntRange(0, 2).Draw(t, label+"_broken") == 0 {
		junk := rapid.SampledFrom([]string{"", ".", "-", "+", "e", "E3", "x", "_", ",", " ", "\t", "\u00a0", "\ufeff", "%", "0x", "..", "e+", "Inf", "∞"}).Draw(t, label+"_junk")
		at := rapid.IntRange(0, len(s)).Draw(t, label+"_at")
		s = s[:at] + junk + s[at:]
	}
	if s == "" || s == "+" {
		// Neither side would take nothing; keep the draw a number's.
		s += "1"
	}
	return s
}

// milestoneText draws a milestone: a number, a percent of the target, with
// spaces around either, or a text that is neither.
func milestoneText(t *rapid.T) string {
	sp := func(name string) string {
		return rapid.SampledFrom([]string{"", "", " ", "\t", "\u00a0", "\u3000", "\ufeff", "_"}).Draw(t, "milestone_"+name)
	}
	s := sp("before") + numberText(t, "milestone") + sp("middle")
	if rapid.Bool().Draw(t, "milestone_percent") {
		s += rapid.SampledFrom([]string{"%", "%", "%%", "pct"}).Draw(t, "milestone_sign")
	}
	return s + sp("after")
}
