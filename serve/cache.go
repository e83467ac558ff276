package serve

import (
	"bytes"
	"context"
	"strconv"
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

// cacheKey is a report's instant and, when known is set, the instant it
// is known at (the Unix epoch included).
type cacheKey struct {
	asOf, knownAt instantKey
	known         bool
}

// instantKey is an instant whatever its zone: its Unix seconds and its
// nanoseconds, which, unlike UnixNano, do not wrap outside the years
// 1678-2262 and make two far instants one key.
type instantKey struct {
	sec  int64
	nsec int
}

func keyOf(t time.Time) instantKey { return instantKey{sec: t.Unix(), nsec: t.Nanosecond()} }

type cacheEntry struct {
	once  sync.Once
	rep   *goalkit.Report
	err   error
	views sync.Map // viewKey → *viewEntry: the report's JSON as a scope sees it
}

// viewEntry is the JSON of a report as one scope sees it, made once.
type viewEntry struct {
	once sync.Once
	js   []byte
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
	e := c.entry(asOf, knownAt, make)
	return e.rep, e.err
}

// entry returns the cache entry of the report as of asOf, made.
func (c *reportCache) entry(asOf, knownAt time.Time, make func() (*goalkit.Report, error)) *cacheEntry {
	k := cacheKey{asOf: keyOf(asOf)}
	if !knownAt.IsZero() {
		k.knownAt, k.known = keyOf(knownAt), true
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
	return e
}

// viewKey identifies a scope: the identity's viewer and teams (the role
// does not change what one sees).
func viewKey(id Identity) string {
	// Quoted, so that no user or team name (a host's authenticator may
	// give any) can make two scopes one key.
	k := strconv.FormatBool(id.Viewer.Admin) + " " + strconv.Quote(id.Viewer.User)
	for _, t := range id.Teams {
		k += " " + strconv.Quote(t)
	}
	return k
}

// viewedJSON returns the JSON of the report as of asOf (as known at
// knownAt, unless zero) as the identity may see it, written once per scope
// and report: the readers of a busy dashboard share it.
func (s *Server) viewedJSON(ctx context.Context, id Identity, asOf, knownAt time.Time) ([]byte, error) {
	e := s.cache.entry(asOf, knownAt, s.maker(ctx, asOf, knownAt))
	if e.err != nil {
		return nil, e.err
	}
	v, _ := e.views.LoadOrStore(viewKey(id), &viewEntry{})
	ve := v.(*viewEntry)
	ve.once.Do(func() {
		var buf bytes.Buffer
		ve.err = s.scopeOf(id, asOf).report(e.rep, s.cfg.PublicStandings).WriteJSON(&buf)
		ve.js = buf.Bytes()
	})
	return ve.js, ve.err
}

// report returns the tracker's report as of asOf (as known at knownAt,
// unless zero), whole: callers cut it to a scope.
func (s *Server) report(ctx context.Context, asOf, knownAt time.Time) (*goalkit.Report, error) {
	return s.cache.get(asOf, knownAt, s.maker(ctx, asOf, knownAt))
}

// maker returns the function that makes the tracker's report as of asOf.
func (s *Server) maker(ctx context.Context, asOf, knownAt time.Time) func() (*goalkit.Report, error) {
	return func() (*goalkit.Report, error) {
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
	}
}
