package bitrix24

import (
	"context"
	"encoding/json"

	"github.com/goalkit/goalkit/adapters/bitrix24/internal/rest"
)

// The REST layer's reads, for the tests of paging, batching, retries and
// decoding, which call them as methods the way the sync does inside.

var ErrHalted = errHalted

func (c *Client) Deals(ctx context.Context, p rest.ListParams) ([]rest.Deal, error) {
	q, err := rest.DealQuery(p)
	if err != nil {
		return nil, err
	}
	return collect[rest.Deal](ctx, c, q)
}

func (c *Client) Leads(ctx context.Context, p rest.ListParams) ([]rest.Lead, error) {
	q, err := rest.LeadQuery(p)
	if err != nil {
		return nil, err
	}
	return collect[rest.Lead](ctx, c, q)
}

func (c *Client) Activities(ctx context.Context, p rest.ListParams) ([]rest.Activity, error) {
	q, err := rest.ActivityQuery(p)
	if err != nil {
		return nil, err
	}
	return collect[rest.Activity](ctx, c, q)
}

func (c *Client) StageHistory(ctx context.Context, entityTypeID int, p rest.ListParams) ([]rest.StageHistoryRow, error) {
	q, err := rest.HistoryQuery(entityTypeID, p)
	if err != nil {
		return nil, err
	}
	return collect[rest.StageHistoryRow](ctx, c, q)
}

func (c *Client) Users(ctx context.Context, filter map[string]any) ([]rest.User, error) {
	return collect[rest.User](ctx, c, rest.UserQuery(filter))
}

func (c *Client) Departments(ctx context.Context) ([]rest.Department, error) {
	return collect[rest.Department](ctx, c, rest.DepartmentQuery())
}

func (c *Client) Statuses(ctx context.Context, entityID string) ([]rest.Status, error) {
	return c.statuses(ctx, entityID)
}

func (c *Client) Categories(ctx context.Context, entityTypeID int) ([]rest.Category, error) {
	return c.categories(ctx, entityTypeID)
}

// Currencies lists crm.currency.list, which is not paged.
func (c *Client) Currencies(ctx context.Context) ([]rest.Currency, error) {
	r, err := c.call(ctx, "crm.currency.list", map[string]any{"order": map[string]any{"sort": "asc"}})
	if err != nil {
		return nil, err
	}
	rows, err := rest.RowsOf(r.Result, "")
	if err != nil {
		return nil, &DecodeError{Method: "crm.currency.list", Status: r.Status, Where: "result", Err: err}
	}
	out, err := rest.DecodeRows[rest.Currency](rows, 0)
	if err != nil {
		return nil, decodeErr("crm.currency.list", 0, "", err)
	}
	return out, nil
}

// Call calls method with params and decodes the answer's result member into
// result, which may be nil.
func (c *Client) Call(ctx context.Context, method string, params map[string]any, result any) error {
	r, err := c.call(ctx, method, params)
	if err != nil {
		return err
	}
	if result == nil {
		return nil
	}
	if err := json.Unmarshal(r.Result, result); err != nil {
		return &DecodeError{Method: method, Status: r.Status, Where: "result", Err: err}
	}
	return nil
}

func (c *Client) Batch(ctx context.Context, halt bool, cmds []rest.BatchCommand) (*batchResult, error) {
	return c.batch(ctx, halt, cmds)
}
