package score

import (
	"fmt"
	"slices"

	"github.com/goalkit/goalkit/internal/decimalx"
	"github.com/goalkit/goalkit/internal/defcheck"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/problem"
	"github.com/shopspring/decimal"
)

// TierDef is one band of a progressive scale, like a tax bracket: the part
// of the basis from From up to the next band's From earns Rate per unit
// (money per score point, or per unit of an indicator: 0.03 is 3 % of
// revenue). The last band has no upper end. Rates are marginal: reaching a
// higher band never changes what the lower bands paid.
type TierDef struct {
	From decimal.Decimal `json:"from"`
	Rate decimal.Decimal `json:"rate"`
}

// TierPart is what one band paid.
type TierPart struct {
	From decimal.Decimal `json:"from"`
	// To is the band's upper end; null for the last band.
	To   decimal.NullDecimal `json:"to"`
	Rate decimal.Decimal     `json:"rate"`
	// Base is the part of the basis inside the band.
	Base   decimal.Decimal `json:"base"`
	Amount decimal.Decimal `json:"amount"`
}

// Tiers is a compiled progressive scale. It is immutable. A nil or zero
// Tiers has no bands: it pays 0 whatever the basis.
type Tiers struct {
	bands []TierDef // by From ascending
}

// NewTiers validates a progressive scale: distinct From values and rates of
// at least 0 (so more never pays less). A number whose exponent is past
// ±10000, which a plan file cannot write, is refused first, alone.
func NewTiers(bands []TierDef) (*Tiers, error) {
	var ps problem.List
	if !defcheck.Exponents(&ps, "tiers", bands) {
		return nil, ps.Err()
	}
	t := compileTiers(bands, "tiers", &ps)
	if err := ps.Err(); err != nil {
		return nil, err
	}
	return t, nil
}

func compileTiers(bands []TierDef, path string, ps *problem.List) *Tiers {
	for i, b := range bands {
		if b.Rate.IsNegative() {
			ps.Add(fmt.Sprintf("%s[%d].rate", path, i), problem.Invalid, fmt.Sprintf("rate must be at least 0, got %s", display.Number(b.Rate)))
		}
	}
	sorted := slices.Clone(bands)
	slices.SortStableFunc(sorted, func(a, b TierDef) int { return a.From.Cmp(b.From) })
	for i := 1; i < len(sorted); i++ {
		if sorted[i].From.Equal(sorted[i-1].From) {
			ps.Add(path, problem.Duplicate, fmt.Sprintf("two tiers from %s", sorted[i].From))
		}
	}
	return &Tiers{bands: sorted}
}

// Amount returns Σ rate × (the part of x in each band), exactly, with the
// parts; bands x does not reach are left out. x is placed among the bands
// by orders of magnitude first: one far below them in exponent (10^-2147483648
// against a band from 10, or -10^2147483647) reaches none, at once, where
// comparing scaled one number to the other's exponent and never returned.
// The part of x in a band is exact, as many digits as x and the band span.
func (t *Tiers) Amount(x decimal.Decimal) (decimal.Decimal, []TierPart) {
	total := decimal.Zero
	if t == nil {
		return total, nil
	}
	var parts []TierPart
	for i, b := range t.bands {
		if decimalx.Cmp(x, b.From) <= 0 {
			break
		}
		top := x
		var to decimal.NullDecimal
		if i+1 < len(t.bands) {
			to = decimal.NewNullDecimal(t.bands[i+1].From)
			if decimalx.Cmp(top, to.Decimal) > 0 {
				top = to.Decimal
			}
		}
		base := top.Sub(b.From)
		amt := base.Mul(b.Rate)
		total = total.Add(amt)
		parts = append(parts, TierPart{From: b.From, To: to, Rate: b.Rate, Base: base, Amount: amt})
	}
	return total, parts
}
