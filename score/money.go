package score

import (
	"fmt"
	"regexp"

	"github.com/shopspring/decimal"
)

// minorUnits is the number of decimal places of the minor unit of common ISO
// 4217 currencies (the "E" column of the standard). A currency missing here
// can still be used by declaring its minor units (BonusDef.MinorUnits).
var minorUnits = map[string]int32{
	"AED": 2, "AMD": 2, "ARS": 2, "AUD": 2, "AZN": 2, "BGN": 2, "BHD": 3, "BIF": 0,
	"BRL": 2, "BYN": 2, "CAD": 2, "CHF": 2, "CLF": 4, "CLP": 0, "CNY": 2, "COP": 2,
	"CZK": 2, "DJF": 0, "DKK": 2, "EGP": 2, "EUR": 2, "GBP": 2, "GEL": 2, "GNF": 0,
	"HKD": 2, "HUF": 2, "IDR": 2, "ILS": 2, "INR": 2, "IQD": 3, "ISK": 0, "JOD": 3,
	"JPY": 0, "KGS": 2, "KMF": 0, "KRW": 0, "KWD": 3, "KZT": 2, "LYD": 3, "MDL": 2,
	"MXN": 2, "MYR": 2, "NGN": 2, "NOK": 2, "NZD": 2, "OMR": 3, "PHP": 2, "PKR": 2,
	"PLN": 2, "PYG": 0, "RON": 2, "RSD": 2, "RUB": 2, "RWF": 0, "SAR": 2, "SEK": 2,
	"SGD": 2, "THB": 2, "TJS": 2, "TND": 3, "TRY": 2, "TWD": 2, "UAH": 2, "UGX": 0,
	"USD": 2, "UYI": 0, "UZS": 2, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
	"ZAR": 2,
}

// MinorUnits returns how many decimal places the minor unit of an ISO 4217
// currency has (RUB 2, JPY 0, KWD 3), and false for a currency the built-in
// table does not know.
func MinorUnits(currency string) (int32, bool) {
	n, ok := minorUnits[currency]
	return n, ok
}

// Rounding is how an exact amount is rounded to a currency's minor unit.
type Rounding string

// The rounding modes. Amounts here are never negative, so "down" and "up"
// are toward and away from zero.
const (
	// RoundHalfUp rounds to the nearest minor unit, halves away from zero
	// (commercial rounding: 0.005 → 0.01). The default.
	RoundHalfUp Rounding = "half_up"
	// RoundHalfEven rounds to the nearest minor unit, halves to the even
	// neighbour (banker's rounding: 0.005 → 0.00, 0.015 → 0.02).
	RoundHalfEven Rounding = "half_even"
	// RoundDown truncates toward zero: never pays more than the exact amount.
	RoundDown Rounding = "down"
	// RoundUp rounds away from zero: never pays less than the exact amount.
	RoundUp Rounding = "up"
)

// Valid reports whether r is a known mode or empty (the default, half_up).
func (r Rounding) Valid() bool {
	switch r {
	case "", RoundHalfUp, RoundHalfEven, RoundDown, RoundUp:
		return true
	}
	return false
}

// Round rounds d to places decimal places in mode r ("" is half_up).
func (r Rounding) Round(d decimal.Decimal, places int32) decimal.Decimal {
	switch r {
	case RoundHalfEven:
		return d.RoundBank(places)
	case RoundDown:
		return d.RoundDown(places)
	case RoundUp:
		return d.RoundUp(places)
	}
	return d.Round(places)
}

// String is the mode's wire value; "" reads as half_up, the default.
func (r Rounding) String() string {
	if r == "" {
		return string(RoundHalfUp)
	}
	return string(r)
}

// currencyPlaces resolves the minor units of a currency, preferring a
// declared override.
func currencyPlaces(currency string, declared *int) (int32, error) {
	if declared != nil {
		if *declared < 0 || *declared > 8 {
			return 0, fmt.Errorf("minor_units must be 0..8, got %d", *declared)
		}
		return int32(*declared), nil
	}
	n, ok := MinorUnits(currency)
	if !ok {
		return 0, fmt.Errorf("currency %q is not in the built-in ISO 4217 table: declare minor_units", currency)
	}
	return n, nil
}

// currencyPattern is the form of an ISO 4217 code.
var currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)
