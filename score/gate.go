package score

import (
	"fmt"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/problem"
	"github.com/shopspring/decimal"
)

// GateDef makes a KPI critical: when its actual is worse than Below (under
// it when higher is better, over it when lower is better) or undefined, the
// scorecard's total is multiplied by Factor. Factor 0 (the default) zeroes
// the total; 0.5 halves it. When several gates trip, their factors
// multiply. A gate never raises a total: a subtotal of 0 or less (possible
// with negative floors) is kept as it is.
type GateDef struct {
	// Below is the gate's threshold, an actual value; it defaults to the
	// KPI's threshold, which must then be declared.
	Below *decimal.Decimal `json:"below,omitempty"`
	// Factor multiplies the total when the gate trips: 0 to 1.
	Factor decimal.Decimal `json:"factor"`
}

// gate is a compiled GateDef.
type gate struct {
	dir    Direction
	below  decimal.Decimal
	factor decimal.Decimal
}

func compileGate(g *GateDef, dir Direction, threshold *decimal.Decimal, path string, ps *problem.List) *gate {
	if dir == "" {
		dir = HigherIsBetter
	}
	out := &gate{dir: dir, factor: g.Factor}
	switch {
	case g.Below != nil:
		out.below = *g.Below
	case threshold != nil:
		out.below = *threshold
	default:
		ps.Add(sub(path, "below"), problem.Required, "a critical KPI needs the actual it must reach: declare below, or the KPI's threshold")
	}
	if g.Factor.IsNegative() || g.Factor.GreaterThan(one) {
		ps.Add(sub(path, "factor"), problem.Invalid, fmt.Sprintf("factor must be 0 to 1 (0 zeroes the total), got %s", display.Number(g.Factor)))
	}
	return out
}

// tripped reports whether actual fails the gate: undefined, or worse than
// below.
func (g *gate) tripped(actual decimal.NullDecimal) bool {
	return !actual.Valid || g.dir.better(g.below, actual.Decimal)
}
