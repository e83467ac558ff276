package serve

import (
	"bytes"
	"context"
	"fmt"
	"slices"

	"github.com/goalkit/goalkit/kpi"
)

// seedKey is the key of the tracker's closed record of the versions Seed
// applied: their digests, sorted, one after the other. A digest is the
// version's with its attributes by their text (textOf); a record written
// before holds them with their types (versionOf), which a version matches
// too.
const seedKey = "goalkit.serve.seed"

// Seed applies events as Apply does, leaving out every version a Seed of
// the tracker's store applied before, even one the API has corrected or
// retracted since: the same event file given at every start changes
// nothing, and a version the file has newly is applied, whatever types
// the plan gives the attributes. The digests of the versions (16 bytes
// each, attributes by their text) are kept in the store, committed with
// the batch. It returns the number of versions applied. A server that is a
// front of a scale-out (Config.Ingest) publishes every version, as Apply
// does.
func (s *Server) Seed(ctx context.Context, events []kpi.Event) (int, error) {
	if s.cfg.Ingest != nil {
		return s.Apply(ctx, events)
	}
	kt := s.tr.Indicators()
	s.ingest.Lock()
	seen, err := seedDigests(kt.Closed()[seedKey])
	if err != nil {
		s.ingest.Unlock()
		return 0, err
	}
	var todo []kpi.Event
	all := slices.Clip(seen) // appended to apart from seen, which is searched
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
		all = append(all, d)
		if !has(versionOf(&events[i])) { // seeded under a record of types
			todo = append(todo, events[i])
		}
	}
	var fresh []kpi.Event
	if len(all) > len(seen) {
		slices.SortFunc(all, compareDigests)
		all = slices.Compact(all)
		var next map[string]digest
		fresh, next = s.vers.fresh(todo, s.now())
		record := make([]byte, 0, len(all)*len(digest{}))
		for _, d := range all {
			record = append(record, d[:]...)
		}
		err = kt.Commit(ctx, &kpi.TrackBatch{Events: fresh, Closed: []kpi.TrackRecord{{Key: seedKey, Data: record}}})
		if err == nil {
			s.vers.commit(next)
		}
	}
	s.ingest.Unlock()
	return s.applied(len(events), fresh, err)
}

// seedDigests reads the record of the versions seeded before.
func seedDigests(record []byte) ([]digest, error) {
	if len(record)%len(digest{}) != 0 {
		return nil, fmt.Errorf("the record %s of the versions seeded before is damaged: %d bytes", seedKey, len(record))
	}
	ds := make([]digest, 0, len(record)/len(digest{}))
	for len(record) > 0 {
		ds = append(ds, digest(record[:len(digest{})]))
		record = record[len(digest{}):]
	}
	return ds, nil
}

func compareDigests(a, b digest) int { return bytes.Compare(a[:], b[:]) }
