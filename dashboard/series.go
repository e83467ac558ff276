package dashboard

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/period"
)

// GoalSeries is an optional capability of a Data whose reports leave out
// the goals' daily series (its tracker started without goalkit.WithSeries,
// so that a report does not compute a series for every row): the page of
// one goal asks it for the series of the row it draws. A Data without it,
// or a row that holds its series, draws the row's own.
type GoalSeries interface {
	// GoalSeries returns the daily series of the goal's row for the
	// participant in period p as of asOf, as the viewer may see it (the
	// dashboard asks only for a row of the viewer's report). A row that
	// is gone by then (its goal revoked, the viewer's rights changed
	// between the two reads) is an error that wraps fs.ErrNotExist, as
	// Data.Explain's: the page answers 404 and logs nothing; any other
	// error is a failure (500, logged), as is a series whose days are
	// not in order, each once, within the row's period.
	GoalSeries(ctx context.Context, v goal.Viewer, asOf time.Time, goalID, participant string, p period.Period) ([]goal.Point, error)
}

// withSeries is the row with its daily series: its own, or else the one
// the Data's GoalSeries gives.
func (q *request) withSeries(row goal.Row) (goal.Row, error) {
	gs, ok := q.h.data.(GoalSeries)
	if len(row.Series) > 0 || !ok {
		return row, nil
	}
	s, err := gs.GoalSeries(q.r.Context(), q.viewer, q.asOf, row.Goal, row.Participant, row.Period)
	if errors.Is(err, fs.ErrNotExist) {
		return row, errNotFound
	}
	if err != nil {
		return row, err
	}
	// The chart draws the points in order over the row's period: a host's
	// series out of order, or with a day twice or outside the period, is
	// refused naming the point, where the chart drew lines back and forth.
	for i, p := range s {
		switch {
		case !row.Period.Contains(p.Date):
			return row, fmt.Errorf("dashboard: Data.GoalSeries gave a series of %s for %s whose points[%d] (%s) is outside the row's period %s", row.Goal, row.Participant, i, p.Date, row.Period)
		case i > 0 && p.Date <= s[i-1].Date:
			return row, fmt.Errorf("dashboard: Data.GoalSeries gave a series of %s for %s whose points[%d] (%s) is not after points[%d] (%s)", row.Goal, row.Participant, i, p.Date, i-1, s[i-1].Date)
		}
	}
	row.Series = s
	return row, nil
}
