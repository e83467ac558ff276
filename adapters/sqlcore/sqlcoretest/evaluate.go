package sqlcoretest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"pgregory.net/rapid"
)

// TestEvaluate checks that a plan's report over the store, whose
// indicators the database may aggregate (Push), is the report over a
// memory store given the same event versions, for random plans
// (goalkittest.Plans) and streams of versions of their events.
func TestEvaluate(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	rapid.Check(t, func(rt *rapid.T) {
		def := goalkittest.Plans().Draw(rt, "plan")
		if rapid.Bool().Draw(rt, "indicators only") {
			def.Scorecards, def.Bonuses = nil, nil // a plan the database may aggregate
		}
		plan, err := goalkit.Compile(def)
		if err != nil {
			rt.Fatal(err)
		}
		stream := goalkittest.PlanStream(plan, "u1", "u2", "u3").Draw(rt, "events")
		if _, err := s.DB().ExecContext(ctx, "DELETE FROM goalkit_events"); err != nil {
			rt.Fatal(err)
		}
		mem := memory.New(plan.Calendar().Location())
		if err := mem.Apply(stream...); err != nil {
			rt.Fatal(err)
		}
		if err := s.Apply(ctx, stream...); err != nil {
			rt.Fatal(err)
		}
		periods := plan.Periods()
		asOf := goalkittest.Instants(plan.Calendar(), periods).Draw(rt, "asOf")
		if rapid.Bool().Draw(rt, "end") {
			asOf = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		report := func(src kpi.Source) string {
			rep, err := plan.Evaluate(ctx, src, asOf)
			if err != nil {
				rt.Fatal(err)
			}
			var b bytes.Buffer
			if err := rep.WriteJSON(&b); err != nil {
				rt.Fatal(err)
			}
			return b.String()
		}
		if got, want := report(s), report(mem); got != want {
			rt.Fatalf("over the store:\n%s\nover a memory store:\n%s", got, want)
		}
	})
}
