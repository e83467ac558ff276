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

	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/goalkittest"
)

// From the delivery file to the chats: the Telegram Bot API at the
// configured base URL, a Slack incoming webhook whose URL comes from the
// environment, Bitrix24 through the client given; each recipient in their
// own chat and language.
func TestChatChannelsFromConfig(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p struct {
			ChatID string `json:"chat_id"`
			Text   string `json:"text"`
		}
		json.NewDecoder(r.Body).Decode(&p)
		mu.Lock()
		defer mu.Unlock()
		switch {
		case r.URL.Path == "/bot42:TOKEN/sendMessage":
			got = append(got, "telegram "+p.ChatID+" "+strings.SplitN(p.Text, ":", 2)[0])
			w.Write([]byte(`{"ok":true}`))
		case r.URL.Path == "/services/T1/B1/SECRET":
			got = append(got, "slack "+strings.SplitN(p.Text, "\n", 2)[0])
			w.Write([]byte("ok"))
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer srv.Close()
	plan := goalkittest.CompilePlan(t, testPlan)
	cfg := parseConfig(t, `
channels:
  - {name: tg, type: telegram, base_url: "`+srv.URL+`", token_env: TG_TOKEN}
  - {name: room, type: slack, url_env: SLACK_URL}
  - {name: portal, type: bitrix24}
recipients:
  - {user: anna, telegram: "1001", bitrix24: "7", language: ru}
  - {user: boris, telegram: "1002"}
  - {user: olga, channels: [room]}
`)
	b24 := &fakeNotifier{}
	chans := openChannels(t, cfg, deliver.ChannelOptions{Bitrix24: b24, Env: env(map[string]string{
		"TG_TOKEN": "42:TOKEN", "SLACK_URL": srv.URL + "/services/T1/B1/SECRET"})})
	tr := track(t, plan, salesEvents()...)
	d, err := deliver.New(plan, tr, cfg, openOutbox(t, t.TempDir()), chans, deliver.WithDirectory(directory(t)))
	if err != nil {
		t.Fatal(err)
	}
	at := march(20, 18)
	d.Tick(ctx, at)
	if res, err := d.Deliver(ctx, at); err != nil || res.Sent != 8 {
		t.Fatalf("%+v %v", res, err)
	}
	slices.Sort(got)
	// olga's room: the three notifications she may see (both
	// milestones, anna's achievement); anna in Russian in her chat and on
	// the portal; boris his milestone.
	want := []string{
		"slack *Выручка за март: milestone 50% reached*",
		"slack *Выручка за март: milestone 50% reached*",
		"slack *Выручка за март: target achieved*",
		"telegram 1001 anna",
		"telegram 1001 anna",
		"telegram 1002 boris reached the milestone 50% of \"Выручка за март\" in 2025-03",
	}
	sameLines(t, "chats", got, want)
	wantB24 := []string{
		"7: [b]Выручка за март: пройден этап 50%[/b]\nanna: пройден этап 50% цели «Выручка за март» за 2025-03: 800 000 ₽ из 1 500 000 ₽.",
		"7: [b]Выручка за март: цель достигнута[/b]\nanna: цель «Выручка за март» за 2025-03 достигнута: 1 700 000 ₽ из 1 500 000 ₽. Поздравляем!",
	}
	slices.Sort(b24.got)
	if !slices.Equal(b24.got, wantB24) {
		t.Errorf("bitrix24: %q", b24.got)
	}
}
