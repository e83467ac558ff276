package kpi_test

import (
	"context"
	"errors"
	"maps"
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"pgregory.net/rapid"
)

// TestImportMatchesApply: Table.Import of a stream's versions, into an
// empty table (grown or not) or one that holds the stream's first
// versions, evaluates as the versions applied one by one; an Import whose
// function fails leaves the table as it was. The function reuses its Event
// and Attrs map, and scribbles on them after each add.
func TestImportMatchesApply(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := context.Background()
		set, req := drawTracking(t)
		stream := genStream(t, req.Calendar, req.Periods)
		cut := rapid.IntRange(0, len(stream)).Draw(t, "applied first")
		tab := kpi.NewTable(req.Calendar.Location())
		for i := range stream[:cut] {
			if err := tab.Apply(&stream[i]); err != nil {
				t.Fatal(err)
			}
		}
		if rapid.Bool().Draw(t, "grow") {
			tab.Grow(len(stream))
		}
		fail := rapid.IntRange(0, 2).Draw(t, "fail") == 0
		var before *kpi.Result
		if fail {
			before = must(t)(set.EvaluateTable(ctx, tab, req))
		}
		failAt := rapid.IntRange(cut, len(stream)).Draw(t, "fail at")
		boom := errors.New("boom")
		var e kpi.Event
		attrs := map[string]any{}
		err := tab.Import(ctx, func(add func(*kpi.Event) error) error {
			for i := cut; i < len(stream); i++ {
				if fail && i == failAt {
					return boom
				}
				e = stream[i]
				if e.Attrs != nil {
					clear(attrs)
					maps.Copy(attrs, stream[i].Attrs)
					e.Attrs = attrs
				}
				if err := add(&e); err != nil {
					return err
				}
				e.Kind, e.Actor, e.ID = "scribbled", "scribbled", "scribbled"
				for k := range attrs {
					attrs[k] = "scribbled"
				}
			}
			if fail {
				return boom
			}
			return nil
		})
		want := before
		if !fail {
			if err != nil {
				t.Fatal(err)
			}
			want = batchOf(t, set, req, stream)
		} else if !errors.Is(err, boom) {
			t.Fatalf("import: %v, want boom", err)
		}
		sameResult(t, "import", must(t)(set.EvaluateTable(ctx, tab, req)), want)
	})
}
