package deliver_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/export/chart"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
)

// BenchmarkDeliver measures the cost per message: 100 messages stored in
// one transaction, then delivered, each an attempt recorded before and its
// outcome after (two transactions with synchronous=FULL, so the disk's
// sync rate bounds it): to a channel that does nothing (the outbox alone),
// and as signed webhooks to a receiver on the loopback (the outbox and an
// HTTP round trip).
func BenchmarkDeliver(b *testing.B) {
	b.Run("nop", func(b *testing.B) {
		benchDeliver(b, deliver.ChannelFunc(func(context.Context, deliver.Message) error { return nil }))
	})
	b.Run("webhook", func(b *testing.B) {
		rcv := newReceiver(b)
		w, err := deliver.NewWebhook(rcv.srv.URL, testSecret, nil)
		if err != nil {
			b.Fatal(err)
		}
		benchDeliver(b, w)
	})
}

func benchDeliver(b *testing.B, ch deliver.Channel) {
	ctx := context.Background()
	plan := goalkittest.CompilePlan(b, testPlan)
	cfg := parseConfig(b, `
channels: [{name: box, type: webhook, url: "http://unused", secret_env: S}]
recipients: [{user: anna, channels: [box]}]
`)
	tr := track(b, plan)
	ob := openOutbox(b, b.TempDir())
	d, err := deliver.New(plan, tr, cfg, ob, map[string]deliver.Channel{"box": ch})
	if err != nil {
		b.Fatal(err)
	}
	const batch = 100
	now := time.Now()
	round := 0
	for b.Loop() {
		msgs := make([]deliver.Message, batch)
		for i := range msgs {
			key := fmt.Sprintf("achieved/sales/u%d/%d", i, round)
			msgs[i] = deliver.Message{ID: deliver.MessageID(key, "anna", "box"), Key: key, Kind: "achieved", Channel: "box",
				To: deliver.Recipient{User: "anna"}, Created: now, Subject: "s", Text: "t"}
		}
		round++
		if err := ob.Add(ctx, nil, msgs); err != nil {
			b.Fatal(err)
		}
		res, err := d.Deliver(ctx, now)
		if err != nil || res.Sent != batch {
			b.Fatalf("%+v %v", res, err)
		}
	}
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkEmailCharts measures what the charts of emails cost a tick: the
// tracker's report without and with the daily series (goalkit.WithSeries,
// asked only when an email is due), for one goal of 100 participants with
// 20 events each as of 20 March, and drawing one burn-up PNG (an email
// draws at most MaxDigestCharts).
func BenchmarkEmailCharts(b *testing.B) {
	ctx := context.Background()
	const users = 100
	var names []string
	var events []kpi.Event
	for u := range users {
		who := fmt.Sprintf("u%03d", u)
		names = append(names, who)
		for i := range 20 {
			events = append(events, won(fmt.Sprintf("%s-%d", who, i), who, 1+i, int64(10000+1000*u+i)))
		}
	}
	plan := goalkittest.CompilePlan(b, strings.Replace(testPlan, "users: [anna, boris]", "users: ["+strings.Join(names, ", ")+"]", 1))
	tr, err := plan.Track(ctx, memory.NewTrackStore())
	if err != nil {
		b.Fatal(err)
	}
	defer tr.Close()
	if err := tr.Apply(ctx, events...); err != nil {
		b.Fatal(err)
	}
	asOf := march(20, 15)
	report := func(b *testing.B, opts ...goalkit.EvalOption) {
		for b.Loop() {
			rep, err := tr.Report(ctx, asOf, opts...)
			if err != nil || len(rep.Goals.Rows) != users {
				b.Fatalf("%v, %d rows", err, len(rep.Goals.Rows))
			}
		}
	}
	b.Run("report", func(b *testing.B) { report(b) })
	b.Run("report-series", func(b *testing.B) { report(b, goalkit.WithSeries()) })
	b.Run("burnup-png", func(b *testing.B) {
		rep, err := tr.Report(ctx, asOf, goalkit.WithSeries())
		if err != nil {
			b.Fatal(err)
		}
		row := rep.Goals.Rows[0]
		for b.Loop() {
			data, err := chart.BurnUp(*row, chart.Options{Width: deliver.ChartWidth, Height: deliver.ChartHeight})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(len(data)), "bytes/png")
		}
	})
}

// BenchmarkRender measures rendering a message for one recipient: the
// subject, the plain text and the HTML of a notification, and of a digest
// of three rows.
func BenchmarkRender(b *testing.B) {
	tmpl, err := deliver.LoadTemplates(nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, v := range []deliver.View{sampleView("en", "at_risk"), sampleDigest("ru", deliver.KindDailyDigest)} {
		b.Run(v.Kind, func(b *testing.B) {
			for b.Loop() {
				if _, _, _, err := tmpl.Render(v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
