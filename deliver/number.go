package deliver

import (
	"strings"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// currencySigns are the signs written after amounts of these currencies;
// any other currency is written by its code.
var currencySigns = map[string]string{"RUB": "₽", "USD": "$", "EUR": "€", "GBP": "£", "KZT": "₸", "UAH": "₴", "BYN": "Br", "CNY": "¥"}

// Amount writes a number of a goal as the engine's table writer does:
// rounded half away from zero (money to its currency's minor unit, other
// numbers to at most four places), grouped in thousands with spaces; money
// gets its currency's sign after a space, and a zero fraction of money is
// left out: 1 500 000 ₽, 1 500 000.50 ₽. A currency whose minor unit is
// not known (score.MinorUnits) is written as other numbers are, with its
// code after them: 1 500 000.5 LKR. An undefined number is "—".
func Amount(d decimal.NullDecimal, currency string) string {
	if !d.Valid {
		return "—"
	}
	v := d.Decimal
	places, money := score.MinorUnits(currency)
	if !money {
		places = 4
	}
	if -v.Exponent() > places {
		v = v.Round(places)
	}
	s := v.String()
	if money && v.IsInteger() {
		s = v.Truncate(0).String()
	} else if money {
		s = v.StringFixed(places)
	}
	s = display.Grouped(s)
	if currency != "" {
		sign := currencySigns[currency]
		if sign == "" {
			sign = currency
		}
		s += " " + sign
	}
	return s
}

// Percent writes a ratio (an achievement) in percent with at most one
// place: 0.875 is "87.5 %", 1.5 is "150 %"; undefined is "—".
func Percent(r decimal.NullDecimal) string {
	if !r.Valid {
		return "—"
	}
	v := r.Decimal.Shift(2)
	if -v.Exponent() > 1 {
		v = v.Round(1)
	}
	s := v.String()
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return display.Grouped(s) + " %"
}
