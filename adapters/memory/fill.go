package memory

import (
	"context"

	"github.com/goalkit/goalkit/internal/colstore"
)

func init() { colstore.FillEmpty = fillEmpty }

// fillEmpty is colstore.FillEmpty for a *Store.
func fillEmpty(ctx context.Context, store any, fill func(*colstore.Table) error) (bool, error) {
	s, ok := store.(*Store)
	if !ok {
		return false, nil
	}
	filled := true
	err := s.intoEmpty(ctx, fill, func() error {
		filled = false
		return nil
	})
	return filled, err
}
