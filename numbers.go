package goalkit

import "github.com/shopspring/decimal"

// Number returns a pointer to the decimal s, for the optional numbers of a
// definition written in Go (goal.Def.Target, cascade.NodeDef.Weight,
// score.KPIDef.Target…): a nil pointer is "not given". Like
// regexp.MustCompile it is for literals: it panics when s is not a decimal.
//
//	goal.Def{ID: "leads50", Indicator: "leads", Target: goalkit.Number("50")}
func Number(s string) *decimal.Decimal {
	d := decimal.RequireFromString(s)
	return &d
}
