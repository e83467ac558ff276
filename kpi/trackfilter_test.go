package kpi_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
)

// TestTrackerFilterFails: an event whose filter fails (a date outside the
// working-day calendar) fails its batch when it is dated in a period, with
// the error a batch evaluation gives, and leaves the tracker as it was; one
// dated outside every period is taken, as a batch evaluation takes it; a
// correction that makes the filter fail is refused and the version it
// would have replaced still counts.
func TestTrackerFilterFails(t *testing.T) {
	ctx := context.Background()
	ru, err := period.BuiltinWorkCalendar("RU")
	if err != nil {
		t.Fatal(err)
	}
	cal, err := period.NewCalendar(time.UTC, period.WithWorkdays(ru))
	if err != nil {
		t.Fatal(err)
	}
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "quick", Kinds: []string{"won"}, Aggregate: "count", Where: "workdays_between(created_at, time) <= 3"},
	}, kpi.Env{Attributes: map[string]kpi.AttrType{"created_at": kpi.AttrTime}, Calendar: cal})
	if err != nil {
		t.Fatal(err)
	}
	may := cal.Containing(period.Month, cal.Date(time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)))
	req := kpi.Request{Calendar: cal, Periods: []period.Period{may}}
	won := func(id string, created, at time.Time) kpi.Event {
		return kpi.Event{ID: id, Kind: "won", Actor: "u1", Time: at, Attrs: map[string]any{"created_at": created}}
	}
	in := time.Date(2025, 5, 12, 10, 0, 0, 0, time.UTC)
	good := won("d1", time.Date(2025, 5, 7, 10, 0, 0, 0, time.UTC), in)
	bad := won("d2", time.Date(2023, 12, 20, 10, 0, 0, 0, time.UTC), in)
	outside := won("d3", time.Date(2023, 12, 20, 10, 0, 0, 0, time.UTC), time.Date(2025, 8, 1, 0, 0, 0, 0, time.UTC))

	tr, err := set.Track(ctx, req, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Apply(ctx, good, outside); err != nil {
		t.Fatalf("Apply of an event in range and one outside every period: %v", err)
	}
	count := func() string {
		t.Helper()
		res, err := tr.Result(ctx, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		v, _ := res.Value("quick", "u1", may)
		return v.Decimal.String()
	}
	if got := count(); got != "1" {
		t.Fatalf("quick = %s, want 1", got)
	}
	// The error a batch evaluation gives for the same event.
	tab := kpi.NewTable(time.UTC)
	if err := tab.Apply(&bad); err != nil {
		t.Fatal(err)
	}
	_, want := set.Evaluate(ctx, tab, req)
	if want == nil || !strings.Contains(want.Error(), "outside the working-day calendar") {
		t.Fatalf("batch evaluation: %v", want)
	}
	for _, batch := range [][]kpi.Event{{bad}, {won("d1", bad.Attrs["created_at"].(time.Time), in)}, {good, bad}} {
		err := tr.Apply(ctx, batch...)
		id := batch[len(batch)-1].ID
		if err == nil || !strings.HasSuffix(err.Error(), strings.Replace(want.Error(), `"d2"`, fmt.Sprintf("%q", id), 1)) {
			t.Fatalf("Apply of %d events, the last one failing its filter: %v, want an error ending %q", len(batch), err, want)
		}
		if got := count(); got != "1" || tr.Len() != 2 {
			t.Fatalf("after a refused batch: quick = %s and %d events, want 1 and 2", got, tr.Len())
		}
	}
}
