package kpi

import (
	"strconv"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// BenchmarkTrackQueueWrite queues versions shaped as the standard
// workload's (an id, a kind, an actor, an amount, a source and a
// pipeline, checked) one at a time, as the writer does beside readers,
// and takes them every 50,000 without applying them, as a catch-up would:
// the writer's cost a version (ns/op), alone and while the collector
// marks (beside a goroutine that allocates).
func BenchmarkTrackQueueWrite(b *testing.B) {
	known := []string{"pipeline", "source"}
	sources := []any{"web", "partner", "referral", "cold_call", "event", "ads", "email_campaign", "other"}
	events := make([]Event, 4096)
	vals := make([][]any, len(events))
	for i := range events {
		events[i] = Event{ID: strconv.Itoa(1_000_000 + i), Kind: []string{"deal_won", "call", "meeting"}[i%3],
			Actor: "user" + strconv.Itoa(i%2000), Time: time.Unix(1_750_000_000+int64(i)*60, 0).UTC()}
		if i%2 == 0 {
			events[i].Amount = decimal.NewNullDecimal(decimal.New(int64(i)*100+99, -2))
		}
		vals[i] = []any{int64(1 + i%3), sources[i%len(sources)]}
	}
	b.Run("alone", func(b *testing.B) { queueWrites(b, events, vals, known) })
	b.Run("marking", func(b *testing.B) {
		// A goroutine allocating lists of pointers beside the writer, as
		// reports do: the collector marks most of the time.
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			keep := make([][]*int, 64)
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				l := make([]*int, 4096)
				for j := range l {
					l[j] = &i
				}
				keep[i%len(keep)] = l
			}
		}()
		queueWrites(b, events, vals, known)
		close(stop)
		<-done
	})
}

func queueWrites(b *testing.B, events []Event, vals [][]any, known []string) {
	var q trackQueue
	q.start()
	n, pending := 0, uint64(0)
	for b.Loop() {
		q.addChecked(&events[n], vals[n], known)
		if n++; n == len(events) {
			n = 0
		}
		if pending++; pending == 50_000 {
			if err := q.take(pending, func(queueRun) error { return nil }); err != nil {
				b.Fatal(err)
			}
			pending = 0
		}
	}
}
