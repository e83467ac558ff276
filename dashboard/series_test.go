package dashboard_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/dashboard"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/period"
)

// seriesLater is a Data whose reports leave the daily series out and that
// gives one row's series through dashboard.GoalSeries, as a service over a
// tracker started without goalkit.WithSeries does.
type seriesLater struct {
	*trackerData
	asked []string
}

func (d *seriesLater) Report(ctx context.Context, v goal.Viewer, asOf time.Time) (*goalkit.Report, error) {
	rep, err := d.trackerData.Report(ctx, v, asOf)
	if err != nil || rep.Goals == nil {
		return rep, err
	}
	out := *rep
	gs := *rep.Goals
	gs.Rows = nil
	for _, r := range rep.Goals.Rows {
		row := *r
		row.Series = nil
		gs.Rows = append(gs.Rows, &row)
	}
	out.Goals = &gs
	return &out, nil
}

func (d *seriesLater) GoalSeries(ctx context.Context, v goal.Viewer, asOf time.Time, goalID, participant string, p period.Period) ([]goal.Point, error) {
	d.asked = append(d.asked, v.User+" "+goalID+" "+participant+" "+d.plan.Calendar().Label(p))
	rep, err := d.trackerData.Report(ctx, v, asOf)
	if err != nil {
		return nil, err
	}
	for _, r := range rep.Goals.Rows {
		if r.Goal == goalID && r.Participant == participant && r.Period == p {
			return r.Series, nil
		}
	}
	return nil, nil
}

// TestGoalSeries: the goal page of a Data whose reports have no series
// asks its GoalSeries for the row it draws, as that viewer, and draws the
// same chart as from a report with the series.
func TestGoalSeries(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	const path = "/goal?goal=revenue_month&participant=anna&lang=en"
	_, want := get(t, f, path, "anna")
	if !strings.Contains(want, `class="chart"`) {
		t.Fatal("no chart with the series in the report")
	}
	d := &seriesLater{trackerData: f.data}
	h, err := dashboard.New(d, dashboard.Options{Viewer: cookieViewer, Now: func() time.Time { return asOf }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	_, got := get(t, &fixture{data: f.data, server: srv}, path, "anna")
	if got != want {
		t.Errorf("the page without series in the report differs:\n%s\nwant\n%s", got, want)
	}
	if len(d.asked) != 1 || d.asked[0] != "anna revenue_month anna 2026-12" {
		t.Errorf("GoalSeries asked for %q", d.asked)
	}
}

// seriesGone is a Data whose GoalSeries finds the row gone (revoked
// between the report and the series, or no longer the viewer's to see).
type seriesGone struct {
	*seriesLater
	err error
}

func (d *seriesGone) GoalSeries(context.Context, goal.Viewer, time.Time, string, string, period.Period) ([]goal.Point, error) {
	return nil, d.err
}

// TestGoalSeriesGone: a row whose series is not found (an error that
// wraps fs.ErrNotExist, as Explain's) answers the goal page 404 and logs
// nothing, and another error is a failure, 500 and logged; both were
// failures, a row revoked between two reads logged as one.
func TestGoalSeriesGone(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	const path = "/goal?goal=revenue_month&participant=anna&lang=en"
	for _, tc := range []struct {
		name   string
		err    error
		status int
		logged bool
	}{
		{"gone", fmt.Errorf("no such row: %w", fs.ErrNotExist), http.StatusNotFound, false},
		{"failure", errors.New("database down"), http.StatusInternalServerError, true},
	} {
		var log syncBuffer
		d := &seriesGone{seriesLater: &seriesLater{trackerData: f.data}, err: tc.err}
		h, err := dashboard.New(d, dashboard.Options{Viewer: cookieViewer, Now: func() time.Time { return asOf },
			Logger: slog.New(slog.NewJSONHandler(&log, nil))})
		if err != nil {
			t.Fatal(err)
		}
		rec := serveAs(h, path, "anna")
		if rec.Code != tc.status {
			t.Errorf("%s: status %d, want %d", tc.name, rec.Code, tc.status)
		}
		if body := rec.Body.String(); strings.Contains(body, "no such row") || strings.Contains(body, "database down") {
			t.Errorf("%s: the page shows the error", tc.name)
		}
		if recs := log.records(t); tc.logged != (len(recs) == 1) || len(recs) > 1 {
			t.Errorf("%s: logged %v, want logged %v", tc.name, recs, tc.logged)
		}
	}
}

// seriesOdd is a Data whose GoalSeries gives the row's series as edit
// leaves it.
type seriesOdd struct {
	*seriesLater
	edit func([]goal.Point) []goal.Point
}

func (d *seriesOdd) GoalSeries(ctx context.Context, v goal.Viewer, asOf time.Time, goalID, participant string, p period.Period) ([]goal.Point, error) {
	s, err := d.seriesLater.GoalSeries(ctx, v, asOf, goalID, participant, p)
	return d.edit(slices.Clone(s)), err
}

// TestGoalSeriesOutOfOrder: a series whose days are out of order, given
// twice or outside the row's period is refused, 500 and logged naming the
// point; the chart drew its lines back and forth over the days.
func TestGoalSeriesOutOfOrder(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	const path = "/goal?goal=revenue_month&participant=anna&lang=en"
	for _, tc := range []struct {
		name, want string
		edit       func([]goal.Point) []goal.Point
	}{
		{"as given", "", func(s []goal.Point) []goal.Point { return s }},
		{"reversed", "points[1] (2026-12-14) is not after points[0] (2026-12-15)", func(s []goal.Point) []goal.Point { slices.Reverse(s); return s }},
		{"a day twice", "points[1] (2026-12-01) is not after points[0] (2026-12-01)", func(s []goal.Point) []goal.Point { return append(s[:1:1], s...) }},
		{"a day before", "points[0] (2026-11-30) is outside the row's period", func(s []goal.Point) []goal.Point {
			return append([]goal.Point{{Date: s[0].Date - 1}}, s...)
		}},
	} {
		var log syncBuffer
		d := &seriesOdd{seriesLater: &seriesLater{trackerData: f.data}, edit: tc.edit}
		h, err := dashboard.New(d, dashboard.Options{Viewer: cookieViewer, Now: func() time.Time { return asOf },
			Logger: slog.New(slog.NewJSONHandler(&log, nil))})
		if err != nil {
			t.Fatal(err)
		}
		rec := serveAs(h, path, "anna")
		recs := log.records(t)
		if tc.want == "" {
			if rec.Code != http.StatusOK || len(recs) != 0 {
				t.Errorf("%s: status %d, logged %v; want 200 and nothing logged", tc.name, rec.Code, recs)
			}
			continue
		}
		if rec.Code != http.StatusInternalServerError {
			t.Errorf("%s: status %d, want 500", tc.name, rec.Code)
		}
		if len(recs) != 1 || !strings.Contains(fmt.Sprint(recs[0]["error"]), tc.want) {
			t.Errorf("%s: logged %v, want one record saying %q", tc.name, recs, tc.want)
		}
	}
}
