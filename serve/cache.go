package serve

import (
	"context"
	"sync"
	"time"

	"github.com/goalkit/goalkit"
)

// reportCache keeps the tracker's last reports by instant, until the next
// change: reads at the same instant (the API's default instant is now to
// the second) share one evaluation. Reports are read-only once made.
type reportCache struct {
	mu sync.Mutex
	m  map[cacheKey]*cacheEntry
}

type cacheKey struct{ asOf, knownAt int64 }

type cacheEntry struct {
	once sync.Once
	rep  *goalkit.Report
	err  error
}

// maxCached bounds the cache; past it, it starts afresh.
const maxCached = 64

func (c *reportCache) clear() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}

// get returns the report as of asOf (as known at knownAt, unless zero),
// making it with make once per key.
func (c *reportCache) get(asOf, knownAt time.Time, make func() (*goalkit.Report, error)) (*goalkit.Report, error) {
	k := cacheKey{asOf.UnixNano(), 0}
	if !knownAt.IsZero() {
		k.knownAt = knownAt.UnixNano()
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxCached {
		c.m = map[cacheKey]*cacheEntry{}
	}
	e := c.m[k]
	if e == nil {
		e = &cacheEntry{}
		c.m[k] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { e.rep, e.err = make() })
	if e.err != nil {
		c.mu.Lock()
		if c.m[k] == e {
			delete(c.m, k)
		}
		c.mu.Unlock()
	}
	return e.rep, e.err
}

// report returns the tracker's report as of asOf (as known at knownAt,
// unless zero), whole: callers cut it to a scope.
func (s *Server) report(ctx context.Context, asOf, knownAt time.Time) (*goalkit.Report, error) {
	return s.cache.get(asOf, knownAt, func() (*goalkit.Report, error) {
		// The evaluation belongs to every reader of the entry, not to the
		// first one's request.
		ctx := context.WithoutCancel(ctx)
		if !knownAt.IsZero() {
			if asOf.Equal(knownAt) {
				return s.tr.AsKnownAt(ctx, knownAt)
			}
			return nil, errKnownAtAsOf
		}
		return s.tr.Report(ctx, asOf)
	})
}
