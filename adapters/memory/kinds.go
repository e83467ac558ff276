package memory

import (
	"fmt"

	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/kpi"
)

// maxKinds is the most event kinds a table holds (internal/colstore codes
// a row's kind in 16 bits, two codes reserved): a version of one more kind
// is refused.
const maxKinds = 1<<16 - 2

// kindRoom checks versions, in order, against the room a table has for
// event kinds: Apply and Import refuse a version of a kind past it before
// the table applies anything, which then cannot fail.
type kindRoom struct {
	t     *colstore.Table
	added map[string]bool // kinds new to t so far
	last  string          // the kind of the version before (checked)
}

func newKindRoom(t *colstore.Table) *kindRoom {
	return &kindRoom{t: t, added: map[string]bool{}}
}

// check refuses e when its kind would take the table past maxKinds with
// the kinds of the versions checked before it (an invalid e with the words
// of Validate, as the table would refuse it).
func (r *kindRoom) check(e *kpi.Event) error {
	if e.Deleted || (e.Kind == r.last && r.last != "") || r.added[e.Kind] {
		return nil
	}
	r.last = e.Kind
	if _, ok := r.t.KindCode(e.Kind); ok {
		return nil
	}
	if len(r.t.Segs)+len(r.added) >= maxKinds {
		if err := e.Validate(); err != nil {
			return err
		}
		return fmt.Errorf("event %q: too many event kinds (at most %d)", e.ID, maxKinds)
	}
	r.added[e.Kind] = true
	return nil
}
