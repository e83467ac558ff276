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
// report that counts it twice; and a part made past the end of its
// partition, when Parts says where parts were made (a NATS tenant's
// parts), rather than a report of events the log no longer holds (a log
// made again), and a part made from a partition of another identity than
// the log's partition has now (an IdentifiedLog deleted and made again,
// also once it has passed the part's offset), naming both. A part put
// without an identity (before parts carried one, or over a log without
// one) is merged unchecked, as before. An error of fn, or of the log's End,
// names the partition whose part it read or whose end it asked.
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
	rangeAt := func(fn func(p int, pos uint64, data []byte) error) error {
		return s.Parts.Range(ctx, func(p int, data []byte) error { return fn(p, 0, data) })
	}
	if pa, ok := s.Parts.(partsAt); ok {
		rangeAt = func(fn func(p int, pos uint64, data []byte) error) error { return pa.RangeAt(ctx, fn) }
	}
	err = rangeAt(func(p int, pos uint64, data []byte) error {
		if p < 0 || p >= len(have) {
			return fmt.Errorf("a part of partition %d, which the log does not have (%d partitions): the parts are another log's", p, len(have))
		}
		if have[p] {
			return fmt.Errorf("two parts of partition %d: a PartStore keeps one a partition", p)
		}
		have[p] = true
		if err := s.within(ctx, p, pos); err != nil {
			return err
		}
		if err := s.sameLife(ctx, p, partIdentity(data)); err != nil {
			return err
		}
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
			return fmt.Errorf("partition %d: %w", p, err)
		}
		if end > 0 {
			return fmt.Errorf("partition %d has records but no part: no worker has read it yet", p)
		}
	}
	return nil
}

// partsAt is a PartStore that says the offset each part was made at (a
// NATS tenant's parts): Partials refuses a part made past the end of its
// partition.
type partsAt interface {
	RangeAt(ctx context.Context, fn func(partition int, pos uint64, data []byte) error) error
}

// within refuses the part of partition p made at offset pos past the end
// of the log's partition: the log was made again, and the part counts
// events it no longer holds. The end is read after the part, so that a
// part put meanwhile is within it, and read again for a while as a worker
// does (an end read from a leader that has just taken over may lag).
func (s *Source) within(ctx context.Context, p int, pos uint64) error {
	if pos == 0 {
		return nil
	}
	end, err := s.Log.End(ctx, p)
	for deadline := time.Now().Add(endLag); err == nil && pos > end && time.Now().Before(deadline); {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(endLag / 10):
		}
		end, err = s.Log.End(ctx, p)
	}
	if err != nil {
		return fmt.Errorf("the part of partition %d: %w", p, err)
	}
	if pos > end {
		return fmt.Errorf("the part of partition %d was made at offset %d, past the end of the log's partition (offset %d): the log lost records the part counts (was it made again? the workers' stores and parts are the old log's)", p, pos, end)
	}
	return nil
}

// sameLife refuses the part of partition p made from the log's partition
// of identity ident where the log's partition is now of another (deleted
// and made again): the part counts the old log's events, which the new one
// may not hold, also once the new log has passed the part's offset. A part
// of no known identity (put before parts carried one, or over a log
// without one) and a log that cannot tell its own are not checked.
func (s *Source) sameLife(ctx context.Context, p int, ident string) error {
	now, err := remade(ctx, s.Log, p, ident)
	if err != nil {
		return fmt.Errorf("the part of partition %d: %w", p, err)
	}
	if now != "" {
		return fmt.Errorf("the part of partition %d was made from the log's partition as it was (identity %s), and the log's partition is now another (identity %s): it was deleted and made again, and the part counts events of the old log; the workers' stores and parts are the old log's (remove them to read the new log from its start, or give the workers the old log back)", p, ident, now)
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
