package bitrix24

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/goalkit/goalkit/adapters/bitrix24/internal/rest"
	"github.com/goalkit/goalkit/kpi"
)

// deletions lists the ids of every item of a kind present now (their ID
// alone), retracts those the last such listing had (*mark) that are gone,
// and those whose events this sync sent (sent) that are gone, and keeps
// the new listing in *mark. An item this sync read and that was deleted
// before the listing is in neither listing: its events, sent, would stay
// for good. The first listing (an empty mark) retracts only those. told
// are the ids whose retractions this sync already emitted.
//
// A listing read by offset skips an item when one before it is deleted
// while it pages (every later item moves a place up): the items it lacks
// are read again by id (query with an "@ID" filter), and those there are
// kept, not retracted.
func deletions[T rest.Row](ctx context.Context, s *syncer, query func(rest.ListParams) (*rest.ListQuery, error),
	id func(T) int64, mark *string, sent []int64, told map[int64]bool, retract func(int64) error,
) error {
	q, err := query(rest.ListParams{Select: []string{"ID"}, Offset: s.offset()})
	if err != nil {
		return err
	}
	rows, err := collect[T](ctx, s.c, q)
	if err != nil {
		return err
	}
	now := make([]int64, len(rows))
	for i, r := range rows {
		now[i] = id(r)
	}
	slices.Sort(now)
	now = slices.Compact(now)
	var gone []int64
	note := func(x int64) {
		if _, found := slices.BinarySearch(now, x); !found && !told[x] {
			gone = append(gone, x)
		}
	}
	var before []int64
	if *mark != "" {
		if before, err = decodeIDs(*mark); err != nil {
			return err
		}
		for _, x := range before {
			note(x)
		}
	}
	sent = slices.Compact(slices.Sorted(slices.Values(sent)))
	for _, x := range sent {
		if _, listed := slices.BinarySearch(before, x); !listed {
			note(x)
		}
	}
	if len(gone) > 0 && q.ByOffset() {
		there, err := readByIDs[T](ctx, s, gone, func(chunk []int64) (*rest.ListQuery, error) {
			return query(rest.ListParams{Select: []string{"ID"}, Offset: true, Filter: map[string]any{"@ID": chunk}})
		})
		if err != nil {
			return err
		}
		for _, r := range there {
			x := id(r)
			if i, found := slices.BinarySearch(now, x); !found {
				now = slices.Insert(now, i, x)
			}
		}
	}
	for _, x := range gone {
		if _, found := slices.BinarySearch(now, x); !found {
			if err := retract(x); err != nil {
				return err
			}
		}
	}
	*mark = encodeIDs(now)
	if *mark == "" {
		// No item at all is a listing too: the next sync retracts any
		// item it finds gone from it (none), not from an older one.
		*mark = "-"
	}
	return nil
}

// maxListedIDs bounds the ids a watermark's listing may hold, so that a
// damaged watermark cannot make a sync run out of memory.
const maxListedIDs = 50_000_000

// encodeIDs writes ascending distinct ids as ranges: "1-5,7,9-12".
func encodeIDs(ids []int64) string {
	var b strings.Builder
	for i := 0; i < len(ids); {
		j := i
		for j+1 < len(ids) && ids[j+1] == ids[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(ids[i], 10))
		if j > i {
			b.WriteByte('-')
			b.WriteString(strconv.FormatInt(ids[j], 10))
		}
		i = j + 1
	}
	return b.String()
}

// decodeIDs reads encodeIDs' form ("-" is none).
func decodeIDs(s string) ([]int64, error) {
	var out []int64
	err := walkIDs(s, func(a, b int64) {
		// Counted, not compared with b: x++ past the highest id there is
		// would wrap around below b.
		for n := range b - a + 1 {
			out = append(out, a+n)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("bitrix24: watermark: %w", err)
	}
	return out, nil
}

// walkIDs checks encodeIDs' form ("-" is none), calling fn with each range
// of a valid one, in order.
func walkIDs(s string, fn func(lo, hi int64)) error {
	if s == "-" {
		return nil
	}
	var (
		last  int64
		count int64
	)
	for part := range strings.SplitSeq(s, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.ParseInt(lo, 10, 64)
		b := a
		if err == nil && isRange {
			b, err = strconv.ParseInt(hi, 10, 64)
		}
		if err != nil || a <= 0 || b < a || count > 0 && a <= last {
			return fmt.Errorf("invalid id ranges near %q", rest.Clip(part))
		}
		if b-a >= maxListedIDs-count {
			return fmt.Errorf("more than %d ids listed", maxListedIDs)
		}
		fn(a, b)
		count += b - a + 1
		last = b
	}
	return nil
}

// checkListings checks the counters and id listings of a watermark, naming
// the one that is damaged: a listing found only when the sync came to it
// failed the run after every deal had been read, under no name, and a
// negative counter (deal_history, lead_history, elapsed_id), which no sync
// writes, was taken as none and its scan skipped without a word.
func checkListings(wm Watermark) error {
	for _, c := range []struct {
		name string
		id   int64
	}{
		{"deal_history", wm.DealHistory}, {"lead_history", wm.LeadHistory}, {"elapsed_id", wm.ElapsedID},
	} {
		if c.id < 0 {
			return fmt.Errorf("watermark %s: %d is negative: no sync writes it", c.name, c.id)
		}
	}
	for _, l := range []struct{ name, ids string }{
		{"deal_ids", wm.DealIDs}, {"lead_ids", wm.LeadIDs}, {"activity_ids", wm.ActivityIDs}, {"elapsed_ids", wm.ElapsedIDs}, {"task_ids", wm.TaskIDs},
	} {
		if l.ids == "" {
			continue
		}
		if err := walkIDs(l.ids, func(int64, int64) {}); err != nil {
			return fmt.Errorf("watermark %s: %w", l.name, err)
		}
	}
	return nil
}

// retractItem retracts every event of a deal or lead.
func (s *syncer) retractItem(spec entitySpec, fn func(kpi.Event) error) func(int64) error {
	return func(id int64) error { return s.retractGone(spec, []int64{id}, fn) }
}
