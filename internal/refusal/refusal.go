// Package refusal words a store's refusal of an event version: the stores
// of this module that code versions into internal/colstore tables
// (adapters/memory, and adapters/eventfile when it fills a memory store's
// table itself) refuse what the table refuses, in the words of
// kpi.Event.Validate where it has them.
package refusal

import (
	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/kpi"
)

// Words returns the error of a version the table refused with err: e's
// Validate error when e, with the attributes list in its Attrs when list
// is not nil, is invalid, else err.
func Words(e *kpi.Event, list []colstore.Attr, err error) error {
	v := *e
	if list != nil {
		v.Attrs = make(map[string]any, len(list))
		for _, a := range list {
			v.Attrs[a.Name] = a.Value
		}
	}
	if verr := v.Validate(); verr != nil {
		return verr
	}
	return err
}
