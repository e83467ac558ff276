package scaleout

import (
	"fmt"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/kpi"
)

// versions remembers, per event ID, the newest Known instant applied, so
// that a version that carries an older one (a stale original that arrives
// after its correction or retraction, a duplicate) is dropped. Versions
// without Known are applied in log order.
type versions map[string]int64

// fresh reports whether e is newer than every version of its ID applied,
// and if so remembers it.
func (v versions) fresh(e *kpi.Event) bool {
	if e.Known.IsZero() {
		return true
	}
	k := e.Known.UnixNano()
	if old, ok := v[e.ID]; ok && old >= k {
		return false
	}
	v[e.ID] = k
	return true
}

// apply applies a version read in log order to a table if it is fresh, so
// that the table keeps the current version of each ID as a worker would.
func (v versions) apply(tab *kpi.Table, e *kpi.Event) error {
	if !v.fresh(e) {
		return nil
	}
	return tab.Apply(e)
}

// home checks that a version read from partition p of a log of n
// partitions is in its ID's partition: a record elsewhere (a topic to
// which partitions were added since, which moves IDs to others; records
// appended to another partition than Records chose) would be counted
// beside the versions of its ID in their own partition.
func home(e *kpi.Event, p, n int) error {
	if q := Partition(e.ID, n); q != p {
		return fmt.Errorf("event %s is in partition %d, but its ID's partition among %d is %d: were partitions added to the log since it was published?", display.QuoteID(e.ID), p, n, q)
	}
	return nil
}

// decode decodes the records of partition p, of n, after offset pos
// (those at or before it were read before: a redelivery) and returns
// their fresh versions, in order, and the offsets of the first and the
// last record read (first is 0 and last is pos when none was).
func (v versions) decode(recs []Record, p, n int, pos uint64) (events []kpi.Event, first, last uint64, err error) {
	for _, rec := range recs {
		if rec.Offset <= pos {
			continue
		}
		if first == 0 {
			first = rec.Offset
		}
		pos = rec.Offset
		e, err := DecodeEvent(rec.Data)
		if err == nil {
			err = home(&e, p, n)
		}
		if err != nil {
			return nil, first, pos, fmt.Errorf("offset %d: %w", rec.Offset, err)
		}
		if v.fresh(&e) {
			events = append(events, e)
		}
	}
	return events, first, pos, nil
}
