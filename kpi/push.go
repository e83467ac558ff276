package kpi

import (
	"context"
	"time"

	"github.com/goalkit/goalkit/formula"
	"github.com/shopspring/decimal"
)

// Pusher is an optional capability of a Source that aggregates where the
// events are (a SQL database) instead of handing every event over: the
// engine asks for partial aggregates per actor and time bucket, and finishes
// them itself. Push reports ok = false for a query it cannot answer exactly;
// the engine then scans. Results must equal what a scan would give: the
// property tests of every adapter compare the two.
type Pusher interface {
	Source
	Push(ctx context.Context, q PushQuery) (rows []PushRow, ok bool, err error)
}

// PushQuery is one filter group of a plan: events of Kinds for which Where
// holds, bucketed by the instants Bounds ([Bounds[i], Bounds[i+1]) is bucket
// i; events outside every bucket are left out) and grouped by actor.
type PushQuery struct {
	Kinds []string
	// Where is the filter in the simple shapes of formula.Node, with the
	// semantics of formula.EvalNode (a comparison with an absent attribute
	// is false); nil means every event. The engine sends no filter that
	// computes numbers (formula.Arith, formula.Neg): that can go out of
	// range on an event, where a scan fails.
	Where formula.Node
	// Value is what Sum, Min and Max aggregate: "amount", the name of an
	// attribute (numbers), or "" when only events are counted.
	Value string
	// Bounds are instants in ascending order.
	Bounds []time.Time
	// AsOf, when set, leaves out events after it.
	AsOf time.Time
	// Attributes types the attributes Where and Value read.
	Attributes map[string]AttrType
}

// PushRow is the partial aggregate of one actor in one bucket. A row that
// no events could make (a bucket outside the query's, a negative count,
// more events with a value than events, a value whose exponent is past an
// event amount's ±1000) fails the evaluation.
type PushRow struct {
	Actor  string
	Bucket int
	// Count is the number of events; N the number whose Value is defined.
	Count, N int64
	// Sum, Min and Max of the defined values (zero when N is 0).
	Sum, Min, Max decimal.Decimal
	// Currencies are the distinct currencies of the amounts summed, when
	// Value is "amount" (an amount with no currency is not listed).
	Currencies []string
}
