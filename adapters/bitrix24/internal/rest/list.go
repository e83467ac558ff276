package rest

import (
	"encoding/json"
	"fmt"
	"time"
)

// PageSize is the fixed number of rows a list method returns per call.
const PageSize = 50

// ListParams selects the rows of a CRM list method.
type ListParams struct {
	// Filter is the method's filter: field names with an optional operator
	// prefix (">=DATE_MODIFY", "@ID", "!STAGE_ID"), values as the API takes
	// them. Time values may be time.Time; they are sent as RFC 3339.
	Filter map[string]any
	// Select lists the fields to return; nil means the method's default set
	// (every standard field).
	Select []string
	// Offset reads the list with start=0, 50, 100… following the "next" the
	// portal returns, as long as it returns one. Otherwise (the default) the
	// list is read the way the docs recommend for large exports: start=-1
	// (no row count), order by ID ascending, and a ">ID" filter on the last
	// ID seen, until a page has fewer than 50 rows. Rows always come in
	// ascending ID order.
	Offset bool
}

// ListQuery is one list being read, page by page, directly or inside
// batches: Request gives the parameters of the next page, Advance moves past
// the page's rows, until Done.
type ListQuery struct {
	Method string // the list method
	Member string // rows under result.<member>; "" for result itself
	// Began is the portal's clock when it answered the first page; the
	// reader of the list sets it.
	Began time.Time
	// Done is set when the list has no more pages.
	Done bool

	base      map[string]any // parameters other than paging
	filterKey string         // "filter", or "" when the method takes no filter object
	orderKey  string         // "order" unless the method names it otherwise ("ORDER")
	// sortKey, when set, is the parameter that names the field to order
	// by, the direction going alone in orderKey (user.get's "sort": "ID",
	// "order": "ASC"), instead of an object {"ID": "ASC"}.
	sortKey string
	// nav pages with PARAMS.NAV_PARAMS (page 1 of 50 rows, the keyset filter
	// moving on) instead of start=-1.
	nav    bool
	keyset bool
	// idKey is the member of a row's id, for keyset paging: "ID", or
	// tasks.task.list's "id".
	idKey     string
	orderByID bool
	last      int64 // keyset: rows with a greater ID are next
	start     int64 // offset: the next start
	pages     int
	rows      int // rows of the pages read so far
}

// ByOffset reports whether the list is read by offset (start, next), where
// a row deleted while it pages moves the later ones up and one is skipped.
func (q *ListQuery) ByOffset() bool { return !q.keyset }

// Pages is the number of pages read so far.
func (q *ListQuery) Pages() int { return q.pages }

// Rows is the number of rows of the pages read so far (passed to Advance):
// the place in the list of the first row of the next page.
func (q *ListQuery) Rows() int { return q.rows }

func newListQuery(method, member string, base map[string]any, p ListParams) (*ListQuery, error) {
	q := &ListQuery{Method: method, Member: member, base: base, filterKey: "filter", keyset: !p.Offset, orderByID: true}
	filter := make(map[string]any, len(p.Filter))
	for k, v := range p.Filter {
		filter[k] = JSONValue(v)
	}
	if q.keyset {
		// Fold a caller's lower bound on ID into the keyset position.
		for _, k := range []string{">ID", ">=ID"} {
			v, ok := filter[k]
			if !ok {
				continue
			}
			n, err := intOf(mustJSON(v))
			if err != nil {
				return nil, fmt.Errorf("bitrix24: %s: filter %s: %w", method, k, err)
			}
			if k == ">=ID" {
				n--
			}
			if n > q.last {
				q.last = n
			}
			delete(filter, k)
		}
	}
	if len(filter) > 0 || q.keyset {
		base["filter"] = filter
	}
	if p.Select != nil {
		base["select"] = p.Select
	}
	return q, nil
}

// Request returns the parameters of the next page.
func (q *ListQuery) Request() map[string]any {
	m := make(map[string]any, len(q.base)+3)
	for k, v := range q.base {
		m[k] = v
	}
	if q.orderByID {
		key := q.orderKey
		if key == "" {
			key = "order"
		}
		if q.sortKey != "" {
			m[q.sortKey], m[key] = "ID", "ASC"
		} else {
			m[key] = map[string]any{"ID": "ASC"}
		}
	}
	if q.keyset {
		f := map[string]any{}
		if old, ok := m[q.filterKey].(map[string]any); ok {
			for k, v := range old {
				f[k] = v
			}
		}
		f[">ID"] = q.last
		m[q.filterKey] = f
		if q.nav {
			m["PARAMS"] = map[string]any{"NAV_PARAMS": map[string]any{"nPageSize": PageSize, "iNumPage": 1}}
		} else {
			m["start"] = -1
		}
	} else {
		m["start"] = q.start
	}
	return m
}

// Advance moves past a page of rows, given the page's "next". Its error is
// a *Malformed.
func (q *ListQuery) Advance(rows []json.RawMessage, next int64, hasNext bool) error {
	q.pages++
	q.rows += len(rows)
	if q.keyset {
		if len(rows) == 0 {
			q.Done = true
			return nil
		}
		max := q.last
		for i, raw := range rows {
			f, err := newFields(raw)
			if err != nil {
				return &Malformed{Where: fmt.Sprintf("row %d", i), Err: err}
			}
			key := q.idKey
			if key == "" {
				key = "ID"
			}
			id := f.id(key)
			if f.err != nil {
				return &Malformed{Where: fmt.Sprintf("row %d", i), Err: f.err}
			}
			if id > max {
				max = id
			}
		}
		if max <= q.last {
			return &Malformed{Err: fmt.Errorf("keyset paging did not get past ID %d", q.last)}
		}
		q.last = max
		q.Done = len(rows) < PageSize
		return nil
	}
	if !hasNext {
		q.Done = true
		return nil
	}
	if next <= q.start {
		return &Malformed{Err: fmt.Errorf("offset paging: next %d after start %d", next, q.start)}
	}
	q.start = next
	return nil
}

// mustJSON encodes a value known to be encodable.
func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage("null")
	}
	return b
}

// The fields the lists select by default.
var (
	dealSelect     = []string{"*", "UF_*"}
	leadSelect     = []string{"*"}
	activitySelect = []string{"*"}
)

func historySelect(entityTypeID int) []string {
	switch entityTypeID {
	case EntityDeal:
		return []string{"ID", "TYPE_ID", "OWNER_ID", "CREATED_TIME", "CATEGORY_ID", "STAGE_SEMANTIC_ID", "STAGE_ID"}
	case EntityLead:
		return []string{"ID", "TYPE_ID", "OWNER_ID", "CREATED_TIME", "STATUS_SEMANTIC_ID", "STATUS_ID"}
	}
	return nil
}

// DealQuery lists deals (crm.deal.list).
func DealQuery(p ListParams) (*ListQuery, error) {
	if p.Select == nil {
		p.Select = dealSelect
	}
	return newListQuery("crm.deal.list", "", map[string]any{}, p)
}

// LeadQuery lists leads (crm.lead.list).
func LeadQuery(p ListParams) (*ListQuery, error) {
	if p.Select == nil {
		p.Select = leadSelect
	}
	return newListQuery("crm.lead.list", "", map[string]any{}, p)
}

// ActivityQuery lists activities (crm.activity.list).
func ActivityQuery(p ListParams) (*ListQuery, error) {
	if p.Select == nil {
		p.Select = activitySelect
	}
	return newListQuery("crm.activity.list", "", map[string]any{}, p)
}

// HistoryQuery lists the stage history (crm.stagehistory.list) of an entity
// type (EntityDeal, EntityLead, or a smart process type id). The row ids may
// come as numbers or numeric strings; both are read.
func HistoryQuery(entityTypeID int, p ListParams) (*ListQuery, error) {
	if entityTypeID <= 0 {
		return nil, fmt.Errorf("bitrix24: crm.stagehistory.list: invalid entity type %d", entityTypeID)
	}
	if p.Select == nil {
		p.Select = historySelect(entityTypeID)
	}
	return newListQuery("crm.stagehistory.list", "items", map[string]any{"entityTypeId": entityTypeID}, p)
}

// UserQuery lists users (user.get) with an optional filter, e.g.
// {"ACTIVE": true} or {"UF_DEPARTMENT": 5}. Without an ACTIVE filter the
// portal returns dismissed users too. Users are read by keyset, as the
// method's reference page (api-reference/user/user-get.md) recommends for
// large exports: start=-1, sort "ID" and order "ASC", and a ">ID" on the
// last ID seen in FILTER, whose keys take the operator prefixes; so a user
// deleted (or added) while the list pages hides no other.
func UserQuery(filter map[string]any) *ListQuery {
	base := map[string]any{"FILTER": jsonValues(filter)}
	return &ListQuery{Method: "user.get", base: base, filterKey: "FILTER", keyset: true, orderByID: true, sortKey: "sort"}
}

// DepartmentQuery lists every department (department.get). It pages on
// start, as every list method does (api-reference/how-to-call-rest-api/
// list-methods-pecularities.md, which department.get's page links for its
// START), not on the START that department.get's page
// (api-reference/departments/department-get.md) writes: the portal takes
// the offset from start before the method reads its parameters, and the
// fixtures' recorded department.get request is {"start": 0}. A portal that
// ignored the offset would answer the first page again with the same
// next, which Advance refuses. Unlike user.get, it is read by offset: its
// filter takes a department's exact ID, NAME, SORT, PARENT and UF_HEAD
// alone, with no operator prefixes to write ">ID", so a department deleted
// while it pages moves the later ones up and one of them is not read (a
// portal's departments rarely pass one page of 50).
func DepartmentQuery() *ListQuery {
	return &ListQuery{Method: "department.get", base: map[string]any{}}
}

// StatusQuery lists a dictionary of crm.status.list: "DEAL_STAGE" (the
// default pipeline's stages), "DEAL_STAGE_<id>" (another pipeline's),
// "STATUS" (lead statuses), "SOURCE", "DEAL_TYPE"…
func StatusQuery(entityID string) *ListQuery {
	return &ListQuery{Method: "crm.status.list", base: map[string]any{
		"filter": map[string]any{"ENTITY_ID": entityID},
		"order":  map[string]any{"SORT": "ASC"},
	}}
}

// CategoryQuery lists the pipelines (crm.category.list) of an entity type,
// e.g. EntityDeal.
func CategoryQuery(entityTypeID int) *ListQuery {
	return &ListQuery{Method: "crm.category.list", Member: "categories", base: map[string]any{"entityTypeId": entityTypeID}}
}

// jsonValues is a filter with its values as the API takes them (JSONValue).
func jsonValues(filter map[string]any) map[string]any {
	f := make(map[string]any, len(filter))
	for k, v := range filter {
		f[k] = JSONValue(v)
	}
	return f
}
