package goalkit

import (
	"strings"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// numFmt is how the table writer rounds and writes a column of numbers.
type numFmt struct {
	// places is the number of decimal places: always written when fixed
	// (money), otherwise the most written.
	places int32
	fixed  bool
	// shift moves the decimal point: 2 writes a ratio in percent.
	shift  int32
	suffix string
}

var (
	// plainFmt writes a number rounded to at most four places.
	plainFmt = numFmt{places: 4}
	// ratioFmt writes a ratio (an achievement) in percent, one place.
	ratioFmt = numFmt{places: 1, shift: 2, suffix: " %"}
	// percentFmt writes a number that is a percent already (a
	// scorecard's achievement).
	percentFmt = numFmt{places: 4, suffix: " %"}
)

// moneyFmt writes amounts of a currency with the places of its minor unit,
// or as plain numbers for a currency score.MinorUnits does not know.
func moneyFmt(currency string) numFmt {
	if n, ok := score.MinorUnits(currency); ok {
		return numFmt{places: n, fixed: true}
	}
	return plainFmt
}

// indicatorFormat is the format of an indicator's values: money in its
// currency for a money indicator with a currency, plain otherwise.
func indicatorFormat(ix *kpi.Indicator) numFmt {
	if ix != nil && ix.Unit() == kpi.UnitMoney && ix.Def.Currency != "" {
		return moneyFmt(ix.Def.Currency)
	}
	return plainFmt
}

// indicatorFmt is the format of the values of the indicator with the id.
func (r *Report) indicatorFmt(id string) numFmt {
	if r.Values == nil {
		return indicatorFormat(nil) // a host's report without values
	}
	ix, _ := r.Values.Set().Lookup(id)
	return indicatorFormat(ix)
}

// goalFmt is the format of the numbers of a goal: its indicator's.
func (r *Report) goalFmt(id string) numFmt {
	for _, g := range r.goals {
		if g.ID == id {
			return r.indicatorFmt(g.Indicator)
		}
	}
	return plainFmt
}

func (f numFmt) round(d decimal.Decimal) decimal.Decimal {
	if f.shift != 0 {
		d = d.Shift(f.shift)
	}
	if -d.Exponent() <= f.places {
		return d
	}
	return d.Round(f.places)
}

// column writes the numbers of a column, rounded half away from zero, all
// with the same places, grouped in thousands; "—" for an undefined one.
func (f numFmt) column(vals []decimal.NullDecimal) []string {
	rounded := make([]decimal.Decimal, len(vals))
	places := f.places
	if !f.fixed {
		places = 0
	}
	for i, v := range vals {
		if !v.Valid {
			continue
		}
		rounded[i] = f.round(v.Decimal)
		if !f.fixed && -rounded[i].Exponent() > places {
			places = max(places, fracPlaces(rounded[i]))
		}
	}
	out := make([]string, len(vals))
	for i, v := range vals {
		if !v.Valid {
			out[i] = "—"
			continue
		}
		out[i] = display.Grouped(rounded[i].StringFixed(places)) + f.suffix
	}
	return out
}

// cell writes one number with the places it needs.
func (f numFmt) cell(v decimal.NullDecimal) string {
	return f.column([]decimal.NullDecimal{v})[0]
}

// num writes one defined number with the places it needs.
func (f numFmt) num(d decimal.Decimal) string { return f.cell(decimal.NewNullDecimal(d)) }

// fracPlaces is the number of decimal places of d without trailing zeros.
func fracPlaces(d decimal.Decimal) int32 {
	s := d.String()
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return int32(len(s) - i - 1)
	}
	return 0
}
