package dashboard_test

import (
	"context"
	"html"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// TestTeamsNoteAUnitWithoutARow: a unit whose id is also an actor's (as
// Bitrix24 numbers department 1 and user 1) has no row of values, the
// actor's row being the one of that id; the teams page says so, naming the
// unit, where it left the unit out of its table without a word. The
// table never shows the actor's numbers as the team's.
func TestTeamsNoteAUnitWithoutARow(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	f.actorAsNorth(t, 3) // an actor named as the unit north: 3 calls of theirs
	for _, c := range []struct{ lang, says string }{
		{"en", "North has no row in the table: its id north is also a person's"},
		{"ru", "У подразделения North нет строки в таблице: его идентификатор north совпадает"},
	} {
		_, body := get(t, f, "/teams?lang="+c.lang, "admin")
		body = html.UnescapeString(body)
		if !strings.Contains(body, c.says) {
			t.Errorf("%s: the teams page does not say %q", c.lang, c.says)
		}
		if i := strings.Index(body, `class="values"`); i >= 0 {
			if table := body[i:]; strings.Contains(table[:strings.Index(table, "</table>")], "<bdi>North</bdi>") {
				t.Errorf("%s: the table of values has a row of North, whose values are the actor's", c.lang)
			}
		}
	}
	// South, whose id no actor has, has its row and no note.
	_, body := get(t, f, "/teams?lang=en", "admin")
	if !strings.Contains(body, "<bdi>South</bdi>") || strings.Contains(html.UnescapeString(body), "South has no row") {
		t.Errorf("South's row or note is wrong")
	}
}

// TestNoExplanationOfAUnitWithoutARow: the number of a team's goal card or
// cascade node of a unit whose id is also an actor's is not linked to the
// explanation of that id's cell, which is the actor's: the team's actual
// (its members' events) was explained by the actor's events alone.
func TestNoExplanationOfAUnitWithoutARow(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	if _, body := get(t, f, "/?lang=en", "admin"); !strings.Contains(body, "participant=north") {
		t.Fatal("the goals page links no explanation of north: the test shows nothing")
	}
	f.actorAsNorth(t, 3) // an actor named as the unit north: 3 calls of theirs
	for _, page := range []string{"/", "/teams", "/cascades", "/goal?goal=team_revenue&participant=north"} {
		resp, body := get(t, f, page, "admin")
		if resp.StatusCode != 200 {
			t.Errorf("%s: status %d", page, resp.StatusCode)
			continue
		}
		if strings.Contains(body, "explain?") && strings.Contains(body, "participant=north&") {
			t.Errorf("%s links the explanation of north's cell, the actor's", page)
		}
	}
	// South keeps its links.
	if _, body := get(t, f, "/?lang=en", "admin"); !strings.Contains(body, "participant=south") {
		t.Error("the goals page lost south's explanation")
	}
}

// actorAsNorth applies n calls (n under ten) of an actor whose id is the
// unit north's, on 2 December: the report's values then hold the actor's
// row under that id, and none of the unit's.
func (f *fixture) actorAsNorth(t *testing.T, n int) {
	t.Helper()
	var evs []kpi.Event
	for i := range n {
		evs = append(evs, kpi.Event{ID: "north-call-x" + strconv.Itoa(i+1), Kind: "call.made", Actor: "north",
			Time: time.Date(2026, 12, 2, 9+i, 0, 0, 0, asOf.Location())})
	}
	if err := f.data.tr.Apply(context.Background(), evs...); err != nil {
		t.Fatal(err)
	}
}
