package dashboard

import (
	"strings"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// A format says how the numbers of one quantity are rounded and written,
// as the engine's table writer rounds them: money to its currency's minor
// unit, other numbers to at most four decimal places, ratios in percent
// with one place; half away from zero.
type format struct {
	// places is the most decimal places written.
	places int32
	// currency is the ISO code of money, "" otherwise.
	currency string
	// percent writes the percent sign after a number that is a percent
	// (an indicator whose unit is percent).
	percent bool
}

var (
	plainFormat = format{places: 4}
	// scoreFormat writes scores, weights and percents that are percents
	// already (a scorecard's breakdown).
	scoreFormat = format{places: 2}
)

// formatOf is the format of the values of an indicator: money in its
// currency for a money indicator with a currency score.MinorUnits knows,
// a percent with its sign for a percent indicator, plain otherwise.
func formatOf(ix *kpi.Indicator) format {
	if ix != nil && ix.Unit() == kpi.UnitPercent {
		return format{places: plainFormat.places, percent: true}
	}
	if ix == nil || ix.Unit() != kpi.UnitMoney || ix.Def.Currency == "" {
		return plainFormat
	}
	if n, ok := score.MinorUnits(ix.Def.Currency); ok {
		return format{places: n, currency: ix.Def.Currency}
	}
	return format{places: 4, currency: ix.Def.Currency}
}

// round rounds d for reading, half away from zero.
func (f format) round(d decimal.Decimal) decimal.Decimal {
	if -d.Exponent() <= f.places {
		return d
	}
	return d.Round(f.places)
}

// digits writes d rounded, in the locale's separators: the whole part
// grouped in thousands, and the decimals it needs (none for a whole
// amount of money, the minor unit's places otherwise).
func (f format) digits(l *locale, d decimal.Decimal) string {
	r := f.round(d)
	var s string
	switch {
	case f.currency != "" && !r.Equal(r.Truncate(0)):
		s = r.StringFixed(f.places)
	case f.currency != "":
		s = r.StringFixed(0)
	default:
		s = r.String()
	}
	return l.number(s)
}

// text writes a number of the quantity, with its currency; "—" for an
// undefined one.
func (f format) text(l *locale, v decimal.NullDecimal) string {
	if !v.Valid {
		return "—"
	}
	s := f.digits(l, v.Decimal)
	switch {
	case f.percent:
		return l.percent(s)
	case f.currency == "":
		return s
	}
	return l.money(s, f.currency)
}

// signed writes a change with its sign: +1 500 ₽, −200.
func (f format) signed(l *locale, v decimal.NullDecimal) string {
	if !v.Valid {
		return "—"
	}
	r := f.round(v.Decimal)
	switch r.Sign() {
	case 1:
		return "+" + f.text(l, decimal.NewNullDecimal(r))
	case -1:
		return "−" + f.text(l, decimal.NewNullDecimal(r.Neg()))
	}
	return f.text(l, decimal.NewNullDecimal(r))
}

// percentOf writes a ratio in percent with one decimal place: 0.875 is
// 87.5 %.
func percentOf(l *locale, v decimal.NullDecimal) string {
	if !v.Valid {
		return "—"
	}
	return l.percent(l.number(v.Decimal.Shift(2).Round(1).StringFixed(1)))
}

// percentText writes a number that is a percent already.
func percentText(l *locale, v decimal.NullDecimal) string {
	if !v.Valid {
		return "—"
	}
	return l.percent(scoreFormat.digits(l, v.Decimal))
}

// groupDigits groups the whole part of a plain decimal string ("-1234.5")
// in thousands with sep and writes the decimal point as point.
func groupDigits(s, sep, point string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteString("−")
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteString(point)
		b.WriteString(frac)
	}
	return b.String()
}

// barWidth is the capped achievement as a width in [0, 100] for a
// progress bar: the SVG's own units, never a number the page shows.
func barWidth(v decimal.NullDecimal) string {
	if !v.Valid {
		return "0"
	}
	d := decimal.Max(decimal.Zero, decimal.Min(decimal.NewFromInt(1), v.Decimal))
	return d.Shift(2).Round(2).String()
}
