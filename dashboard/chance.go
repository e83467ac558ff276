package dashboard

import (
	"strings"

	"github.com/goalkit/goalkit/forecast"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/score"
)

// chanceText is the probability of a row's target in the viewer's
// language, "62 % likely to reach 1 500 000 ₽" ("to stay within" when
// lower is better), written as the engine writes it in notifications (a
// whole percent, never 100 % below certainty nor 0 % above nothing); ""
// when the row has none, or its period is over (the engine's chance is
// then the outcome, 1 or 0, which the status already says).
func (q *request) chanceText(f format, row goal.Row) string {
	if row.Ended || !row.Chance.Reach.Valid || !row.Target.Valid {
		return ""
	}
	pct := q.l.percent(strings.TrimSuffix(forecast.FormatChance(row.Chance.Reach.Decimal), " %"))
	key := "chance.reach"
	if row.Direction == score.LowerIsBetter {
		key = "chance.within"
	}
	return strings.NewReplacer("{p}", pct, "{t}", f.text(q.l, row.Target)).Replace(q.l.T(key))
}

// rangeText is the range from P10 to P90 of a row's final value,
// "1 200 000 – 1 800 000 ₽"; "" when the row has none or its period is
// over.
func rangeText(l *locale, f format, row goal.Row) string {
	c := row.Chance
	if row.Ended || !c.P10.Valid || !c.P90.Valid {
		return ""
	}
	return f.digits(l, c.P10.Decimal) + " – " + f.text(l, c.P90)
}
