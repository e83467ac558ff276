package kpi_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// lockedTable is the smallest TableSource: a table under a lock.
type lockedTable struct {
	mu  sync.RWMutex
	tab *kpi.Table
}

func (s *lockedTable) Scan(ctx context.Context, q kpi.Query, fn func(*kpi.Event) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.tab.Scan(ctx, q, fn)
}

func (s *lockedTable) ReadTable(ctx context.Context, fn func(*kpi.Table) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return fn(s.tab)
}

// A TableSource whose table dates its events in another zone of the same
// name as the request's is scanned, not read in place: zones parsed from
// offsets (time.Parse of +03:00 and of +05:00) are both named "", and the
// table's dates, in +03:00, counted a deal at 22:30 UTC on 31 March in
// April for a calendar in UTC. A zone of the same name and offsets is
// still read in place (the same answer, one read).
func TestSnapshotZoneOfTheSameName(t *testing.T) {
	plus3, err := time.Parse(time.RFC3339, "2025-03-01T00:00:00+03:00")
	if err != nil {
		t.Fatal(err)
	}
	utcNamed := time.FixedZone("", 0)
	set, err := kpi.Compile([]kpi.IndicatorDef{{ID: "n", Kinds: []string{"k"}, Aggregate: kpi.Count}}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name           string
		table, request *time.Location
		march, april   string
	}{
		{"+03:00 table, +00:00 calendar", plus3.Location(), utcNamed, "1", "0"},
		{"+00:00 table, +03:00 calendar", utcNamed, plus3.Location(), "0", "1"},
		{"the same offset", utcNamed, time.FixedZone("", 0), "1", "0"},
	} {
		src := &lockedTable{tab: kpi.NewTable(c.table)}
		if err := src.tab.Apply(&kpi.Event{ID: "1", Kind: "k", Actor: "anna", Time: time.Date(2025, 3, 31, 22, 30, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
		cal, err := period.NewCalendar(c.request)
		if err != nil {
			t.Fatal(err)
		}
		mar, apr := cal.Containing(period.Month, date.New(2025, 3, 1)), cal.Containing(period.Month, date.New(2025, 4, 1))
		res, err := set.Evaluate(context.Background(), src, kpi.Request{Calendar: cal, Periods: []period.Period{mar, apr}})
		if err != nil {
			t.Fatal(err)
		}
		// EvaluateTable, which reads the table in place, refuses the zone
		// of another offset, naming both offsets.
		_, err = set.EvaluateTable(context.Background(), src.tab, kpi.Request{Calendar: cal, Periods: []period.Period{mar, apr}})
		if c.name == "the same offset" {
			if err != nil {
				t.Errorf("%s: EvaluateTable: %v", c.name, err)
			}
		} else if err == nil || !strings.Contains(err.Error(), "UTC+03:00 on 2025-01-15") || !strings.Contains(err.Error(), "UTC+00:00 on 2025-01-15") {
			t.Errorf("%s: EvaluateTable: %v, want a refusal naming both offsets", c.name, err)
		}
		for _, p := range []struct {
			p    period.Period
			want string
		}{{mar, c.march}, {apr, c.april}} {
			v, _ := res.Value("n", "anna", p.p)
			if got := v.Decimal.String(); !v.Valid || got != p.want {
				t.Errorf("%s: %s counts %s (valid %v), want %s", c.name, p.p, got, v.Valid, p.want)
			}
		}
	}
}

// BenchmarkSnapshotZoneLoadedAgain reads in place a table dated in a zone
// loaded again from its name, as a host's store of
// time.LoadLocation("Europe/Moscow") beside the plan's calendar: what the
// comparison of the two zones costs a snapshot.
func BenchmarkSnapshotZoneLoadedAgain(b *testing.B) {
	a, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		b.Fatal(err)
	}
	again, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		b.Fatal(err)
	}
	src := &lockedTable{tab: kpi.NewTable(a)}
	ctx := context.Background()
	for b.Loop() {
		if err := kpi.Snapshot(ctx, src, again, kpi.Query{}, func(tab *kpi.Table) error {
			if tab != src.tab {
				b.Fatal("scanned, not read in place")
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
}
