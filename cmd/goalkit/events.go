package main

import (
	"context"
	"os"

	"github.com/goalkit/goalkit/adapters/eventfile"
	"github.com/goalkit/goalkit/kpi"
)

// loadEvents loads the event file at path into dst, all of it or, if any
// line is bad, nothing; attrs types the file's attributes (the plan's
// attributes section).
func loadEvents(ctx context.Context, dst eventfile.Store, path string, attrs map[string]kpi.AttrType) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return eventfile.Load(ctx, dst, f, path, eventfile.Options{Attributes: attrs})
}

// readEvents reads the event versions of the event file at path, in the
// file's order; attrs types the file's attributes.
func readEvents(ctx context.Context, path string, attrs map[string]kpi.AttrType) ([]kpi.Event, error) {
	var events []kpi.Event
	if err := loadEvents(ctx, collectInto(&events), path, attrs); err != nil {
		return nil, err
	}
	return events, nil
}

// collectInto is the store that appends a copy of every version it is
// given to events.
func collectInto(events *[]kpi.Event) eventfile.Store {
	return eventfile.StoreFunc(func(ctx context.Context, fn func(add func(*kpi.Event) error) error) error {
		return fn(func(e *kpi.Event) error {
			*events = append(*events, e.Clone())
			return nil
		})
	})
}
