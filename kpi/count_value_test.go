package kpi_test

import (
	"strings"
	"testing"

	"github.com/goalkit/goalkit/kpi"
)

// A count counts events: a value or a currency given it is refused with
// its path, where it was accepted and ignored (count with value: amount
// counted the events without an amount too, unlike SQL's COUNT(amount)).
func TestCountRefusesValueAndCurrency(t *testing.T) {
	env := kpi.Env{Attributes: map[string]kpi.AttrType{"discount": kpi.AttrDecimal}}
	for _, c := range []struct {
		def  kpi.IndicatorDef
		want string // "" compiles
	}{
		{kpi.IndicatorDef{ID: "n", Kinds: []string{"k"}, Aggregate: kpi.Count, Value: "amount"}, "indicators[0].value: value does not apply to aggregate count"},
		{kpi.IndicatorDef{ID: "n", Kinds: []string{"k"}, Aggregate: kpi.Count, Currency: "USD"}, "indicators[0].currency: currency does not apply to aggregate count"},
		{kpi.IndicatorDef{ID: "n", Kinds: []string{"k"}, Aggregate: kpi.Count, Currency: "USD", Rate: kpi.RateBudget}, "indicators[0].currency: currency does not apply to aggregate count"},
		{kpi.IndicatorDef{ID: "n", Kinds: []string{"k"}, Aggregate: kpi.Count, Where: "defined(discount)"}, ""},
		{kpi.IndicatorDef{ID: "n", Kinds: []string{"k"}, Aggregate: kpi.Sum, Value: "amount", Currency: "USD"}, ""},
		{kpi.IndicatorDef{ID: "n", Kinds: []string{"k"}, Aggregate: kpi.Distinct, Value: "discount"}, ""},
	} {
		_, err := kpi.Compile([]kpi.IndicatorDef{c.def}, env)
		if c.want == "" && err != nil {
			t.Errorf("%+v: %v", c.def, err)
		}
		if c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%+v: %v, want %q", c.def, err, c.want)
		}
	}
}
