package kpi_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
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
	res, err := set.Evaluate(context.Background(), store, req)
	if err != nil {
		b.Fatal(err)
	}
	var g *org.Group
	for _, p := range res.Participants() {
		if res.IsGroup(p) {
			continue
		}
		if g == nil || len(g.Members) == 10 {
			req.Groups = append(req.Groups, org.Group{ID: fmt.Sprintf("team-%d", len(req.Groups))})
			g = &req.Groups[len(req.Groups)-1]
		}
		g.Members = append(g.Members, p)
	}
	benchEvaluate(b, set, n, store, req)
}
