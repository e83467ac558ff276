package enginetest

import "github.com/goalkit/goalkit/kpi"

// SalesIndicators are the indicators the goal tests are written against:
// deals won and created, their conversion, revenue and leads.
var SalesIndicators = []kpi.IndicatorDef{
	{ID: "won", Kinds: []string{"deal.won"}, Aggregate: "count"},
	{ID: "created", Kinds: []string{"deal.created"}, Aggregate: "count"},
	{ID: "conversion", Formula: "won / created"},
	{ID: "revenue", Kinds: []string{"deal.won"}, Aggregate: "sum", Value: "amount"},
	{ID: "leads", Kinds: []string{"lead.created"}, Aggregate: "count"},
}
