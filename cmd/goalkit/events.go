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
