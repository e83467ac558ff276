package mapping

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/goalkit/goalkit/adapters/eventfile"
	"github.com/goalkit/goalkit/kpi"
)

// Options says how to load a table.
type Options struct {
	// Complete declares that the table holds every row there is: events of
	// the mapping that no row makes any more (their row was deleted from
	// the table) are retracted too. It reads dst, which must then be a
	// kpi.Source as well, for the events of the mapping's kinds whose ids
	// start with a rule's id prefix, before the load's one Import; events
	// added by another writer between the two are not retracted. Nor are
	// the events of a rule since renamed (its id or kind, or the mapping's
	// id_prefix): a complete load of the old mapping over the table's
	// header alone retracts them.
	//
	// Without it, a load retracts only what the rows it reads no longer
	// give: a rule whose when turned false.
	Complete bool
}

// maxErrors is how many bad rows a load reports; the rest are counted.
const maxErrors = 20

// load runs read inside one Import of dst: read calls the proc for every
// row, and the load applies all of its versions or none.
func (m *Mapper) load(ctx context.Context, dst eventfile.Store, name string, opt Options, read func(p *proc) error) error {
	if dst == nil {
		return fmt.Errorf("mapping: %s: no Store to load into", name)
	}
	var existing map[string]struct{}
	if opt.Complete {
		var err error
		if existing, err = m.owned(ctx, dst); err != nil {
			return err
		}
	}
	return dst.Import(ctx, func(add func(*kpi.Event) error) error {
		p := m.newProc(name, add, existing)
		if err := read(p); err != nil {
			return err
		}
		return p.finish()
	})
}

// once is read of a load (of call, a table called name) that refuses to
// run again: a table is read as it is imported, so a store that runs the
// import's function again (a transaction it retries) would get the rest
// of a table already read, and fail with an error that says nothing of
// why ("missing header row", "sql: Rows are closed"). LoadDB, which runs
// its query inside the function, reads its table again instead.
func once(call, name string, read func(p *proc) error) func(p *proc) error {
	var ran atomic.Bool
	return func(p *proc) error {
		if ran.Swap(true) {
			return fmt.Errorf("mapping.%s: %s: the store ran the import's function again, but the table is read once, as it is imported: a store that retries its transaction must call %s again", call, name, call)
		}
		return read(p)
	}
}

// owned returns the ids of the events in dst that the mapping's rules
// make: of a rule's kind, with an id that starts with its prefix.
func (m *Mapper) owned(ctx context.Context, dst eventfile.Store) (map[string]struct{}, error) {
	src, ok := dst.(kpi.Source)
	if !ok {
		return nil, errors.New("mapping: a complete load needs a store that is a kpi.Source too, to find the events to retract")
	}
	ids := map[string]struct{}{}
	err := src.Scan(ctx, kpi.Query{Kinds: m.kinds}, func(e *kpi.Event) error {
		for i := range m.rules {
			r := &m.rules[i]
			if e.Kind == r.kind && len(e.ID) > len(r.idPrefix) && strings.HasPrefix(e.ID, r.idPrefix) {
				ids[strings.Clone(e.ID)] = struct{}{}
				break
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("mapping: reading the store's events: %w", err)
	}
	return ids, nil
}

// badRows collects the first maxErrors bad rows of a load, in row order,
// and counts the rest.
type badRows struct {
	errs []*eventfile.Error
	n    int
}

func (b *badRows) add(e *eventfile.Error) {
	b.n++
	if len(b.errs) < maxErrors {
		b.errs = append(b.errs, e)
	}
}

// err is the error of a load with bad rows, or nil: one *eventfile.Error,
// or several joined with errors.Join and then "and N more bad rows".
func (b *badRows) err() error {
	switch b.n {
	case 0:
		return nil
	case 1:
		return b.errs[0]
	}
	errs := make([]error, 0, len(b.errs)+1)
	for _, e := range b.errs {
		errs = append(errs, e)
	}
	switch more := b.n - len(b.errs); {
	case more == 1:
		errs = append(errs, errors.New("and 1 more bad row"))
	case more > 1:
		errs = append(errs, fmt.Errorf("and %d more bad rows", more))
	}
	return errors.Join(errs...)
}
