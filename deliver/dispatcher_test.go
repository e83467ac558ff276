package deliver_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/goalkittest"
)

func webhookConfig(url string) string {
	return `
retry: {attempts: 5, base: 1m, max: 1h}
channels:
  - {name: hook, type: webhook, url: "` + url + `", secret_env: HOOK_SECRET}
recipients:
  - {user: anna, language: ru, timezone: Europe/Moscow, channels: [hook]}
  - {user: boris, channels: [hook]}
  - {user: olga, channels: [hook]}
  - {user: root, admin: true, channels: [hook], kinds: [achieved]}
`
}

// Each recipient gets the notifications of the rows they may see: anna and
// boris their own, olga (head of their unit) both, the admin only the kind
// it asked for; each once, whatever the number of ticks.
func TestDispatcherRoutesByVisibility(t *testing.T) {
	ctx := context.Background()
	plan := goalkittest.CompilePlan(t, testPlan)
	rcv := newReceiver(t)
	cfg := parseConfig(t, webhookConfig(rcv.srv.URL))
	chans := openChannels(t, cfg, deliver.ChannelOptions{Env: env(map[string]string{"HOOK_SECRET": testSecret})})
	tr := track(t, plan)
	d, err := deliver.New(plan, tr, cfg, openOutbox(t, t.TempDir()), chans, deliver.WithDirectory(directory(t)))
	if err != nil {
		t.Fatal(err)
	}
	for _, day := range []int{5, 12, 20, 29, 30} {
		for _, e := range salesEvents() {
			if e.Time.Day() == day {
				if err := tr.Apply(ctx, e); err != nil {
					t.Fatal(err)
				}
			}
		}
		for range 2 {
			if _, err := d.Tick(ctx, march(day, 18)); err != nil {
				t.Fatal(err)
			}
			if _, err := d.Deliver(ctx, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := append(slices.Clone(salesKeys), "root achieved/sales/anna/2025-03/")
	sameLines(t, "received", rcv.keys(), want)
	if n, bad := rcv.counts(); n != len(want) || bad != 0 {
		t.Errorf("%d requests (%d badly signed), want %d", n, bad, len(want))
	}
}
