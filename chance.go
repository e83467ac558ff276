package goalkit

import (
	"github.com/goalkit/goalkit/forecast"
	"github.com/goalkit/goalkit/goal"
	"github.com/shopspring/decimal"
)

// withChance adds the probabilistic forecast's columns to the table of a
// goal's rows when any of them has one: the probability of reaching the
// target and the 10th and 90th percentiles of the final value.
func withChance(rows [][]string, block []*goal.Row, f numFmt) [][]string {
	has := false
	p10 := make([]decimal.NullDecimal, len(block))
	p90 := make([]decimal.NullDecimal, len(block))
	for i, r := range block {
		has = has || r.Chance.P50.Valid || r.Chance.Reach.Valid
		p10[i], p90[i] = r.Chance.P10, r.Chance.P90
	}
	if !has {
		return rows
	}
	c10, c90 := f.column(p10), f.column(p90)
	rows[0] = append(rows[0], "P(reach)", "P10", "P90")
	for i, r := range block {
		p := "—"
		if r.Chance.Reach.Valid {
			p = forecast.FormatChance(r.Chance.Reach.Decimal)
		}
		rows[i+1] = append(rows[i+1], p, c10[i], c90[i])
	}
	return rows
}
