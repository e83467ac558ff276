package deliver_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/goalkittest"
	"pgregory.net/rapid"
)

// The names a message's text inserts (goals, people, periods, milestones,
// a digest's rows) have each mark of mrkdwn between zero-width spaces in
// Slack, as the subject has them, so that revenue_plan or *Anna* reads as
// written; the template's own marks stay marks. Slack set "plan" of
// revenue_plan_q1 in italics and *Anna* in bold.
func TestSlackEscapesMarksInTheValues(t *testing.T) {
	const z = "\u200b"
	own := fstest.MapFS{"en.txt.tmpl": {Data: []byte(
		`{{define "text.achieved"}}*{{.Goal}}* for _{{template "who" .}}_, ~{{.Period}}~ ` + "`{{.Milestone}}`" + `: {{amount .Actual .Currency}}{{end}}` +
			`{{define "text.failed"}}{{$g := .Goal}}{{if eq $g "revenue_plan"}}{{$g}}{{end}} {{with .Participant}}_{{.}}_{{else}}none{{end}}{{range $i := .DaysLeft}} {{$i}}{{end}}{{end}}`)}}
	builtin, err := deliver.LoadTemplates(nil)
	if err != nil {
		t.Fatal(err)
	}
	hosts, err := deliver.LoadTemplates(own)
	if err != nil {
		t.Fatal(err)
	}
	view := func(kind, goal, who string) deliver.View {
		v := sampleView("en", kind)
		v.Goal, v.Participant, v.Recipient = goal, who, who
		return v
	}
	digest := sampleDigest("en", deliver.KindDailyDigest)
	digest.Recipient = "o_l_g_a"
	digest.Digest.Rows[0].Name, digest.Digest.Rows[0].Participant = "revenue_plan", "*Anna*"
	digest.Digest.Rows = digest.Digest.Rows[:1]
	for _, c := range []struct {
		name string
		tmpl *deliver.Templates
		v    deliver.View
		want string
	}{
		{"underscores", builtin, view("achieved", "revenue_plan_q1", "anna"),
			`anna achieved "revenue` + z + "_" + z + "plan" + z + "_" + z + `q1" in 2025-03: 1 700 000 ₽ of 1 500 000 ₽. Congratulations!`},
		{"asterisks", builtin, view("achieved", "revenue", "*Anna*"),
			z + "*" + z + "Anna" + z + "*" + z + ` achieved "revenue" in 2025-03: 1 700 000 ₽ of 1 500 000 ₽. Congratulations!`},
		{"tilde and backquote", builtin, view("failed", "~plan~", "`anna`"),
			`"` + z + "~" + z + "plan" + z + "~" + z + `" was not achieved by ` + z + "`" + z + "anna" + z + "`" + z + ` in 2025-03: 1 700 000 ₽ of 1 500 000 ₽.`},
		{"a digest's rows and recipient", builtin, digest,
			"o" + z + "_" + z + "l" + z + "_" + z + "g" + z + "_" + z + "a, your goals as of 2025-03-20:\n\n- revenue" + z + "_" + z + "plan, " +
				z + "*" + z + "Anna" + z + "*" + z + ", 2025-03: 1 700 000 ₽ of 1 500 000 ₽ (113.3 %), achieved"},
		{"variables, conditions and ranges", hosts, view("failed", "revenue_plan", "*Anna*"),
			"revenue" + z + "_" + z + "plan _" + z + "*" + z + "Anna" + z + "*" + z + "_ 0 1"},
		{"the template's own marks", hosts, view("achieved", "revenue_plan", "*Anna*"),
			"*revenue" + z + "_" + z + "plan* for _" + z + "*" + z + "Anna" + z + "*" + z + "_, ~2025-03~ `50%`: 1 700 000 ₽"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.tmpl.SlackText(c.v)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("text\n%q\nwant\n%q", got, c.want)
			}
		})
	}
}

// Any names in any kind's text read back as the plain text has them once
// Slack shows the message (the documented rules, slackUnescape), and no
// mark of what the channel sends is outside zero-width spaces (the
// built-in templates have no mark of their own in their texts).
func TestSlackValuesRoundTripProperty(t *testing.T) {
	tmpl, err := deliver.LoadTemplates(nil)
	if err != nil {
		t.Fatal(err)
	}
	ch, got := slackSink(t)
	rapid.Check(t, func(t *rapid.T) {
		char := rapid.OneOf(
			rapid.SampledFrom([]rune("*_~`&<>; \u200b")),
			rapid.SampledFrom([]rune("amptlg")),
			rapid.Rune(),
		)
		name := func(label string) string { return rapid.StringOfN(char, 0, 12, -1).Draw(t, label) }
		v := namedView(t, name)
		_, plain, _, err := tmpl.Render(v)
		if err != nil {
			t.Fatal(err)
		}
		text, err := tmpl.SlackText(v)
		if err != nil {
			t.Fatal(err)
		}
		m := testMessage()
		m.Subject, m.Text = "", text
		*got = ""
		if err := ch.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
		sent := *got
		if back := slackUnescape(sent); back != plain {
			t.Fatalf("text %q sent as %q reads back as %q", plain, sent, back)
		}
		for i := 0; i < len(sent); i++ {
			if strings.IndexByte(slackMarks, sent[i]) >= 0 && (!strings.HasSuffix(sent[:i], "\u200b") || !strings.HasPrefix(sent[i+1:], "\u200b")) {
				t.Fatalf("text %q sent as %q: the mark %q at %d is not between zero-width spaces", plain, sent, sent[i], i)
			}
		}
	})
}

// From a tick to the webhook: the text of each message a Slack channel
// sends has the goal's name as written, its underscores between
// zero-width spaces, as the subject has them.
func TestSlackDispatchEscapesTheValues(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p struct {
			Text string `json:"text"`
		}
		if err := json.NewDecoder(r.Body).Decode(&p); err != nil {
			t.Error(err)
		}
		mu.Lock()
		defer mu.Unlock()
		got = append(got, p.Text)
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	plan := goalkittest.CompilePlan(t, strings.Replace(testPlan, "name: Выручка за март", "name: revenue_plan_q1", 1))
	cfg := parseConfig(t, `
channels:
  - {name: room, type: slack, url_env: SLACK_URL}
recipients:
  - {user: olga, channels: [room]}
`)
	chans := openChannels(t, cfg, deliver.ChannelOptions{Env: env(map[string]string{"SLACK_URL": srv.URL + "/services/T1/B1/SECRET"})})
	d, err := deliver.New(plan, track(t, plan, salesEvents()...), cfg, openOutbox(t, t.TempDir()), chans, deliver.WithDirectory(directory(t)))
	if err != nil {
		t.Fatal(err)
	}
	at := march(20, 18)
	d.Tick(ctx, at)
	if res, err := d.Deliver(ctx, at); err != nil || res.Sent != 3 {
		t.Fatalf("%+v %v", res, err)
	}
	const name = "revenue\u200b_\u200bplan\u200b_\u200bq1"
	slices.Sort(got)
	want := []string{
		"*" + name + ": milestone 50% reached*\nanna reached the milestone 50% of \"" + name + "\" in 2025-03: 800 000 ₽ of 1 500 000 ₽.",
		"*" + name + ": milestone 50% reached*\nboris reached the milestone 50% of \"" + name + "\" in 2025-03: 750 000 ₽ of 1 500 000 ₽.",
		"*" + name + ": target achieved*\nanna achieved \"" + name + "\" in 2025-03: 1 700 000 ₽ of 1 500 000 ₽. Congratulations!",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Slack got\n%q\nwant\n%q", got, want)
	}
}
