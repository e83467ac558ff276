package goalkit_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// ExplainChange refuses a participant nobody knows, as Explain does, with
// a did-you-mean: a misspelt name was explained as a change from 0 to 0.
// Whoever the report knows may be asked for, with no event in either
// period: an actor of other dates, a user or a unit of the directory,
// everyone.
func TestExplainChangeRefusesAnUnknownParticipant(t *testing.T) {
	ctx := context.Background()
	plan := callsPlan(t, "2025-03-01", "2025-05-01", `    participants: {users: [anna]}
`)
	day := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 12, 0, 0, 0, time.UTC) }
	events := kpi.Events{
		{ID: "1", Kind: "call", Actor: "anna", Time: day(3, 2)},
		{ID: "2", Kind: "call", Actor: "boris", Time: day(1, 10)},
	}
	dir, err := memory.NewDirectory([]org.Unit{{ID: "sales"}}, []org.Membership{{User: "vera", Unit: "sales"}})
	if err != nil {
		t.Fatal(err)
	}
	cal := plan.Calendar()
	mar := cal.Containing(period.Month, date.New(2025, 3, 1))
	change := func(who string) (*goalkit.Change, error) {
		return plan.ExplainChange(ctx, events, day(5, 1), goalkit.ChangeRequest{Indicator: "calls", Participant: who, Base: mar, Current: cal.Next(mar)},
			goalkit.WithDirectory(dir))
	}
	const want = `goalkit: explain change: unknown participant "ana": no event of the indicator's kinds and not a participant of the request (did you mean "anna"?)`
	if c, err := change("ana"); err == nil || err.Error() != want {
		t.Errorf("a misspelt participant: %+v, %v; want %s", c, err, want)
	}
	for who, delta := range map[string]int64{"anna": -1, "boris": 0, "vera": 0, "sales": 0, "*": -1} {
		c, err := change(who)
		if err != nil {
			t.Errorf("%s: %v", who, err)
			continue
		}
		if c.Delta.IntPart() != delta {
			t.Errorf("%s: delta %s, want %d", who, c.Delta, delta)
		}
	}
}
