package memory

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/internal/refusal"
	"github.com/goalkit/goalkit/kpi"
)

// ImportParts applies event versions added in parts, all or nothing: fn
// calls part to start each part, in order, and adds the part's versions,
// in order, with the add function part returns. Parts fill on goroutines
// of their own, one each, at once: each codes its versions into columns
// with dictionaries of its own, without the store's lock. When fn returns
// nil, after every part is done, the store takes the parts in the order
// they were started (the versions of the first, then those of the second,
// and so on), as if each version had been applied in turn: the parts'
// dictionaries are merged and each column is copied once, on GOMAXPROCS
// goroutines, into a column of exactly the size it needs. n is the number
// of versions a part expects (0: unknown), to size its columns.
//
// add refuses an invalid version with the error Import's add gives and
// keeps nothing of it; fn returns that error (or its own) to apply nothing.
// add copies what it keeps. Parts that together would take the store past
// kpi.MaxAttrNames or its event kinds (65,534) are refused whole, with
// the error of the first version, in the order of the parts, past the
// limit (Import's error for it). ctx is checked at the first version of
// each part, every few thousand versions after, and before the merge:
// once it is done, the add of a part refuses its first version with
// ctx's error, so a source cut into many small parts stops at once. As
// Import's, add works only while fn runs: called after, it keeps nothing
// and says so, as does the add of a part started after fn returned.
func (s *Store) ImportParts(ctx context.Context, fn func(part func(n int) func(*kpi.Event) error) error) error {
	return s.importChunks(ctx, func(chunk func(n int) *partFill) error {
		return fn(func(n int) func(*kpi.Event) error {
			p := chunk(n)
			return func(e *kpi.Event) error { return p.add(e, nil) }
		})
	})
}

// ImportColumnParts is ImportParts for versions whose attributes come by
// position, as the columns of a file hold them: the names given to part
// name the attributes of every version of the part, and add's values[k] is
// the value of names[k] (nil: the version has no such attribute); add does
// not read the version's Attrs. It spares a map of attributes per version,
// and gives the errors and the store ImportParts gives for the same
// versions with those attributes in their Attrs. names and values are not
// kept (the values are: they are immutable); values, the event and the
// bytes of its ID may be reused for the next version.
func (s *Store) ImportColumnParts(ctx context.Context, fn func(part func(n int, names []string) func(e *kpi.Event, values []any) error) error) error {
	return s.importChunks(ctx, func(chunk func(n int) *partFill) error {
		return fn(func(n int, names []string) func(*kpi.Event, []any) error {
			return chunk(n).byPosition(names)
		})
	})
}

// ImportColumns is Import for versions whose attributes come by position,
// as ImportColumnParts takes them: fn calls columns with the attribute
// names of the versions it adds next (n: about how many, 0 when unknown)
// and adds them in order with the function it returns; it may call
// columns again for versions with other names. Into an empty store the
// versions are applied as they come, on the calling goroutine, and
// dropped if fn fails or ctx is done when it returns (ctx is checked at
// the first version and every few thousand versions after, counted across
// the calls of columns); into a store that holds events each call of
// columns starts a part of ImportColumnParts. The store is locked while
// fn runs: fn must not call the store's methods.
func (s *Store) ImportColumns(ctx context.Context, fn func(columns func(n int, names []string) func(e *kpi.Event, values []any) error) error) error {
	return s.intoEmpty(ctx, func(t *colstore.Table) error {
		// ended and last are guarded by mu: columns called after fn
		// returned gives an add that refuses every version. Every other
		// add of columns writes the one table under open's lock, so that
		// adds of two calls on two goroutines at once (a misuse: the
		// versions come in order) take turns. A call of columns counts on
		// from the versions of the one before (last), so that ctx is
		// checked every few thousand versions however often fn calls it.
		var (
			mu    sync.Mutex
			ended bool
			open  window
			last  *partFill
		)
		defer func() {
			mu.Lock()
			defer mu.Unlock()
			ended = true
			open.end()
		}()
		return fn(func(n int, names []string) func(*kpi.Event, []any) error {
			mu.Lock()
			defer mu.Unlock()
			if ended {
				p := &partFill{ctx: ctx, c: t, open: &window{ended: true}}
				return p.byPosition(names)
			}
			p := &partFill{ctx: ctx, c: t, open: &open}
			open.mu.Lock()
			if n > 0 {
				t.Grow(n)
			}
			if last != nil {
				p.left = last.left
			}
			open.mu.Unlock()
			last = p
			return p.byPosition(names)
		})
	}, func() error { return s.ImportColumnParts(ctx, fn) })
}

// intoEmpty runs fill on the store's table, under the store's lock, when
// the store is empty, and empties the table again if fill fails or ctx is
// done when it returns; into a store that holds events it runs held
// instead.
func (s *Store) intoEmpty(ctx context.Context, fill func(*colstore.Table) error, held func() error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	t := colstore.Of(s.tab)
	if t.Live() != 0 || t.Dead() != 0 {
		s.mu.Unlock()
		return held()
	}
	defer s.mu.Unlock()
	err := fill(t)
	if err == nil {
		// fn went on past add's error with ctx's (a host that skips the
		// versions add refuses): the versions it dropped were not bad.
		err = ctx.Err()
	}
	if err != nil {
		*t = *colstore.New(t.Location())
	}
	return err
}

// byPosition is the add function of ImportColumnParts and ImportColumns:
// values[k] is the value of names[k]. Its list of attributes is the
// part's, written under the part's lock: two goroutines that call one
// part's add at once (a misuse: a part's versions come in order) take
// turns, each version whole, as add's.
func (p *partFill) byPosition(names []string) func(*kpi.Event, []any) error {
	names = slices.Clone(names)
	dup := duplicate(names)
	list := make([]colstore.Attr, len(names))
	return func(e *kpi.Event, values []any) error {
		if dup != "" {
			return fmt.Errorf("attribute %s named twice", display.QuoteID(dup))
		}
		if len(values) != len(names) {
			return fmt.Errorf("event %s: %d attribute values for %d names", display.QuoteID(e.ID), len(values), len(names))
		}
		p.open.mu.Lock()
		defer p.open.mu.Unlock()
		j := 0
		for k, v := range values {
			if v != nil {
				list[j] = colstore.Attr{Name: names[k], Value: v}
				j++
			}
		}
		return p.addLocked(e, list[:j])
	}
}

// duplicate returns a name that names holds twice, or "".
func duplicate(names []string) string {
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		if seen[n] {
			return n
		}
		seen[n] = true
	}
	return ""
}

// partFill fills the chunk of one part (or, for ImportColumns and
// ImportParallel, the store's empty table).
type partFill struct {
	ctx context.Context
	c   *colstore.Table
	// open is the import's function running: an add on a goroutine it
	// did not wait for either ends before the import does or is refused,
	// never writing into the chunk (or the table) as the import merges it
	// or ends. The fills of ImportColumns' calls of columns share one,
	// as they share the table.
	open *window
	// left is how many versions add takes before it looks at ctx again:
	// zero (a new part) looks at the first.
	left int
}

// add codes a version into the chunk: its attributes are e.Attrs or, when
// list is not nil (by position), list. The table reads e in place (a
// kpi.Event has a colstore.Version's fields): a copy of its fields into an
// Input, a tenth of a version's instructions, is spared.
func (p *partFill) add(e *kpi.Event, list []colstore.Attr) error {
	p.open.mu.Lock()
	defer p.open.mu.Unlock()
	return p.addLocked(e, list)
}

// addLocked is add with the part's lock held.
func (p *partFill) addLocked(e *kpi.Event, list []colstore.Attr) error {
	if p.open.ended {
		return errImportEnded
	}
	if p.left--; p.left < 0 {
		if err := p.ctx.Err(); err != nil {
			// left stays below zero, so the next add looks again: a
			// host that goes on past this error adds nothing more (and
			// a part made after ctx was done, with no chunk, never
			// reaches the chunk).
			return err
		}
		p.left = checkEvery - 1
	}
	if err := p.c.ApplyList((*colstore.Version)(e), list); err != nil {
		// The words of Validate, as Import gives them.
		return refusal.Words(e, list, err)
	}
	return nil
}

// importChunks runs fn with a function that starts a part's chunk, in
// order, and merges the chunks into the store when fn returns nil.
func (s *Store) importChunks(ctx context.Context, fn func(chunk func(n int) *partFill) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	loc := s.tab.Location()
	// chunks, fills and ended are guarded by mu: a part started after fn
	// returned (ended) is no chunk of the merge, and its add refuses
	// every version.
	var (
		mu     sync.Mutex
		chunks []*colstore.Table
		fills  []*partFill
		ended  bool
	)
	chunk := func(n int) *partFill {
		if ctx.Err() != nil {
			// A part started once ctx is done adds nothing (its add
			// refuses every version with ctx's error): no chunk, and
			// no part of the merge, which will not run.
			return &partFill{ctx: ctx, open: &window{}}
		}
		c := colstore.NewChunk(loc)
		if n > 0 {
			c.Grow(n)
		}
		p := &partFill{ctx: ctx, c: c, open: &window{}}
		mu.Lock()
		if p.open.ended = ended; !ended { // p is not shared yet
			chunks = append(chunks, c)
			fills = append(fills, p)
		}
		mu.Unlock()
		return p
	}
	err := fn(chunk)
	mu.Lock()
	ended = true
	for _, p := range fills {
		p.open.end()
	}
	mu.Unlock()
	if err != nil {
		return err
	}
	return s.merge(ctx, chunks)
}

// merge takes the filled chunks into the store, in order, unless ctx is
// done (a host's fn that went on past add's error with ctx's).
func (s *Store) merge(ctx context.Context, chunks []*colstore.Table) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return colstore.Of(s.tab).Merge(chunks, runtime.GOMAXPROCS(0))
}

// MaxParts is the most parts ImportParallel takes: it keeps a few words for
// each part from the start, so a count gone wrong (2^31) is refused before
// anything is allocated.
const MaxParts = 1 << 20

// checkEvery is how many versions a part's add takes between two looks
// at ctx. It looks at the first version of each part and then every
// checkEvery versions: once ctx is done, a part started after adds
// nothing, however few versions it has (its fn is still called, as a
// host's fn may wait for the other parts to start, but its add fails at
// once).
const checkEvery = 4096

// ImportParallel is ImportParts for a source cut into parts known ahead:
// fn is called for each of parts parts, on up to GOMAXPROCS goroutines at
// once, with the add function of that part; the store takes part 0's
// versions first, then part 1's, and so on. n is about how many versions
// all the parts hold (0: unknown), to size their columns. If any fn
// returns an error, nothing is applied and ImportParallel returns the
// error of the lowest part that failed.
//
// Into an empty store GOMAXPROCS goroutines (the calling one among them)
// take the parts in order: the part whose turn it is to join the store is
// applied in place, the others are coded into blocks of a few thousand
// versions, which join the store in order as soon as the parts before
// them are in, while later parts are still being filled; the store is
// locked meanwhile, so fn must not call its methods. Into a store that
// holds events every part is a chunk, merged when all are filled. A count
// of parts below zero or past MaxParts is an error; zero parts import
// nothing. A part's add works only while its fn runs, as Import's.
//
// ctx is checked at the first version of each part, every few thousand
// versions after, and at the end. Once it is done every part left is
// still called, so that a part's fn that waits for others never waits
// for good, but its add refuses its first version with ctx's error: a
// source cut into many small parts adds nothing more, and the import
// returns ctx's error (or a lower part's).
func (s *Store) ImportParallel(ctx context.Context, parts, n int, fn func(part int, add func(*kpi.Event) error) error) error {
	if parts < 0 {
		return fmt.Errorf("memory: import of %d parts", parts)
	}
	if parts > MaxParts {
		return fmt.Errorf("memory: import of %d parts (at most %d)", parts, MaxParts)
	}
	return s.intoEmpty(ctx, func(t *colstore.Table) error {
		return fillInOrder(ctx, t, parts, n, fn)
	}, func() error { return s.importAllParts(ctx, parts, n, fn) })
}

// importAllParts is ImportParallel with every part in a chunk. A part's
// add ends when its fn returns (not when every part's has), as into an
// empty store: an add kept by one part's fn and called from another's
// after it returned keeps nothing and says so. A part's chunk is made at
// its first version, once its add has found ctx not done: a part that
// adds nothing (empty, or started after a cancel) costs no chunk.
func (s *Store) importAllParts(ctx context.Context, parts, n int, fn func(part int, add func(*kpi.Event) error) error) error {
	loc := s.tab.Location()
	fills := make([]*partFill, parts)
	errs := make([]error, parts)
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for p := range parts {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			f := &partFill{ctx: ctx, open: &window{}}
			errs[p] = fn(p, func(e *kpi.Event) error {
				f.open.mu.Lock()
				defer f.open.mu.Unlock()
				// With ctx done, c stays nil: addLocked refuses
				// the version with ctx's error before it reads c.
				if f.c == nil && !f.open.ended && ctx.Err() == nil {
					f.c = colstore.NewChunk(loc)
					if k := n / parts; k > 0 {
						f.c.Grow(k)
					}
				}
				return f.addLocked(e, nil)
			})
			f.open.end()
			fills[p] = f
		}()
	}
	wg.Wait()
	var chunks []*colstore.Table
	for p, f := range fills {
		if errs[p] != nil {
			return errs[p]
		}
		if f.c != nil {
			chunks = append(chunks, f.c)
		}
	}
	return s.merge(ctx, chunks)
}
