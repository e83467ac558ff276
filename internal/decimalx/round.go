package decimalx

import "github.com/shopspring/decimal"

// Round is d.Round(places), half away from zero, without scaling a far
// exponent: Decimal.Round brings d to places+1 places, a power of ten of
// two billion digits for 1e-2147483640 or 1e2147483647 (numbers a host
// that raises decimal.MaxDecodeExponent passes), and never returned. A
// number of no more places than asked is itself when its exponent is past
// 100,000 (Round only wrote zeros after it), and one below a tenth of the
// last place asked whose exponent is below -100,000 is 0 (at that place,
// as Round writes it); the others, Round's.
func Round(d decimal.Decimal, places int32) decimal.Decimal {
	switch e := int64(d.Exponent()); {
	case e > roundSpan:
		return d
	case e < -roundSpan && int64(d.NumDigits())+e < -int64(places):
		return decimal.New(0, -places)
	}
	return d.Round(places)
}

// roundSpan is how far an exponent may be from a place Round asks for
// before it is told by orders of magnitude: Decimal.Round of up to 100,000
// places is quick.
const roundSpan = 100_000
