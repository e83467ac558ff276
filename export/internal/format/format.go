// Package format decides how the exports write the numbers and texts of a
// report: the format of an indicator's values (money in its currency with
// its minor unit, or a plain number), the rounding of numbers for reading
// (as goalkit's table writer rounds them), currency symbols, the formula
// guard of text cells and whether a decimal survives a spreadsheet's
// doubles.
package format

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// Number is how the numbers of one column are written.
type Number struct {
	// Currency is the currency of money ("" for other numbers).
	Currency string
	// Places is the number of decimal places: always written for money,
	// the most written for other numbers.
	Places int32
	// Ratio marks a ratio (an achievement) written in percent.
	Ratio bool
}

var (
	// Plain is a number rounded to at most four places.
	Plain = Number{Places: 4}
	// Ratio is a ratio written in percent with one place.
	Ratio = Number{Places: 1, Ratio: true}
)

// Money is the format of amounts of a currency: the places of its minor
// unit (score.MinorUnits), or plain numbers with the currency's code for a
// currency it does not know.
func Money(currency string) Number {
	n, ok := score.MinorUnits(currency)
	if !ok {
		n = 4
	}
	return Number{Currency: currency, Places: n}
}

// Fixed reports whether every number of the format has all its places
// (money of a known currency).
func (n Number) Fixed() bool {
	_, ok := score.MinorUnits(n.Currency)
	return n.Currency != "" && ok
}

// Indicator is the format of the values of the plan's indicator with the
// id: money for a money indicator with a currency, plain otherwise.
func Indicator(plan *goalkit.Plan, id string) Number {
	ix, ok := plan.Indicators().Lookup(id)
	if !ok || ix.Unit() != kpi.UnitMoney || ix.Def.Currency == "" {
		return Plain
	}
	return Money(ix.Def.Currency)
}

// Goal is the format of a goal's numbers: its indicator's.
func Goal(plan *goalkit.Plan, id string) Number {
	for _, g := range plan.Definition().Goals {
		if g.ID == id {
			return Indicator(plan, g.Indicator)
		}
	}
	return Plain
}

// Round rounds a number for reading, half away from zero: money to its
// places, ratios to their places in percent (the result is still a ratio),
// other numbers to at most their places.
func (n Number) Round(d decimal.Decimal) decimal.Decimal {
	places := n.Places
	if n.Ratio {
		places += 2
	}
	if -d.Exponent() <= places {
		return d
	}
	return d.Round(places)
}

// Text writes a number for reading: rounded, grouped in thousands with a
// space (Grouped), money with its currency's symbol, a ratio in
// percent; "—" for an undefined one.
func (n Number) Text(v decimal.NullDecimal) string {
	if !v.Valid {
		return "—"
	}
	d := n.Round(v.Decimal)
	switch {
	case n.Ratio:
		return Grouped(d.Shift(2).StringFixed(n.Places)) + " %"
	case n.Fixed():
		return Grouped(d.StringFixed(n.Places)) + " " + Symbol(n.Currency)
	case n.Currency != "":
		return Grouped(d.String()) + " " + Symbol(n.Currency)
	}
	return Grouped(d.String())
}

// Symbol is how a currency is written after an amount: ₽ for RUB, $, €, £
// and ¥ for their currencies, the code otherwise.
func Symbol(currency string) string {
	switch currency {
	case "RUB":
		return "₽"
	case "USD":
		return "$"
	case "EUR":
		return "€"
	case "GBP":
		return "£"
	case "JPY", "CNY":
		return "¥"
	}
	return currency
}

// Grouped groups the whole part of a decimal string in thousands with
// spaces: 1234567.5 is "1 234 567.5".
func Grouped(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, dot := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteRune(' ')
		}
		b.WriteRune(r)
	}
	if dot {
		b.WriteString(".")
		b.WriteString(frac)
	}
	return sign + b.String()
}

// Company is how the exports name everyone together ("*"), as the
// dashboard names it.
const Company = "Company"

// Who is how the exports name a participant: its id, Company for
// everyone together ("*").
func Who(participant string) string {
	if participant == org.Everyone {
		return Company
	}
	return participant
}

// Named is how the exports name a participant given the names of some (a
// directory's units, by id): its name where it has one, else as Who names
// it.
func Named(names map[string]string, participant string) string {
	if n := names[participant]; n != "" && participant != org.Everyone {
		return n
	}
	return Who(participant)
}

// Place is where a warning of a report is: those of its indicator,
// participant and period it has, joined by ", ". A warning of no
// indicator and no period (a team left out of the values, its id being
// an actor's) names its participant alone, as goalkit's table writer
// does.
func Place(indicator, participant, period string) string {
	var parts []string
	for _, s := range []string{indicator, participant, period} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// Guard protects a text cell against a spreadsheet's formulas, as
// goalkit's CSV writer does: text that starts with =, +, -, @, a tab or a
// carriage return gets a leading single quote.
func Guard(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// MaxDigits is the most significant digits a spreadsheet keeps of a
// number: it stores doubles and shows 15 digits.
const MaxDigits = 15

// Finite reports whether d is within a double's range, so that a number
// cell (a double) can hold it, rounded; beyond it the double is infinite.
func Finite(d decimal.Decimal) bool {
	f, _ := d.Float64()
	return !math.IsInf(f, 0)
}

// FitsDouble reports whether d survives a double: at most MaxDigits
// significant digits and within a double's normal range, so that the
// double's shortest decimal form is d itself.
func FitsDouble(d decimal.Decimal) bool {
	if d.IsZero() {
		return true
	}
	digits := strings.TrimRight(strings.TrimLeft(d.Coefficient().String(), "-0"), "0")
	if len(digits) > MaxDigits {
		return false
	}
	f, _ := d.Float64()
	a := max(f, -f)
	return a >= 2.2250738585072014e-308 && a <= 1.7976931348623157e308
}

// Instant writes the instant of a report in the plan's zone, with the
// zone's abbreviation: 2025-03-20 18:00 MSK.
func Instant(t time.Time, zone *time.Location) string {
	return t.In(zone).Format("2006-01-02 15:04 MST")
}

// RoundTrips reports whether a double gives d back: the shortest decimal
// form of the double nearest to d is d itself. Every d that FitsDouble
// does; so do some with more digits (191129.0322580645).
func RoundTrips(d decimal.Decimal) bool {
	f, _ := d.Float64()
	back, err := decimal.NewFromString(strconv.FormatFloat(f, 'g', -1, 64))
	return err == nil && back.Equal(d)
}

// Board is the format of a leaderboard's values: its KPI's indicator's when
// it ranks by a KPI's actual, plain otherwise (scores, achievements).
func Board(plan *goalkit.Plan, id string) Number {
	def := plan.Definition()
	for _, b := range def.Leaderboards {
		if b.ID != id || b.KPI == "" || b.Metric != "actual" {
			continue
		}
		for _, sc := range def.Scorecards {
			if sc.ID != b.Scorecard {
				continue
			}
			for _, k := range sc.KPIs {
				if k.ID == b.KPI || (k.ID == "" && k.Indicator == b.KPI) {
					return Indicator(plan, k.Indicator)
				}
			}
		}
	}
	return Plain
}

// Cut is the top a report's board was cut to: its leaderboard's Top
// (LeaderboardDef.Top) when the report left ranks out (score.Board.Cut:
// the board's Ranked, how many had a rank before the cut, is more than the
// ranked standings it holds) and it holds at least Top standings, and 0
// otherwise. A board of exactly Top ranks, or of fewer, was not cut,
// whatever unranked standings the report left out. A board cut to its top
// holds at least Top standings (ranks 1 to Top fill the first Top places);
// one of fewer that counts more ranked was cut by a host to a viewer's
// scope (serve without public standings), not by its top.
func Cut(plan *goalkit.Plan, b score.Board) int {
	if !b.Cut() {
		return 0
	}
	for _, def := range plan.Definition().Leaderboards {
		if def.ID == b.Leaderboard && def.Top > 0 && len(b.Standings) >= def.Top {
			return def.Top
		}
	}
	return 0
}

// Shown is the line that says a board is cut to its top (Cut): "top 10
// shown".
func Shown(top int) string { return fmt.Sprintf("top %d shown", top) }

// Ranked is the number of standings a board ranked: on a board of a
// leaderboard with a top, the count the report kept (score.Board.Ranked,
// of the standings before the cut), else the standings it holds that have
// a rank (those without a value, rank 0 and listed last, are not counted).
func Ranked(b score.Board) int {
	if b.Ranked > 0 {
		return b.Ranked
	}
	return b.Held()
}
