package kpi_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
)

// An event whose actor is org.Everyone ("*") is refused where it comes in,
// naming the event, as the event files and mappings refuse it: every result
// has the whole company's row under that id. A tracker took it, and every
// report after failed with "participant "*" is both an actor and a group";
// an evaluation of a host's source failed so, naming no event. A
// retraction's other fields are ignored, its actor too.
func TestEveryoneIsNoActor(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)
	star := kpi.Event{ID: "e2", Kind: "call", Time: at, Actor: org.Everyone}
	const want = `event "e2": actor "*" is the whole company's row in reports, not an actor`
	refused := func(what string, err error) {
		t.Helper()
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error with %q", what, err, want)
		}
	}
	refused("Validate", star.Validate())
	refused("Table.Apply", kpi.NewTable(time.UTC).Apply(&star))
	if err := (&kpi.Event{ID: "e2", Deleted: true, Actor: org.Everyone}).Validate(); err != nil {
		t.Errorf("a retraction with the actor %q: %v", org.Everyone, err)
	}

	set, req := callsOfMarch(t)
	anna := kpi.Event{ID: "e1", Kind: "call", Time: at, Actor: "anna"}
	_, err := set.Evaluate(ctx, kpi.Events{anna, star}, req)
	refused("Evaluate", err)

	tr, err := set.Track(ctx, req, nil)
	if err != nil {
		t.Fatal(err)
	}
	refused("Tracker.Apply", tr.Apply(ctx, anna, star))
	// The batch was refused whole: the tracker reports as before it.
	if err := tr.Apply(ctx, anna); err != nil {
		t.Fatal(err)
	}
	res, err := tr.Result(ctx, at.Add(time.Hour))
	if err != nil {
		t.Fatalf("the report after the refused batch: %v", err)
	}
	if v, _ := res.Value("calls", org.Everyone, req.Periods[0]); !v.Valid || v.Decimal.IntPart() != 1 {
		t.Errorf("the company's calls: %v, want 1 (anna's)", v)
	}
}

// A participant a request names is neither empty nor the whole company's
// row, as a group's id is neither: Evaluate and Track refuse both, naming
// them. An empty one made a row of participant "" in every report; "*" was
// tracked, and every report failed with "participant "*" is both an actor
// and a group". Other ids are the host's data, whatever they hold.
func TestRequestParticipantsAreNeitherEmptyNorEveryone(t *testing.T) {
	ctx := context.Background()
	set, march := callsOfMarch(t)
	events := kpi.Events{{ID: "e1", Kind: "call", Time: time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC), Actor: "anna"}}
	for _, c := range []struct{ participant, want string }{
		{"", `participant 1 of the request is empty`},
		{org.Everyone, `participant "*" is the whole company's row, in every result: not a participant to name`},
		{"bob\n", ""},
		{"bob", ""},
	} {
		req := march
		req.Participants = []string{"anna", c.participant}
		_, evalErr := set.Evaluate(ctx, events, req)
		_, trackErr := set.Track(ctx, req, nil)
		for what, err := range map[string]error{"Evaluate": evalErr, "Track": trackErr} {
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != c.want {
				t.Errorf("%s with the participant %q: %q, want %q", what, c.participant, got, c.want)
			}
		}
	}
}
