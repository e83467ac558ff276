package deliver_test

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/org"
)

// A team and a person of one id (a Bitrix24 portal's department 1 and
// user 1): the recipient's name is the person's, and a message about the
// team, its digest row and its chart name the team by its id. The team's
// messages showed the person's name.
func TestTeamNotNamedAsPersonOfItsID(t *testing.T) {
	ctx := context.Background()
	// The test plan's goal for the team "1", of which anna is a member.
	plan := goalkittest.CompilePlan(t, strings.Replace(testPlan, "users: [anna, boris]", `teams: ["1"]`, 1))
	dir, err := memory.NewDirectory([]org.Unit{{ID: "1", Head: "7"}}, []org.Membership{{User: "anna", Unit: "1"}})
	if err != nil {
		t.Fatal(err)
	}
	cfg := parseConfig(t, `
channels:
  - {name: box, type: webhook, url: "http://unused", secret_env: S}
  - {name: mail, type: email, smtp: "unused:25", from: goals@example.com}
recipients:
  - {user: "1", name: Иван Петров, email: ivan@example.com, admin: true, daily: "18:00", channels: [box, mail]}
`)
	tr, err := plan.Track(ctx, memory.NewTrackStore(), goalkit.WithDirectory(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if err := tr.Apply(ctx, won("a1", "anna", 5, 800000)); err != nil {
		t.Fatal(err)
	}
	var got []deliver.Message
	box := deliver.ChannelFunc(func(_ context.Context, m deliver.Message) error { got = append(got, m); return nil })
	d, err := deliver.New(plan, tr, cfg, openOutbox(t, t.TempDir()),
		map[string]deliver.Channel{"box": box, "mail": box}, deliver.WithDirectory(dir))
	if err != nil {
		t.Fatal(err)
	}
	tickDeliver(t, d, march(6, 18))
	var kinds []string
	for _, m := range got {
		kinds = append(kinds, m.Kind+" "+m.Channel)
		// A digest greets its recipient by name; nothing else names him.
		text := strings.Replace(m.Text, "Иван Петров, your goals", "", 1)
		if strings.Contains(m.Subject+text, "Иван") {
			t.Errorf("%s: the team is named as the person:\n%s\n%s", m.Kind, m.Subject, m.Text)
		}
		if alts := chartAlt.FindAllString(m.HTML, -1); m.Channel == "mail" && len(alts) != 1 || slices.ContainsFunc(alts, func(a string) bool { return strings.Contains(a, "Иван") }) {
			t.Errorf("%s: the chart's alt text %q", m.Kind, alts)
		}
		if m.Digest != nil {
			for _, r := range m.Digest.Rows {
				if r.Participant != "1" {
					t.Errorf("digest row of %s/%s (%s): participant %q, want 1", r.Goal, r.Participant, r.ParticipantKind, r.Participant)
				}
			}
		}
	}
	slices.Sort(kinds)
	if want := []string{"digest_daily box", "digest_daily mail", "milestone_reached box", "milestone_reached mail"}; !slices.Equal(kinds, want) {
		t.Errorf("sent %v, want %v", kinds, want)
	}
}

var chartAlt = regexp.MustCompile(`alt="[^"]*"`)
