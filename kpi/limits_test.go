package kpi_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

func limitEvent(id string, attrs map[string]any) kpi.Event {
	return kpi.Event{ID: id, Kind: "deal", Time: time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC), Actor: "u1", Attrs: attrs}
}

func attrsNamed(prefix string, n int) map[string]any {
	m := map[string]any{}
	for i := range n {
		m[fmt.Sprintf("%s%d", prefix, i)] = int64(i)
	}
	return m
}

// An event with more than MaxEventAttrs attributes is refused by Validate
// and Apply; a table refuses its MaxAttrNames+1st distinct name, at Apply,
// at CheckNames (a batch) and in Import into a table that holds events.
func TestLimits(t *testing.T) {
	wide := limitEvent("w", attrsNamed("a", kpi.MaxEventAttrs+1))
	wantWide := fmt.Sprintf(`event "w" has %d attributes (at most %d)`, kpi.MaxEventAttrs+1, kpi.MaxEventAttrs)
	if err := wide.Validate(); err == nil || err.Error() != wantWide {
		t.Errorf("Validate: got %v, want %s", err, wantWide)
	}
	tab := kpi.NewTable(nil)
	if err := tab.Apply(&wide); err == nil || err.Error() != wantWide {
		t.Errorf("Apply: got %v, want %s", err, wantWide)
	}
	for i := range kpi.MaxAttrNames {
		e := limitEvent(fmt.Sprint(i), map[string]any{fmt.Sprintf("n%d", i): "v"})
		if err := tab.Apply(&e); err != nil {
			t.Fatal(err)
		}
	}
	over := limitEvent("x", map[string]any{"extra": "v"})
	want := fmt.Sprintf(`event "x": attribute "extra": too many distinct attribute names (at most %d)`, kpi.MaxAttrNames)
	if err := tab.Apply(&over); err == nil || err.Error() != want {
		t.Errorf("Apply: got %v, want %s", err, want)
	}
	if err := tab.CheckNames([]kpi.Event{over}); err == nil || err.Error() != want {
		t.Errorf("CheckNames: got %v, want %s", err, want)
	}
	known := limitEvent("y", map[string]any{"n7": "w"})
	if err := tab.Apply(&known); err != nil {
		t.Errorf("a known name: %v", err)
	}
	err := tab.Import(context.Background(), func(add func(*kpi.Event) error) error {
		return add(&over)
	})
	if err == nil || err.Error() != want {
		t.Errorf("Import: got %v, want %s", err, want)
	}
	if tab.Len() != kpi.MaxAttrNames+1 {
		t.Errorf("the table holds %d events", tab.Len())
	}
	// A batch that brings the names past the limit together is refused whole.
	half := kpi.NewTable(nil)
	var batch []kpi.Event
	for i := range kpi.MaxAttrNames/kpi.MaxEventAttrs + 1 {
		batch = append(batch, limitEvent(fmt.Sprint(i), attrsNamed(fmt.Sprintf("b%d_", i), kpi.MaxEventAttrs)))
	}
	if err := half.CheckNames(batch); err == nil {
		t.Error("CheckNames: a batch with too many names passed")
	}
}

// TestTrackerNamesLimit: a tracker refuses a batch that brings its table's
// names past MaxAttrNames, whole (with the name that does), alone or
// together with other events, and takes events with known names only.
func TestTrackerNamesLimit(t *testing.T) {
	ctx := context.Background()
	set, err := kpi.Compile([]kpi.IndicatorDef{{ID: "n", Kinds: []string{"call"}, Aggregate: "count"}}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	cal, err := period.LoadCalendar("UTC")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := set.Track(ctx, kpi.Request{Calendar: cal, Periods: []period.Period{cal.Containing(period.Month, date.New(2025, 3, 1))}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var all []kpi.Event
	for i := range kpi.MaxAttrNames / kpi.MaxEventAttrs {
		all = append(all, limitEvent(fmt.Sprint(i), attrsNamed(fmt.Sprintf("b%d_", i), kpi.MaxEventAttrs)))
	}
	if err := tr.Apply(ctx, all[:len(all)-1]...); err != nil {
		t.Fatal(err)
	}
	over := limitEvent("x", map[string]any{"extra": "v"})
	last := all[len(all)-1]
	want := `event "x": attribute "extra": too many distinct attribute names`
	if err := tr.Apply(ctx, last, over); err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("a batch past the limit: got %v, want %s", err, want)
	}
	if tr.Len() != len(all)-1 {
		t.Fatalf("%d events after a refused batch, want %d", tr.Len(), len(all)-1)
	}
	if err := tr.Apply(ctx, last, limitEvent("y", map[string]any{"b0_1": "w", "b1_2": "v"})); err != nil {
		t.Fatal(err)
	}
	if err := tr.Apply(ctx, over); err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("a name past the limit: got %v, want %s", err, want)
	}
	if tr.Len() != len(all)+1 {
		t.Fatalf("%d events, want %d", tr.Len(), len(all)+1)
	}
}
