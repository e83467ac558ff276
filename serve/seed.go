package serve

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/goalkit/goalkit/kpi"
)

// seedKey is the key of the tracker's first closed record of the versions
// Seed applied: their digests, sorted, one after the other. A start that
// applies more writes only theirs, in a record of its own keyed seedKey,
// a dot and its number (1, 2, …), so that what a start writes is as large
// as what it adds, not as the whole file (16 bytes a version: 160 MB for
// ten million). A digest is the version's with its attributes by their
// text (textOf); a record written before holds them with their types
// (versionOf), which a version matches too.
const seedKey = "goalkit.serve.seed"

// Seed applies events as Apply does, leaving out every version a Seed of
// the tracker's store applied before, even one the API has corrected or
// retracted since: the same event file given at every start changes
// nothing, and a version the file has newly is applied, whatever types
// the plan gives the attributes. The digests of the versions (16 bytes
// each, attributes by their text) are kept in the store, committed with
// the batch: those of the versions a call adds, in a record of their own,
// so that a start writes no more than what it adds. It returns the number of versions applied. A server that is a
// front of a scale-out (Config.Ingest) publishes every version, as Apply
// does.
func (s *Server) Seed(ctx context.Context, events []kpi.Event) (int, error) {
	if s.cfg.Ingest != nil {
		return s.Apply(ctx, events)
	}
	kt := s.tr.Indicators()
	s.ingest.Lock()
	seen, next, err := seedDigests(kt.Closed())
	if err != nil {
		s.ingest.Unlock()
		return 0, err
	}
	var todo []kpi.Event
	var added []digest
	has := func(d digest) bool {
		_, found := slices.BinarySearchFunc(seen, d, compareDigests)
		return found
	}
	for i := range events {
		// By the attributes' text: a plan that declares a type for an
		// attribute (pipeline: int) reads the file's "5" as 5, and a
		// version seeded before was applied again over what the API
		// corrected or retracted since.
		d := textOf(&events[i])
		if has(d) {
			continue
		}
		added = append(added, d)
		if !has(versionOf(&events[i])) { // seeded under a record of types
			todo = append(todo, events[i])
		}
	}
	var fresh []kpi.Event
	if len(added) > 0 {
		slices.SortFunc(added, compareDigests)
		added = slices.Compact(added)
		// Each version is known from the server's clock on, as a posted
		// batch's: a clock past the years a table keeps instants in
		// refused the file as if its first event were bad ("event 0:
		// event …: known 2300-… is outside the years").
		now := s.now()
		if err := versionYears(now); err != nil {
			s.ingest.Unlock()
			return 0, err
		}
		var vers map[string]digest
		fresh, vers = s.vers.fresh(todo, now)
		record := make([]byte, 0, len(added)*len(digest{}))
		for _, d := range added {
			record = append(record, d[:]...)
		}
		err = kt.Commit(ctx, &kpi.TrackBatch{Events: fresh, Closed: []kpi.TrackRecord{{Key: next, Data: record}}})
		if err == nil {
			s.vers.commit(vers)
		}
	}
	s.ingest.Unlock()
	return s.applied(len(events), fresh, err)
}

// seedDigests reads the records of the versions seeded before (seedKey and
// its numbered parts), sorted, and the key of the next part.
func seedDigests(closed map[string][]byte) ([]digest, string, error) {
	var ds []digest
	last := -1
	for key, record := range closed {
		n := 0
		if key != seedKey {
			num, ok := strings.CutPrefix(key, seedKey+".")
			if !ok {
				continue
			}
			var err error
			if n, err = strconv.Atoi(num); err != nil || n < 1 || strconv.Itoa(n) != num {
				return nil, "", fmt.Errorf("the record %s of the versions seeded before is not one of its parts (%s.1, %s.2, …)", key, seedKey, seedKey)
			}
		}
		last = max(last, n)
		if len(record)%len(digest{}) != 0 {
			return nil, "", fmt.Errorf("the record %s of the versions seeded before is damaged: %d bytes", key, len(record))
		}
		for ; len(record) > 0; record = record[len(digest{}):] {
			ds = append(ds, digest(record[:len(digest{})]))
		}
	}
	slices.SortFunc(ds, compareDigests)
	next := seedKey
	if last >= 0 {
		next = seedKey + "." + strconv.Itoa(last+1)
	}
	return slices.Compact(ds), next, nil
}

func compareDigests(a, b digest) int { return bytes.Compare(a[:], b[:]) }
