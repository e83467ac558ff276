package bitrix24

import (
	"context"
	"encoding/json"
	"fmt"
)

// The fields the client selects by default.
var (
	dealSelect     = []string{"*", "UF_*"}
	leadSelect     = []string{"*"}
	activitySelect = []string{"*"}
	historySelect  = map[int][]string{
		EntityDeal: {"ID", "TYPE_ID", "OWNER_ID", "CREATED_TIME", "CATEGORY_ID", "STAGE_SEMANTIC_ID", "STAGE_ID"},
		EntityLead: {"ID", "TYPE_ID", "OWNER_ID", "CREATED_TIME", "STATUS_SEMANTIC_ID", "STATUS_ID"},
	}
)

// Deals lists deals (crm.deal.list) in ascending ID order.
func (c *Client) Deals(ctx context.Context, p ListParams) ([]Deal, error) {
	q, err := dealQuery(p)
	if err != nil {
		return nil, err
	}
	return collect(ctx, c, q, decodeDeal)
}

// Leads lists leads (crm.lead.list) in ascending ID order.
func (c *Client) Leads(ctx context.Context, p ListParams) ([]Lead, error) {
	q, err := leadQuery(p)
	if err != nil {
		return nil, err
	}
	return collect(ctx, c, q, decodeLead)
}

// Activities lists activities (crm.activity.list) in ascending ID order.
func (c *Client) Activities(ctx context.Context, p ListParams) ([]Activity, error) {
	q, err := activityQuery(p)
	if err != nil {
		return nil, err
	}
	return collect(ctx, c, q, decodeActivity)
}

// StageHistory lists the stage history (crm.stagehistory.list) of an entity
// type (EntityDeal, EntityLead, or a smart process type id) in ascending ID
// order. The row ids may come as numbers or numeric strings; both are read.
func (c *Client) StageHistory(ctx context.Context, entityTypeID int, p ListParams) ([]StageHistoryRow, error) {
	q, err := historyQuery(entityTypeID, p)
	if err != nil {
		return nil, err
	}
	return collect(ctx, c, q, decodeHistory)
}

// Users lists users (user.get) with an optional filter, e.g.
// {"ACTIVE": true} or {"UF_DEPARTMENT": 5}. Without an ACTIVE filter the
// portal returns dismissed users too. Users come in ascending ID order, read
// with offset paging.
func (c *Client) Users(ctx context.Context, filter map[string]any) ([]User, error) {
	return collect(ctx, c, userQuery(filter), decodeUser)
}

// Departments lists every department (department.get).
func (c *Client) Departments(ctx context.Context) ([]Department, error) {
	return collect(ctx, c, departmentQuery(), decodeDepartment)
}

// Statuses lists a dictionary of crm.status.list: "DEAL_STAGE" (the default
// pipeline's stages), "DEAL_STAGE_<id>" (another pipeline's), "STATUS" (lead
// statuses), "SOURCE", "DEAL_TYPE"…
func (c *Client) Statuses(ctx context.Context, entityID string) ([]Status, error) {
	return collect(ctx, c, statusQuery(entityID), decodeStatus)
}

// Categories lists the pipelines (crm.category.list) of an entity type, e.g.
// EntityDeal.
func (c *Client) Categories(ctx context.Context, entityTypeID int) ([]Category, error) {
	return collect(ctx, c, categoryQuery(entityTypeID), decodeCategory)
}

// Currencies lists the portal's currencies (crm.currency.list, not paged).
func (c *Client) Currencies(ctx context.Context) ([]Currency, error) {
	r, err := c.call(ctx, "crm.currency.list", map[string]any{"order": map[string]any{"sort": "asc"}})
	if err != nil {
		return nil, err
	}
	rows, err := rowsOf(r.result, "")
	if err != nil {
		return nil, &DecodeError{Method: "crm.currency.list", Status: r.status, Where: "result", Err: err}
	}
	return decodeRows("crm.currency.list", rows, 0, decodeCurrency)
}

func dealQuery(p ListParams) (*listQuery, error) {
	if p.Select == nil {
		p.Select = dealSelect
	}
	return newListQuery("crm.deal.list", "", map[string]any{}, p)
}

func leadQuery(p ListParams) (*listQuery, error) {
	if p.Select == nil {
		p.Select = leadSelect
	}
	return newListQuery("crm.lead.list", "", map[string]any{}, p)
}

func activityQuery(p ListParams) (*listQuery, error) {
	if p.Select == nil {
		p.Select = activitySelect
	}
	return newListQuery("crm.activity.list", "", map[string]any{}, p)
}

func historyQuery(entityTypeID int, p ListParams) (*listQuery, error) {
	if entityTypeID <= 0 {
		return nil, fmt.Errorf("bitrix24: crm.stagehistory.list: invalid entity type %d", entityTypeID)
	}
	if p.Select == nil {
		p.Select = historySelect[entityTypeID]
	}
	return newListQuery("crm.stagehistory.list", "items", map[string]any{"entityTypeId": entityTypeID}, p)
}

func userQuery(filter map[string]any) *listQuery {
	base := map[string]any{}
	if len(filter) > 0 {
		f := make(map[string]any, len(filter))
		for k, v := range filter {
			f[k] = jsonValue(v)
		}
		base["FILTER"] = f
	}
	return &listQuery{method: "user.get", base: base}
}

func departmentQuery() *listQuery {
	return &listQuery{method: "department.get", base: map[string]any{}}
}

func statusQuery(entityID string) *listQuery {
	return &listQuery{method: "crm.status.list", base: map[string]any{
		"filter": map[string]any{"ENTITY_ID": entityID},
		"order":  map[string]any{"SORT": "ASC"},
	}}
}

func categoryQuery(entityTypeID int) *listQuery {
	return &listQuery{method: "crm.category.list", member: "categories", base: map[string]any{"entityTypeId": entityTypeID}}
}

// collect reads every page of q and decodes its rows.
func collect[T any](ctx context.Context, c *Client, q *listQuery, one func(*fields) T) ([]T, error) {
	var out []T
	err := c.list(ctx, q, func(rows []json.RawMessage) error {
		vs, err := decodeRows(q.method, rows, len(out), one)
		out = append(out, vs...)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
