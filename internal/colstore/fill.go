package colstore

import "context"

// FillEmpty, set by adapters/memory, runs fill with the table of store
// when store is a memory store that holds no event, under the store's
// lock, and empties the table again if fill fails; for any other store,
// or one that holds events, it reports false and does not call fill. It
// lets a reader of this module (adapters/eventfile) stitch a file's
// blocks into a memory store's table as they are coded, without an API
// that would name this package.
var FillEmpty func(ctx context.Context, store any, fill func(*Table) error) (bool, error)

// ApplyList is Apply of the version e with the attributes of list instead
// of e.Attrs when list is not nil, without copying e into an Input: the
// path of a store that fills a table (or a chunk) with versions it does
// not keep.
func (t *Table) ApplyList(e *Version, list []Attr) error {
	return t.apply(e, &how{list: list}, nil)
}
