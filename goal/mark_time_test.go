package goal

import (
	"context"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/internal/enginetest"
)

// A mark without a time (a host that left Mark.Time out) is refused,
// naming it (its goal, item and participant quoted and cut): zero is in no period, and the mark was dropped, its item left
// undone without a word.
func TestMarkWithoutATimeIsRefused(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	onboarding := Def{ID: "onboarding", Period: PeriodDef{From: d("2025-03-01"), To: d("2025-04-01")},
		Participants: ParticipantsDef{Users: []string{"anna"}},
		Checklist:    []ItemDef{{ID: "profile", Where: `kind == "profile.completed"`}, {ID: "meetup", Manual: true}}}
	s := mustCompile(t, cal, enginetest.SalesIndicators, onboarding)
	req := march(cal, "2025-03-15 12:00")
	req.Marks = []Mark{{Goal: "onboarding", Item: "meetup", Participant: "anna", Time: enginetest.At(cal, "2025-03-10 18:00")},
		{Goal: "onboarding", Item: "meetup", Participant: "anna"}}
	src := events{ev("p1", "profile.completed", "anna", enginetest.At(cal, "2025-03-03 10:00"))}
	_, err := s.Evaluate(context.Background(), snapshot(s, src), req)
	if want := `goal: mark 1 (goal "onboarding", item "meetup", participant "anna") has no time`; err == nil || err.Error() != want {
		t.Errorf("Evaluate: %v, want %s", err, want)
	}
	// The mark's names are the host's: quoted and cut to 64 bytes, where
	// a participant of 10,000 bytes made an error as long, and a newline
	// broke the log line.
	long := strings.Repeat("p", 10_000)
	for _, c := range []struct{ goal, item, participant, want string }{
		{"onboarding", "meetup", long, `goal: mark 1 (goal "onboarding", item "meetup", participant "` + strings.Repeat("p", 64) + `…") has no time`},
		{long, "meet\nup", "anna\nboris", `goal: mark 1 (goal "` + strings.Repeat("p", 64) + `…", item "meet\nup", participant "anna\nboris") has no time`},
	} {
		marks := []Mark{req.Marks[0], {Goal: c.goal, Item: c.item, Participant: c.participant}}
		r := req
		r.Marks = marks
		if _, err := s.Evaluate(context.Background(), snapshot(s, src), r); err == nil || err.Error() != c.want {
			t.Errorf("Evaluate: %.300v, want %s", err, c.want)
		}
	}
	req.Marks = req.Marks[:1]
	if res := evaluate(t, s, src, req); !rowFor(t, res, "onboarding", "anna").Items[1].Done {
		t.Errorf("the mark with its time left the item undone")
	}
}
