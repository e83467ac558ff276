package deliver_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/goalkittest"
)

// A host's template that fails for one kind does not stop delivery: the
// messages it could not render are dead letters with the template's error,
// every other message is delivered, the tick reports them, and later ticks
// neither fail nor route them again.
func TestBadTemplateMakesDeadLettersOnly(t *testing.T) {
	ctx := context.Background()
	const path = "/hooks/T0/s3cr3t" // a token in the webhook's URL
	run := func(opts ...deliver.Option) (deliver.TickResult, []deliver.Entry, []deliver.Entry) {
		t.Helper()
		rcv := newReceiver(t)
		d, ob := setup(t, rcv.srv.URL+path, opts...)
		now := march(29, 18)
		res, err := d.Tick(ctx, now)
		if err != nil {
			t.Fatalf("tick: %v", err)
		}
		for range 3 {
			if _, err := d.Deliver(ctx, now); err != nil {
				t.Fatal(err)
			}
			now = now.Add(time.Hour)
			if again, err := d.Tick(ctx, now); err != nil || again.Notifications != 0 {
				t.Fatalf("a later tick: %+v %v", again, err)
			}
		}
		sent, _ := ob.Entries(ctx, deliver.Sent)
		dead, _ := ob.Entries(ctx, deliver.Dead)
		return res, sent, dead
	}
	_, all, _ := run()
	bad, err := deliver.LoadTemplates(fstest.MapFS{"en.txt.tmpl": {Data: []byte(`{{define "text.achieved"}}{{.Nope}}{{end}}`)}})
	if err != nil {
		t.Fatal(err)
	}
	res, sent, dead := run(deliver.WithTemplates(bad))
	var wantSent, wantDead []string
	for _, e := range all {
		id := e.Message.To.User + " " + e.Message.Key
		if e.Message.Kind == "achieved" && e.Message.To.Language != "ru" {
			wantDead = append(wantDead, id)
		} else {
			wantSent = append(wantSent, id)
		}
	}
	if len(wantDead) == 0 || len(wantSent) == 0 {
		t.Fatalf("the scenario has %d messages of the bad template and %d others", len(wantDead), len(wantSent))
	}
	ids := func(es []deliver.Entry) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.Message.To.User+" "+e.Message.Key)
		}
		return out
	}
	sameLines(t, "sent", ids(sent), wantSent)
	sameLines(t, "dead", ids(dead), wantDead)
	for _, e := range dead {
		if !strings.HasPrefix(e.LastError, "templates: en: template: ") || !strings.Contains(e.LastError, `can't evaluate field Nope`) || e.Attempts != 1 {
			t.Errorf("%s: %d attempts, %q", e.Message.Key, e.Attempts, e.LastError)
		}
	}
	if res.Unrendered != len(wantDead) || res.Messages != len(all) {
		t.Errorf("tick: %+v, want %d unrendered of %d messages", res, len(wantDead), len(all))
	}

	// A template's error quotes the template: a channel's URL written in
	// it is masked in the dead letter's reason.
	leaky, err := deliver.LoadTemplates(fstest.MapFS{"en.txt.tmpl": {Data: []byte(`{{define "text.achieved"}}{{call "http://hooks.example` + path + `"}}{{end}}`)}})
	if err != nil {
		t.Fatal(err)
	}
	_, _, dead = run(deliver.WithTemplates(leaky))
	for _, e := range dead {
		if strings.Contains(e.LastError, "s3cr3t") || !strings.Contains(e.LastError, `non-function "http://hooks.example…"`) {
			t.Errorf("%s: %q", e.Message.Key, e.LastError)
		}
	}
	if len(dead) != len(wantDead) {
		t.Errorf("%d dead letters, want %d", len(dead), len(wantDead))
	}
}

// A digest whose template fails is a dead letter too, and is not counted
// as rendered; the other recipients' digests go out.
func TestBadDigestTemplate(t *testing.T) {
	ctx := context.Background()
	plan := goalkittest.CompilePlan(t, testPlan)
	cfg := parseConfig(t, digestConfig)
	var got []string
	box := deliver.ChannelFunc(func(_ context.Context, m deliver.Message) error {
		got = append(got, m.To.User+" "+m.Kind)
		return nil
	})
	bad, err := deliver.LoadTemplates(fstest.MapFS{"en.txt.tmpl": {Data: []byte(`{{define "text.digest_daily"}}{{.Nope}}{{end}}`)}})
	if err != nil {
		t.Fatal(err)
	}
	ob := openOutbox(t, t.TempDir())
	d, err := deliver.New(plan, track(t, plan, salesEvents()...), cfg, ob, map[string]deliver.Channel{"box": box},
		deliver.WithDirectory(directory(t)), deliver.WithTemplates(bad))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 3, 7, 20, 0, 0, 0, time.UTC) // both 7 March digests are due
	res, err := d.Tick(ctx, at)
	if err != nil || res.Digests != 1 || res.Unrendered != 1 {
		t.Fatalf("tick: %+v %v", res, err)
	}
	if dr, err := d.Deliver(ctx, at); err != nil || dr.Dead != 1 {
		t.Fatalf("deliver: %+v %v", dr, err)
	}
	if !slices.Contains(got, "anna digest_daily") || slices.Contains(got, "boris digest_daily") {
		t.Errorf("sent %q", got)
	}
	dead, _ := ob.Entries(ctx, deliver.Dead)
	if len(dead) != 1 || dead[0].Message.To.User != "boris" || !strings.Contains(dead[0].LastError, "can't evaluate field Nope") {
		t.Errorf("dead letters: %+v", dead)
	}
}
