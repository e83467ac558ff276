package eventfile

import (
	"context"
	"io"
	"maps"
	"os"
	"sort"

	"github.com/goalkit/goalkit/kpi"
)

// Load reads the event file r as Read does and resolves it: the last line
// of an id wins, and a deleted line retracts the id until a later line
// brings it back. It returns the live events sorted by ID (byte order), each
// a copy the caller owns (Attrs is nil when the event has none), or nil and
// the error of Read.
func Load(ctx context.Context, r io.Reader, name string, f Format, opt Options) ([]kpi.Event, error) {
	var events []kpi.Event
	index := make(map[string]int)
	err := Read(ctx, r, name, f, opt, func(e *kpi.Event) error {
		i, ok := index[e.ID]
		switch {
		case e.Deleted:
			if ok {
				events[i] = kpi.Event{ID: e.ID, Deleted: true}
			}
		case ok:
			events[i] = copyEvent(e)
		default:
			index[e.ID] = len(events)
			events = append(events, copyEvent(e))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	live := events[:0]
	for _, e := range events {
		if !e.Deleted {
			live = append(live, e)
		}
	}
	sort.Slice(live, func(i, j int) bool { return live[i].ID < live[j].ID })
	return live, nil
}

// LoadFile loads the event file at path as Load does, in the format its
// extension names (see FormatOf).
func LoadFile(ctx context.Context, path string, opt Options) ([]kpi.Event, error) {
	f, err := FormatOf(path)
	if err != nil {
		return nil, err
	}
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	return Load(ctx, file, path, f, opt)
}

// copyEvent copies an event handed to fn: its Attrs map is the reader's.
func copyEvent(e *kpi.Event) kpi.Event {
	c := *e
	c.Attrs = nil
	if len(e.Attrs) > 0 {
		c.Attrs = maps.Clone(e.Attrs)
	}
	return c
}
