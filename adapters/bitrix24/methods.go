package bitrix24

import (
	"context"
	"encoding/json"

	"github.com/goalkit/goalkit/adapters/bitrix24/internal/rest"
)

// collect reads every page of q and decodes its rows.
func collect[T rest.Row](ctx context.Context, c *Client, q *rest.ListQuery) ([]T, error) {
	var out []T
	err := c.list(ctx, q, func(rows []json.RawMessage) error {
		vs, err := decodeRows[T](q, rows, len(out))
		out = append(out, vs...)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// categories lists the pipelines (crm.category.list) of an entity type.
func (c *Client) categories(ctx context.Context, entityTypeID int) ([]rest.Category, error) {
	return collect[rest.Category](ctx, c, rest.CategoryQuery(entityTypeID))
}

// statuses lists a dictionary of crm.status.list ("STATUS", "DEAL_STAGE"…).
func (c *Client) statuses(ctx context.Context, entityID string) ([]rest.Status, error) {
	return collect[rest.Status](ctx, c, rest.StatusQuery(entityID))
}
