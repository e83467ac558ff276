package kpi_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// BenchmarkEvaluateGroups is BenchmarkEvaluateWorkload with team rows: the
// workload's actors in groups of ten, as a directory's units are, with ids
// no actor has (the common case).
func BenchmarkEvaluateGroups(b *testing.B) {
	set, err := kpi.Compile(benchDefs, benchAttrs)
	if err != nil {
		b.Fatal(err)
	}
	n, store, req := benchWorkload(b)
	req = benchTeams(b, set, store, req, func(g *org.Group, actor string) { g.Members = append(g.Members, actor) })
	benchEvaluate(b, set, n, store, req)
}

// benchTeams returns req with the workload's actors in groups of ten, as
// a directory's units are, with ids no actor has: member adds an actor to
// its group.
func benchTeams(b *testing.B, set *kpi.Set, store *memory.Store, req kpi.Request, member func(g *org.Group, actor string)) kpi.Request {
	res, err := set.Evaluate(context.Background(), store, req)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for _, p := range res.Participants() {
		if res.IsGroup(p) {
			continue
		}
		if n%10 == 0 {
			req.Groups = append(req.Groups, org.Group{ID: fmt.Sprintf("team-%d", len(req.Groups))})
		}
		member(&req.Groups[len(req.Groups)-1], p)
		n++
	}
	return req
}

// BenchmarkEvaluateDatedMembers evaluates a year for 10,000 actors in
// teams of ten whose members all joined during it (dated memberships: a
// scan by day), each actor with 20 deals won on dates spread over the
// year (200,000 events).
func BenchmarkEvaluateDatedMembers(b *testing.B) {
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "won", Kinds: []string{"deal_won"}, Aggregate: kpi.Count},
		{ID: "won_sum", Kinds: []string{"deal_won"}, Aggregate: kpi.Sum, Value: "amount"},
	}, kpi.Env{})
	if err != nil {
		b.Fatal(err)
	}
	cal, err := period.LoadCalendar("Europe/Moscow")
	if err != nil {
		b.Fatal(err)
	}
	year := period.Period{Grain: period.Year, Start: date.New(2025, 1, 1), End: date.New(2026, 1, 1)}
	const actors, each = 10_000, 20
	store := memory.New(cal.Location())
	var groups []org.Group
	if err := store.Import(context.Background(), func(add func(*kpi.Event) error) error {
		for i := range actors {
			actor := fmt.Sprintf("u%05d", i)
			if i%10 == 0 {
				groups = append(groups, org.Group{ID: fmt.Sprintf("team-%d", i/10)})
			}
			g := &groups[len(groups)-1]
			g.Spans = append(g.Spans, org.Span{Member: actor, From: year.Start + date.Date(i%300)})
			for j := range each {
				on := year.Start + date.Date((i*7+j*53)%365)
				if err := add(&kpi.Event{ID: fmt.Sprintf("e%d-%d", i, j), Kind: "deal_won", Actor: actor,
					Time: cal.Midnight(on).Add(12 * time.Hour), Amount: decimal.NewNullDecimal(decimal.NewFromInt(int64(100 + j)))}); err != nil {
					return err
				}
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	req := kpi.Request{Calendar: cal, Periods: []period.Period{year}, Groups: groups}
	b.ReportAllocs()
	benchEvaluate(b, set, actors*each, store, req)
}

// BenchmarkEvaluateDatedGroups is BenchmarkEvaluateGroups with dated
// memberships: each team's members joined on July 15 (a scan by day),
// many events for each actor and date.
func BenchmarkEvaluateDatedGroups(b *testing.B) {
	set, err := kpi.Compile(benchDefs, benchAttrs)
	if err != nil {
		b.Fatal(err)
	}
	n, store, req := benchWorkload(b)
	req = benchTeams(b, set, store, req, func(g *org.Group, actor string) {
		g.Spans = append(g.Spans, org.Span{Member: actor, From: date.New(2025, 7, 15)})
	})
	b.ReportAllocs()
	benchEvaluate(b, set, n, store, req)
}
