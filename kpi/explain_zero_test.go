package kpi_test

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// A participant the report shows with 0 in a period, having no event
// counted there, can be explained: the explanation says why (its event of
// the period is after as-of). A name that is no actor is still refused.
func TestExplainZeroCell(t *testing.T) {
	set, err := kpi.Compile([]kpi.IndicatorDef{{ID: "n", Kinds: []string{"k"}, Aggregate: kpi.Count}}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := period.LoadCalendar("UTC")
	day := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 12, 0, 0, 0, time.UTC) }
	events := kpi.Events{
		{ID: "a1", Kind: "k", Actor: "anna", Time: day(3, 3)},
		{ID: "a2", Kind: "k", Actor: "anna", Time: day(4, 20)},
		{ID: "b1", Kind: "k", Actor: "boris", Time: day(4, 3)},
	}
	mar := cal.Containing(period.Month, date.New(2025, 3, 1))
	apr := cal.Next(mar)
	req := kpi.Request{Calendar: cal, Periods: []period.Period{mar, apr}, AsOf: day(4, 10)}
	res, err := set.Evaluate(context.Background(), events, req)
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := res.Value("n", "anna", apr); !ok || !v.Valid || !v.Decimal.IsZero() {
		t.Fatalf("report: anna in April = %v (%v), want 0", v, ok)
	}
	ex, err := explainOver(set, events, req, "n", "anna", apr, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, x := range ex.Excluded {
		out = append(out, x.Event+": "+x.Reason)
	}
	if got, want := strings.Join(out, ", "), "a1: outside the period, b1: another participant, a2: after as-of"; !ex.Value.Valid || !ex.Value.Decimal.IsZero() || len(ex.Included) != 0 || got != want {
		t.Errorf("explained %v, %d included, excluded %s; want 0, none, %s", ex.Value, len(ex.Included), got, want)
	}
	_, err = explainOver(set, events, req, "n", "anja", apr, nil)
	if want := `unknown participant "anja": no event of the indicator's kinds in 2025-04 and not a participant of the request (did you mean "anna"?)`; err == nil || err.Error() != want {
		t.Errorf("unknown name: %v, want %s", err, want)
	}
}

// Explain's refusals of a cell the report does not have are "not found"
// (errors.Is fs.ErrNotExist), so that a service answers them 404 or 400
// and answers a failure to read 500: they were plain errors, like a
// source's failure, and a service could not tell the two apart.
func TestExplainRefusalsAreNotFound(t *testing.T) {
	set, err := kpi.Compile([]kpi.IndicatorDef{{ID: "n", Kinds: []string{"k"}, Aggregate: kpi.Count, By: []string{"source"}}}, kpi.Env{Attributes: map[string]kpi.AttrType{"source": kpi.AttrString}})
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := period.LoadCalendar("UTC")
	at := time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC)
	events := kpi.Events{{ID: "a1", Kind: "k", Actor: "anna", Time: at, Attrs: map[string]any{"source": "web"}}}
	mar := cal.Containing(period.Month, date.New(2025, 3, 1))
	req := kpi.Request{Calendar: cal, Periods: []period.Period{mar}, AsOf: at.Add(time.Hour)}
	for _, c := range []struct {
		name, indicator, participant string
		by                           []any
	}{
		{"an unknown indicator", "m", "anna", nil},
		{"an unknown participant", "n", "anja", nil},
		{"a row of another length than by", "n", "anna", []any{"web", "x"}},
	} {
		_, err := explainOver(set, events, req, c.indicator, c.participant, mar, c.by)
		if err == nil || !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s: %v, want an error that is fs.ErrNotExist", c.name, err)
		}
	}
	if _, err := explainOver(set, events, req, "n", "anna", mar, nil); err != nil {
		t.Errorf("a cell the report has: %v", err)
	}
	// A failure to read is not a "not found".
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = kpi.Snapshot(context.Background(), events, cal.Location(), kpi.Query{}, func(tab *kpi.Table) error {
		_, err := set.Explain(ctx, tab, req, "n", "anna", mar, nil, 0)
		return err
	})
	if err == nil || errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a cancelled explanation: %v, want an error that is not fs.ErrNotExist", err)
	}
}
