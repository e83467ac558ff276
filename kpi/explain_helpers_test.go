package kpi_test

import (
	"context"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
)

// explainOver explains the cell (indicator, participant, p, by) of set
// over src, read once into a table as a report reads it.
func explainOver(set *kpi.Set, src kpi.Source, req kpi.Request, indicator, participant string, p period.Period, by []any) (*kpi.Explanation, error) {
	var ex *kpi.Explanation
	err := kpi.Snapshot(context.Background(), src, req.Calendar.Location(), kpi.Query{}, func(tab *kpi.Table) error {
		var err error
		ex, err = set.Explain(context.Background(), tab, req, indicator, participant, p, by, 0)
		return err
	})
	return ex, err
}

// includedIDs lists the ids of the events an explanation counted, in its
// order.
func includedIDs(ex *kpi.Explanation) []string {
	var ids []string
	for _, c := range ex.Included {
		ids = append(ids, c.Event)
	}
	return ids
}
