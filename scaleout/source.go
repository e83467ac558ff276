package scaleout

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// Source is the merged state of a log's workers, read like any other
// source. It is a kpi.PartialSource: a plan of indicators only is
// evaluated from the parts in Parts, merged; a kpi.Pusher that declines
// every query, so that such a plan asks for aggregates rather than
// scanning; and its Scan reads the current version of every event from
// the log, for goals, scorecards, cascades and whatever the parts cannot
// answer. The parts say what the workers have committed so far: a worker
// that lags behind the log lags behind a scan.
type Source struct {
	Log   Log
	Parts PartStore
}

// Partials implements kpi.PartialSource. A partition that holds records
// but has no part (no worker has read it yet) is an error that names it,
// rather than a report without its events; so is a part of a partition the
// log does not have (Parts shared with another log), rather than a report
// with its events, and a second part of one partition, rather than a
// report that counts it twice. An error of fn names the partition whose
// part it read.
func (s *Source) Partials(ctx context.Context, fn func(data []byte) error) error {
	if err := s.check(); err != nil {
		return err
	}
	if s.Parts == nil {
		return errors.New("scaleout.Source: no Parts to merge")
	}
	n, err := partitions(s.Log)
	if err != nil {
		return err
	}
	have := make([]bool, n)
	err = s.Parts.Range(ctx, func(p int, data []byte) error {
		if p < 0 || p >= len(have) {
			return fmt.Errorf("a part of partition %d, which the log does not have (%d partitions): the parts are another log's", p, len(have))
		}
		if have[p] {
			return fmt.Errorf("two parts of partition %d: a PartStore keeps one a partition", p)
		}
		have[p] = true
		if err := fn(data); err != nil {
			return fmt.Errorf("the part of partition %d: %w", p, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for p, ok := range have {
		if ok {
			continue
		}
		end, err := s.Log.End(ctx, p)
		if err != nil {
			return err
		}
		if end > 0 {
			return fmt.Errorf("partition %d has records but no part: no worker has read it yet", p)
		}
	}
	return nil
}

// Push implements kpi.Pusher: it declines, and the engine merges the parts
// or scans.
func (s *Source) Push(context.Context, kpi.PushQuery) ([]kpi.PushRow, bool, error) {
	return nil, false, nil
}

// Scan implements kpi.Source: it reads every partition up to its current
// end and keeps the current version of each event, as the workers do.
func (s *Source) Scan(ctx context.Context, q kpi.Query, fn func(*kpi.Event) error) error {
	if err := s.check(); err != nil {
		return err
	}
	tab, err := s.table(ctx)
	if err != nil {
		return err
	}
	return tab.Scan(ctx, q, fn)
}

// check refuses a Source without a Log.
func (s *Source) check() error {
	if s.Log == nil {
		return errors.New("scaleout.Source: no Log to read")
	}
	return nil
}

func (s *Source) table(ctx context.Context) (*kpi.Table, error) {
	n, err := partitions(s.Log)
	if err != nil {
		return nil, err
	}
	tab := kpi.NewTable(time.UTC)
	for p := range n {
		if err := s.read(ctx, p, n, tab); err != nil {
			return nil, fmt.Errorf("partition %d: %w", p, err)
		}
	}
	return tab, nil
}

func (s *Source) read(ctx context.Context, p, n int, tab *kpi.Table) error {
	end, err := s.Log.End(ctx, p)
	if err != nil || end == 0 {
		return err
	}
	cur, err := open(ctx, s.Log, p, 1)
	if err != nil {
		return err
	}
	defer cur.Close()
	v := versions{}
	return ReadTo(ctx, cur, end, func(rec Record) error {
		e, err := DecodeEvent(rec.Data)
		if err == nil {
			err = home(&e, p, n)
		}
		if err != nil {
			return fmt.Errorf("offset %d: %w", rec.Offset, err)
		}
		if err := v.apply(tab, &e); err != nil {
			return fmt.Errorf("offset %d: %w", rec.Offset, err)
		}
		return nil
	})
}

var (
	_ kpi.PartialSource = (*Source)(nil)
	_ kpi.Pusher        = (*Source)(nil)
)
