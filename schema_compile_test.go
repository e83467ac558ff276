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
		// At most one place of the plan is invalid, so that the schema
		// and Compile are compared on each rule alone.
		bad := rapid.SampledFrom([]string{"", "week_start", "fiscal_year_start", "holidays", "attribute", "indicators", "after_days",
			"pace_history", "places", "target", "milestone", "milestone_before", "milestone_middle", "milestone_after", "milestone_sign"}).Draw(t, "bad")
		if bad == "week_start" || rapid.Bool().Draw(t, "week_start_given") {
			plan["week_start"] = pick(t, bad, "week_start", []string{"", "monday", "sunday", "Monday", "SUNDAY", "sUnDaY"}, []string{"tuesday", "mon", "monday ", "saturday", "ſunday"})
		}
		if bad == "fiscal_year_start" || rapid.Bool().Draw(t, "fiscal_given") {
			plan["fiscal_year_start"] = pick(t, bad, "fiscal_year_start", []int{1, 4, 7, 12}, []int{-2, -1, 0, 13, 14})
		}
		if bad == "holidays" || rapid.Bool().Draw(t, "holidays_given") {
			plan["holidays"] = pick(t, bad, "holidays", []string{"", "RU", "DE", "ru", "De"}, []string{"US", "RUS", "R", " RU"})
		}
		if bad == "attribute" || rapid.Bool().Draw(t, "attributes_given") {
			plan["attributes"] = map[string]any{pick(t, bad, "attribute", []string{"source", "region_2", "x"},
				[]string{"id", "kind", "time", "actor", "amount", "currency", "cohort_time", "Source", "2nd", "_x", "a-b", "", "é"}): "string"}
		}
		if bad == "indicators" {
			plan["indicators"] = []any{}
		} else {
			plan["indicators"] = []any{map[string]any{"id": "won", "kinds": []any{"deal.won"}, "aggregate": "count"}}
			g := map[string]any{
				"id": "g", "indicator": "won", "target": numberText(t, bad, "target"),
				"period":       map[string]any{"from": "2025-01-01", "every": "month"},
				"participants": map[string]any{"users": []any{"anna"}},
				"milestones":   []any{milestoneText(t, bad)},
				"close":        map[string]any{"auto": true, "after_days": pick(t, bad, "after_days", []int{0, 1, 3}, []int{-2, -1})},
			}
			if bad == "pace_history" || rapid.Bool().Draw(t, "pace_history_given") {
				g["pace_history"] = pick(t, bad, "pace_history", []int{1, 3, 36}, []int{-1, 0, 37, 40})
			}
			plan["goals"] = []any{g}
			plan["cascades"] = []any{map[string]any{"id": "c", "indicator": "won", "places": pick(t, bad, "places", []int{0, 2, 9}, []int{-2, -1, 10, 11}),
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
// with a value above 0, or such a text broken where bad names label.
func numberText(t *rapid.T, bad, label string) string {
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
	if bad == label {
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
func milestoneText(t *rapid.T, bad string) string {
	sp := func(name string) string {
		return pick(t, bad, "milestone_"+name, []string{"", "", " ", "\t", "\u00a0", "\u3000"}, []string{"\ufeff", "_"})
	}
	s := sp("before") + numberText(t, bad, "milestone") + sp("middle")
	if rapid.Bool().Draw(t, "milestone_percent") {
		s += pick(t, bad, "milestone_sign", []string{"%"}, []string{"%%", "pct"})
	}
	return s + sp("after")
}

// pick draws one of invalid at the place bad names, else one of valid.
func pick[T any](t *rapid.T, bad, label string, valid, invalid []T) T {
	if bad == label {
		return rapid.SampledFrom(invalid).Draw(t, label)
	}
	return rapid.SampledFrom(valid).Draw(t, label)
}
