package kpi_test

import (
	"testing"

	"github.com/goalkit/goalkit/kpi"
)

// A kind an indicator or a cohort names is one an event may have: an
// identifier, as Event.Validate wants of every event's kind. A kind read
// from a host's configuration with its line break ("deal.won\n") was
// taken, and the indicator counted nothing, without a word.
func TestCompileRefusesAKindNoEventHas(t *testing.T) {
	env := kpi.Env{Attributes: map[string]kpi.AttrType{"deal": kpi.AttrString}}
	for _, c := range []struct {
		name string
		def  kpi.IndicatorDef
		want string
	}{
		{"a line break", kpi.IndicatorDef{ID: "won", Kinds: []string{"deal.won\n"}, Aggregate: kpi.Count},
			`indicators[0].kinds[0]: kind "deal.won\n" has a control character (U+000A): no event has such a kind`},
		{"invalid UTF-8", kpi.IndicatorDef{ID: "won", Kinds: []string{"deal.won", "call\xff"}, Aggregate: kpi.Count},
			`indicators[0].kinds[1]: kind "call\xff" is not valid UTF-8: no event has such a kind`},
		{"a cohort's", kpi.IndicatorDef{ID: "won", Kinds: []string{"deal.won"}, Aggregate: kpi.Count,
			Cohort: &kpi.CohortDef{Of: []string{"deal.created\t"}, Entity: "deal"}},
			`indicators[0].cohort.of[0]: kind "deal.created\t" has a control character (U+0009): no event has such a kind`},
		{"an identifier", kpi.IndicatorDef{ID: "won", Kinds: []string{"Сделка выиграна"}, Aggregate: kpi.Count}, ""},
	} {
		_, err := kpi.Compile([]kpi.IndicatorDef{c.def}, env)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
