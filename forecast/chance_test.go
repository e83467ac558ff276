package forecast

import (
	"fmt"
	"math/big"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// FormatChance writes a whole percent, rounded half up, never 100 % short of
// certainty nor 0 % above nothing.
func TestFormatChance(t *testing.T) {
	for p, want := range map[string]string{
		"0": "0 %", "1": "100 %", "0.5": "50 %", "0.62": "62 %", "0.625": "63 %", "0.615": "62 %", "0.6249": "62 %",
		"0.994": "99 %", "0.995": "99 %", "0.999999": "99 %", "0.000001": "1 %", "0.004": "1 %", "0.005": "1 %",
		"0.015": "2 %", "0.01": "1 %", "0.99": "99 %", "0.985": "99 %",
		// No probability: the nearer end.
		"7": "100 %", "1.0001": "100 %", "-0.2": "0 %", "-0.004": "0 %", "-0.006": "0 %", "-1e30": "0 %",
	} {
		if got := FormatChance(dec(p)); got != want {
			t.Errorf("FormatChance(%s) = %q, want %q", p, got, want)
		}
	}
}

// Whatever the decimal, FormatChance writes a whole percent from 0 to 100
// and a space: the probability held to [0, 1] (a number outside is no
// probability: the nearer end), times 100 rounded half up, 100 only for
// certainty and 0 only for nothing; computed here with exact rationals.
// Above 1 it wrote "700 %", below 0 "-20 %".
func TestFormatChanceAnyDecimal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := decimal.New(rapid.Int64().Draw(t, "coefficient"), int32(rapid.IntRange(-30, 3).Draw(t, "exponent")))
		r, ok := new(big.Rat).SetString(p.String())
		if !ok {
			t.Fatalf("%s is no rational", p)
		}
		one := big.NewRat(1, 1)
		switch {
		case r.Cmp(one) > 0:
			r = one
		case r.Sign() < 0:
			r = new(big.Rat)
		}
		x := new(big.Rat).Mul(r, big.NewRat(100, 1))
		// Half up: the floor of x + 1/2.
		h := new(big.Rat).Add(x, big.NewRat(1, 2))
		n := new(big.Int).Quo(h.Num(), h.Denom()).Int64()
		switch {
		case n == 100 && x.Cmp(big.NewRat(100, 1)) < 0:
			n = 99
		case n == 0 && x.Sign() > 0:
			n = 1
		}
		if got, want := FormatChance(p), fmt.Sprintf("%d %%", n); got != want {
			t.Fatalf("FormatChance(%s) = %q, want %q", p, got, want)
		}
	})
}
