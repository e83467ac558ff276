package goalkittest

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// brokenFinal is Final with one flaw of a store: each breaks one promise
// of the contract the event properties check.
var brokenFinal = map[string]func(stream []kpi.Event) []kpi.Event{
	// an exact copy of a version is stored again as another event
	DuplicatesOnce: func(stream []kpi.Event) []kpi.Event {
		var out []kpi.Event
		for i, e := range stream {
			if i > 0 && !e.Deleted && slices.ContainsFunc(stream[:i], func(p kpi.Event) bool { return reflect.DeepEqual(p, e) }) {
				e.ID += "-again"
			}
			out = append(out, e)
		}
		return Final(out)
	},
	// a retraction is ignored: the event keeps its last version
	RetractionUndoes: func(stream []kpi.Event) []kpi.Event {
		return Final(slices.DeleteFunc(slices.Clone(stream), func(e kpi.Event) bool { return e.Deleted }))
	},
	// the event whose version arrived last is lost (a store that drops the
	// tail of its write buffer)
	OrderIndependent: func(stream []kpi.Event) []kpi.Event {
		out := Final(stream)
		if len(stream) > 0 {
			last := stream[len(stream)-1].ID
			out = slices.DeleteFunc(out, func(e kpi.Event) bool { return e.ID == last })
		}
		return out
	},
	// instants are kept to the second, rounded: a nanosecond before
	// midnight becomes midnight, in the next period
	LiveEqualsBatch: func(stream []kpi.Event) []kpi.Event {
		out := Final(stream)
		for i := range out {
			out[i].Time = out[i].Time.Round(time.Second)
		}
		return out
	},
}

// TestPropertiesCatchBrokenStores: each event property fails when the
// evaluations read a store broken in the way it guards against, and passes
// with a correct one.
func TestPropertiesCatchBrokenStores(t *testing.T) {
	plan := CompilePlan(t, `
timezone: Europe/Berlin
indicators:
  - {id: won, kinds: [deal.won], aggregate: count}
  - {id: revenue, kinds: [deal.won], aggregate: sum, value: amount}
report: {grain: month, from: 2025-01-01, to: 2025-04-01}
`)
	for _, name := range []string{LiveEqualsBatch, OrderIndependent, DuplicatesOnce, RetractionUndoes} {
		t.Run(name, func(t *testing.T) {
			c := newChecker(plan, CheckOptions{Only: []string{name}})
			ps := c.properties()
			if len(ps) != 1 {
				t.Fatalf("%d properties", len(ps))
			}
			if o := runOne(ps[0]); !o.Passed {
				t.Fatalf("fails with a correct store: %s", o.Counterexample)
			}
			flaw := brokenFinal[name]
			c.source = func(stream []kpi.Event) kpi.Source { return kpi.Events(flaw(stream)) }
			o := runOne(ps[0])
			if o.Passed {
				t.Fatal("passes a broken store")
			}
			if o.Counterexample == "" {
				t.Error("no counterexample")
			}
		})
	}
}
