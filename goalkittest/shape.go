package goalkittest

import (
	"slices"
	"strings"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// DefaultActors are the users events of ShapeOf are credited to.
var DefaultActors = []string{"u1", "u2", "u3"}

// ShapeOf derives the shape of the events a plan reads: the kinds of its
// indicators; the attributes it declares, with values of their types and the
// constants its where filters compare them with (and their neighbours, so
// both sides of every comparison are drawn); amounts around the constants
// the filters compare amount with, and refunds: amounts in [-10000, 10000]
// and the negation of every candidate (a deal of -300.00 cancelling one of
// 300.00; 300.00 and -300.00 when the filters compare amount
// with nothing); the currencies the filters and indicators name; and the
// plan's report periods. actors are the users credited (DefaultActors when
// none).
func ShapeOf(plan *goalkit.Plan, actors ...string) Shape {
	def := plan.Definition()
	if len(actors) == 0 {
		actors = DefaultActors
	}
	s := Shape{Kinds: plan.Indicators().Kinds(), Actors: slices.Clone(actors), MinAmount: -10000, MaxAmount: 10000, Attrs: map[string][]any{}, Periods: plan.Periods()}
	if len(s.Kinds) == 0 {
		s.Kinds = []string{"event"}
	}
	consts := map[string][]formula.Value{}
	env := kpi.Env{Attributes: def.Attributes}.EventEnv()
	for _, d := range def.Indicators {
		if d.Currency != "" {
			s.Currencies = appendNew(s.Currencies, d.Currency)
		}
		for _, src := range []string{d.Where, d.Value} {
			if src == "" {
				continue
			}
			p, err := formula.Compile(src, env, formula.TypeAny)
			if err != nil {
				continue
			}
			walkConsts(p.Node(), consts)
		}
	}
	for _, v := range consts["amount"] {
		if d, ok := v.Number(); ok {
			for _, x := range neighbours(d) {
				s.Amounts = appendNewDec(s.Amounts, x)
			}
		}
	}
	if len(s.Amounts) == 0 {
		s.Amounts = append(s.Amounts, refundAmount)
	}
	// A refund is the negation of a sale: the same amount with the other
	// sign, which cancels it exactly in a sum.
	for _, x := range s.Amounts {
		s.Amounts = appendNewDec(s.Amounts, x.Neg())
	}
	for _, v := range consts["currency"] {
		if c, ok := v.Str(); ok {
			s.Currencies = appendNew(s.Currencies, c)
		}
	}
	// Every currency the plan's rates name, then one it names nowhere (XTS,
	// ISO 4217's code for testing) and none: amounts the plan cannot
	// convert are part of what it must handle.
	pairs := make([]string, 0, len(def.BudgetRates))
	for pair := range def.BudgetRates {
		pairs = append(pairs, pair)
	}
	slices.Sort(pairs)
	for _, pair := range pairs {
		if from, to, ok := strings.Cut(pair, "/"); ok {
			s.Currencies = appendNew(appendNew(s.Currencies, from), to)
		}
	}
	if len(s.Currencies) > 0 {
		s.Currencies = appendNew(appendNew(s.Currencies, UnknownCurrency), "")
	}
	for _, v := range consts["actor"] {
		if a, ok := v.Str(); ok {
			s.Actors = appendNew(s.Actors, a)
		}
	}
	names := make([]string, 0, len(def.Attributes))
	for n := range def.Attributes {
		names = append(names, n)
	}
	for n := range consts {
		if _, ok := def.Attributes[n]; !ok && !slices.Contains([]string{"amount", "currency", "actor", "kind", "time", "id"}, n) {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	for _, n := range slices.Compact(names) {
		s.Attrs[n] = attrValues(def.Attributes[n], consts[n])
	}
	return s
}

// UnknownCurrency is the currency ShapeOf adds to those a plan names, so
// that events in a currency without a rate are drawn too: XTS, ISO 4217's
// code for testing.
const UnknownCurrency = "XTS"

// PlanStream draws event streams shaped by the plan (ShapeOf), with
// corrections, retractions, duplicates and any interleaving.
func PlanStream(plan *goalkit.Plan, actors ...string) *rapid.Generator[[]kpi.Event] {
	return Stream(plan.Calendar(), ShapeOf(plan, actors...))
}

// walkConsts collects the constants each name is compared with.
func walkConsts(n formula.Node, out map[string][]formula.Value) {
	formula.Walk(n, func(n formula.Node) {
		switch n := n.(type) {
		case formula.Compare:
			if id, ok := n.L.(formula.Ident); ok {
				if c, ok := n.R.(formula.Const); ok {
					out[id.Name] = append(out[id.Name], c.Value)
				}
			}
		case formula.In:
			if id, ok := n.X.(formula.Ident); ok {
				out[id.Name] = append(out[id.Name], n.List...)
			}
		case formula.Ident:
			if _, ok := out[n.Name]; !ok {
				out[n.Name] = nil
			}
		}
	})
}

// attrValues returns candidate values of an attribute of type typ (0:
// undeclared) given the constants it is compared with.
func attrValues(typ kpi.AttrType, consts []formula.Value) []any {
	var out []any
	add := func(v any) {
		for _, w := range out {
			if dw, ok := w.(decimal.Decimal); ok {
				if dv, ok := v.(decimal.Decimal); ok && dw.Equal(dv) {
					return
				}
			} else if w == v {
				return
			}
		}
		out = append(out, v)
	}
	for _, c := range consts {
		if s, ok := c.Str(); ok && (typ == 0 || typ == kpi.AttrString) {
			add(s)
		}
		if b, ok := c.Bool(); ok && (typ == 0 || typ == kpi.AttrBool) {
			add(b)
		}
		if d, ok := c.Number(); ok {
			for _, x := range neighbours(d) {
				if typ == kpi.AttrInt {
					if x.IsInteger() && x.Abs().LessThan(decimal.New(1, 18)) {
						add(x.IntPart())
					}
				} else if typ == 0 || typ == kpi.AttrDecimal {
					add(x)
				}
			}
		}
		if tm, ok := c.Time(); ok && (typ == 0 || typ == kpi.AttrTime) {
			add(tm)
			add(tm.Add(-time.Second))
		}
	}
	switch typ {
	case kpi.AttrString:
		add("other")
	case kpi.AttrBool:
		add(true)
		add(false)
	case kpi.AttrInt:
		for _, i := range []int64{0, 1, 2, 3} {
			add(i)
		}
	case kpi.AttrDecimal:
		for _, d := range []decimal.Decimal{decimal.Zero, decimal.New(15, -1), decimal.New(100, 0)} {
			add(d)
		}
	case kpi.AttrTime:
		add(time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC))
	default:
		if len(out) == 0 {
			add("other")
		}
	}
	return out
}

// neighbours returns d and the numbers just around it.
// refundAmount is the candidate amount of a plan whose filters compare
// amount with nothing: 300.00, drawn with its refund, -300.00.
var refundAmount = decimal.New(30000, -2)

func neighbours(d decimal.Decimal) []decimal.Decimal {
	one, cent := decimal.New(1, 0), decimal.New(1, -2)
	return []decimal.Decimal{d, d.Sub(one), d.Add(one), d.Sub(cent), d.Add(cent)}
}

func appendNew(xs []string, x string) []string {
	if slices.Contains(xs, x) {
		return xs
	}
	return append(xs, x)
}

func appendNewDec(xs []decimal.Decimal, x decimal.Decimal) []decimal.Decimal {
	for _, y := range xs {
		if y.Equal(x) {
			return xs
		}
	}
	return append(xs, x)
}
