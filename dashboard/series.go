package dashboard

import (
	"context"
	"errors"
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
	// error is a failure (500, logged).
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
	row.Series = s
	return row, nil
}
