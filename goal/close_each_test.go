package goal

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/period"
)

// Closing a company goal for each member without a directory lists the
// next instance's targets of those measured in the instance that closed,
// and of whoever already acted in the next one by the closing: with the
// directory the same people would be listed.
func TestCloseNextEachMemberWithoutDirectory(t *testing.T) {
	s, cal := salesPlan(t, func(d *Def) { d.Participants = ParticipantsDef{Company: true, Mode: Each} })
	src := events{
		deal(cal, "d1", "anna", "2025-01-10 10:00", "1200"), // next max(1000, 1320) = 1320
		deal(cal, "d2", "boris", "2025-01-15 10:00", "400"), // next 1000
		deal(cal, "d3", "cyril", "2025-02-01 08:00", "50"),  // acted in February before the closing: 1000
		deal(cal, "d4", "dora", "2025-02-03 08:00", "50"),   // after the closing: not yet a member
	}
	jan := cal.Containing(period.Month, d("2025-01-15"))
	c, err := s.Close(context.Background(), snapshot(s, src), Request{AsOf: enginetest.At(cal, "2025-02-01 09:00")}, "sales", jan)
	if err != nil {
		t.Fatal(err)
	}
	if c.Next == nil || c.Next.Label != "2025-02" {
		t.Fatalf("next %+v", c.Next)
	}
	var got []string
	for _, pt := range c.Next.Targets {
		got = append(got, fmt.Sprintf("%s %s", pt.Participant, str(pt.Target)))
	}
	if want := []string{"anna 1320", "boris 1000", "cyril 1000"}; !slices.Equal(got, want) {
		t.Fatalf("next targets %q, want %q", got, want)
	}
}
