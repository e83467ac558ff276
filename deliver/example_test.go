package deliver_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// A dispatcher routes the tracker's notifications to the recipients who may
// see them, in their language, and delivers each once: a second tick and a
// second delivery send nothing more.
func ExampleDispatcher() {
	ctx := context.Background()
	def, _ := goalkit.ParseDefinition("plan.yaml", []byte(`
timezone: Europe/Moscow
indicators:
  - {id: revenue, kinds: [deal.won], aggregate: sum, value: amount, currency: RUB}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
goals:
  - id: sales
    name: Выручка за март
    indicator: revenue
    target: 1500000
    period: {from: 2025-03-01, to: 2025-04-01}
    participants: {users: [anna, boris]}
    notify: [{on: achieved}]
`))
	plan, _ := goalkit.Compile(def)
	cfg, _ := deliver.ParseConfig("deliver.yaml", []byte(`
channels: [{name: chat, type: telegram, token_env: TOKEN}]
recipients:
  - {user: anna, name: Анна, telegram: "1001", language: ru}
  - {user: boris, telegram: "1002"}
`))
	// A channel of the host's own instead of the Telegram Bot API.
	chat := deliver.ChannelFunc(func(_ context.Context, m deliver.Message) error {
		fmt.Printf("to %s: %s\n", m.To.Telegram, m.Text)
		return nil
	})
	dir, _ := os.MkdirTemp("", "deliver")
	defer os.RemoveAll(dir)
	outbox, _ := deliver.OpenOutbox(ctx, filepath.Join(dir, "outbox.db"))
	defer outbox.Close()

	tr, _ := plan.Track(ctx, memory.NewTrackStore())
	defer tr.Close()
	at := time.Date(2025, 3, 20, 18, 0, 0, 0, plan.Calendar().Location())
	tr.Apply(ctx, kpi.Event{ID: "d1", Kind: "deal.won", Actor: "anna", Time: at, Currency: "RUB",
		Amount: decimal.NewNullDecimal(decimal.New(1700000, 0))})
	d, _ := deliver.New(plan, tr, cfg, outbox, map[string]deliver.Channel{"chat": chat})
	for range 2 {
		d.Tick(ctx, at)
		res, _ := d.Deliver(ctx, at)
		fmt.Printf("sent %d\n", res.Sent)
	}
	// Output:
	// to 1001: Анна: цель «Выручка за март» за 2025-03 достигнута: 1 700 000 ₽ из 1 500 000 ₽. Поздравляем!
	// sent 1
	// sent 0
}
