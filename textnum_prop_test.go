package goalkit_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// The table writer rounds each value of the report half away from zero to
// at most four places, once, and writes every number of a column with the
// same places: a ratio of 16 significant digits, a negative change, an
// exact sum each read back equal to the JSON's value so rounded.
func TestPropTableRoundsTheJSONsValues(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		plan := compile(t, parseDef(t, fmt.Sprintf(prevPropPlan, "UTC", "month", "2025-05-01")))
		loc := plan.Calendar().Location()
		evs, _ := genBreakdownEvents(t, loc)
		rep := mustEvaluate(t, plan, storeOf(t, loc, evs...), drawnAsOf(loc))
		doc := readReportDoc(t, rep)
		want := map[string]string{} // period|indicator|participant → the value rounded
		for _, row := range doc.Values {
			v := "—"
			if row["value"] != nil {
				d := decimal.RequireFromString(row["value"].(string))
				v = decimal.RequireFromString(roundRatText(d.Rat(), 4)).String()
			}
			who := row["participant"].(string)
			if who == "*" {
				who = "everyone (*)"
			}
			want[fmt.Sprintf("%s|%s|%s", row["period_start"].(string)[:7], row["indicator"], who)] = v
		}
		var b bytes.Buffer
		if err := rep.WriteTable(&b); err != nil {
			t.Fatal(err)
		}
		labels := append(slices.Clone(rep.Values.Participants()), "everyone (*)")
		n := 0
		for _, bl := range tableBlocks(b.String()) {
			if strings.Contains(bl.title, " by ") {
				continue
			}
			heads := strings.Fields(bl.header)[1:]
			cells := tableCells(t, bl.header, bl.rows, labels)
			for i, h := range heads {
				places := -1
				for _, c := range cells {
					text := c[i+1]
					got := text
					if text != "—" {
						got = decimal.RequireFromString(strings.ReplaceAll(text, " ", "")).String()
						p := 0
						if j := strings.IndexByte(text, '.'); j >= 0 {
							p = len(text) - j - 1
						}
						if places >= 0 && p != places {
							t.Fatalf("%s in %s: %q has %d places, the column %d", h, bl.title, text, p, places)
						}
						places = p
					}
					k := fmt.Sprintf("%s|%s|%s", bl.title, h, c[0])
					if got != want[k] {
						t.Fatalf("%s: the table says %q, the JSON's value rounded to four places is %s", k, text, want[k])
					}
					n++
				}
			}
		}
		if n != len(want) {
			t.Fatalf("the table shows %d values, the JSON has %d", n, len(want))
		}
	})
}
