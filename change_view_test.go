package goalkit_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// A viewer's report keeps the changes of the participants it may see; in
// the company's change the shares of the others are one part, "(others)",
// so that the parts still add back to the change and no hidden
// participant's share (or name) is shown. Revenue: anna 800 → 500, boris
// 600 → 1500, vera 300 → 200 (+600 − 100); conversion: a ratio.
func TestReportForViewerMergesHiddenSharesOfAChange(t *testing.T) {
	var evs []kpi.Event
	evs = append(evs, deals("anna", "web", 2, 8, 8, "100")...)
	evs = append(evs, deals("boris", "partner", 2, 6, 6, "100")...)
	evs = append(evs, deals("vera", "web", 2, 6, 3, "100")...)
	evs = append(evs, deals("anna", "web", 3, 10, 5, "100")...)
	evs = append(evs, deals("boris", "partner", 3, 15, 15, "100")...)
	evs = append(evs, deals("vera", "web", 3, 4, 2, "100")...)
	rep, view := changesForAnna(t, evs,
		goalkit.ChangeRequest{Indicator: "revenue", Base: month(2), Current: month(3)},
		goalkit.ChangeRequest{Indicator: "conversion", Base: month(2), Current: month(3)},
		goalkit.ChangeRequest{Indicator: "revenue", Participant: "boris", Base: month(2), Current: month(3)})
	// anna sees herself and the company (changesForAnna).
	if len(view.Changes) != 2 {
		t.Fatalf("%d changes in anna's view, want the company's two (boris's is hidden)", len(view.Changes))
	}
	for i, c := range view.Changes {
		full := rep.Changes[i]
		var keys []string
		sum := decimal.Zero
		for _, p := range c.Participants.Parts {
			keys = append(keys, p.Key)
			sum = sum.Add(p.Delta)
		}
		if !slices.Equal(keys, []string{"anna", "(others)"}) {
			t.Errorf("%s: parts %v, want anna and (others)", c.Indicator, keys)
		}
		// The others' share is what boris's and vera's were, together.
		want := decimal.Zero
		for _, p := range full.Participants.Parts {
			if p.Key != "anna" {
				want = want.Add(p.Delta)
			}
		}
		if others := c.Participants.Parts[1]; !others.Delta.Equal(want) {
			t.Errorf("%s: (others) %s, want %s", c.Indicator, others.Delta, want)
		}
		if !sum.Equal(full.Participants.Parts[0].Delta.Add(want)) {
			t.Errorf("%s: parts add to %s", c.Indicator, sum)
		}
		if c.Kind == goalkit.ChangeAdditive {
			if !sum.Equal(c.Delta) {
				t.Errorf("%s: parts add to %s, the change is %s", c.Indicator, sum, c.Delta)
			}
			if o := c.Participants.Parts[1]; o.Base.String() != "900" || o.Value.String() != "1700" {
				t.Errorf("revenue (others): %s → %s, want 900 → 1700", o.Base, o.Value)
			}
		} else if o := c.Participants.Parts[1]; o.Base != nil || o.Value != nil || o.Mix == nil || o.BaseWeight == nil {
			t.Errorf("conversion (others): %+v, want weights and effects without a rate", o)
		}
	}
	if rep.Changes[0].Participants.Parts[1].Key != "boris" {
		t.Fatal("the report itself changed")
	}
	var b strings.Builder
	if err := view.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	if s := b.String(); strings.Contains(s, "boris") || strings.Contains(s, "vera") {
		t.Errorf("anna's view names a hidden participant:\n%s", s)
	}
	b.Reset()
	if err := view.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	if s := b.String(); strings.Contains(s, "boris") || strings.Contains(s, "vera") || !strings.Contains(s, "(others)") {
		t.Errorf("anna's view as text:\n%s", s)
	}
}
