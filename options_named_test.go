package goalkit_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// A bad id of WithParticipants or a bad period of WithPeriods was refused
// in kpi's words ("a participant of the request is empty", "period 0 () is
// empty"), which name no option: a host with a dozen options could not
// tell which one. Evaluate, Track, a tracker's Report and Explain name the
// option and the argument.
func TestBadOptionNamed(t *testing.T) {
	plan := parsePlan(t, hostilePlan)
	store := storeOf(t, time.UTC)
	asOf := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	ctx := context.Background()
	d := func(s string) date.Date { return date.MustParseISO(s) }
	march := period.Period{Start: d("2025-03-01"), End: d("2025-04-01")}
	feb := period.Period{Start: d("2025-02-01"), End: d("2025-03-01")}
	for _, c := range []struct {
		opts []goalkit.EvalOption
		want string
	}{
		{[]goalkit.EvalOption{goalkit.WithParticipants("anna", "")}, "goalkit: WithParticipants: ids[1] is empty"},
		{[]goalkit.EvalOption{goalkit.WithParticipants("anna"), goalkit.WithParticipants("*")},
			`goalkit: WithParticipants: ids[0] is "*", the whole company's row, in every report: not a participant to name`},
		{[]goalkit.EvalOption{goalkit.WithPeriods()}, "goalkit: WithPeriods: no period given (without the option, the report section's)"},
		{[]goalkit.EvalOption{goalkit.WithPeriods(march, period.Period{Start: d("2025-05-01"), End: d("2025-05-01")})},
			"goalkit: WithPeriods: ps[1] (2025-05-01 to 2025-05-01) is empty"},
		{[]goalkit.EvalOption{goalkit.WithPeriods(march, feb)},
			"goalkit: WithPeriods: ps[0] (2025-03-01 to 2025-04-01) and ps[1] (2025-02-01 to 2025-03-01) overlap or are not in order"},
		// The last WithPeriods is the one taken, and so is its check.
		{[]goalkit.EvalOption{goalkit.WithPeriods(), goalkit.WithPeriods(feb, march)}, ""},
	} {
		check := func(what string, err error) {
			t.Helper()
			if c.want == "" && err != nil {
				t.Errorf("%s: %v", what, err)
			} else if c.want != "" && (err == nil || err.Error() != c.want) {
				t.Errorf("%s: %v, want %q", what, err, c.want)
			}
		}
		_, err := plan.Evaluate(ctx, store, asOf, c.opts...)
		check("Evaluate", err)
		tr, err := plan.Track(ctx, nil, c.opts...)
		check("Track", err)
		if tr != nil {
			tr.Close()
		}
		if tr, err = plan.Track(ctx, nil); err != nil {
			t.Fatal(err)
		}
		_, err = tr.Report(ctx, asOf, c.opts...)
		check("Report", err)
		tr.Close()
		_, err = plan.Explain(ctx, store, asOf, goalkit.Cell{Indicator: "won", Participant: "*", Period: march}, c.opts...)
		check("Explain", err)
	}
}
