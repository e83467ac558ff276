package bitrix24

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// PageSize is the fixed number of rows a list method returns per call.
const PageSize = 50

// Paging is how a list is read.
type Paging uint8

const (
	// Keyset reads a list the way the docs recommend for large exports:
	// start=-1 (no row count), order by ID ascending, and a ">ID" filter on
	// the last ID seen, until a page has fewer than 50 rows. It is the default.
	Keyset Paging = iota
	// Offset reads a list with start=0, 50, 100… following the "next" the
	// portal returns, as long as it returns one.
	Offset
)

// String returns "keyset" or "offset".
func (p Paging) String() string {
	switch p {
	case Keyset:
		return "keyset"
	case Offset:
		return "offset"
	}
	return fmt.Sprintf("Paging(%d)", uint8(p))
}

// ListParams selects the rows of a CRM list method.
type ListParams struct {
	// Filter is the method's filter: field names with an optional operator
	// prefix (">=DATE_MODIFY", "@ID", "!STAGE_ID"), values as the API takes
	// them. Time values may be time.Time; they are sent as RFC 3339.
	Filter map[string]any
	// Select lists the fields to return; nil means the method's default set
	// (every standard field).
	Select []string
	// Paging is Keyset (the default) or Offset. Rows always come in ascending
	// ID order.
	Paging Paging
}

// listQuery is one list being read, page by page, directly or inside batches.
type listQuery struct {
	method    string
	base      map[string]any // parameters other than paging
	filterKey string         // "filter", or "" when the method takes no filter object
	member    string         // rows under result.<member>
	keyset    bool
	orderByID bool

	// began is the portal's clock when it answered the first page.
	began time.Time

	last  int64 // keyset: rows with a greater ID are next
	start int64 // offset: the next start
	pages int
	done  bool
}

func newListQuery(method, member string, base map[string]any, p ListParams) (*listQuery, error) {
	q := &listQuery{method: method, member: member, base: base, filterKey: "filter", keyset: p.Paging == Keyset, orderByID: true}
	if p.Paging != Keyset && p.Paging != Offset {
		return nil, fmt.Errorf("bitrix24: %s: unknown paging %d", method, p.Paging)
	}
	filter := make(map[string]any, len(p.Filter))
	for k, v := range p.Filter {
		filter[k] = jsonValue(v)
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

// request returns the parameters of the next page.
func (q *listQuery) request() map[string]any {
	m := make(map[string]any, len(q.base)+3)
	for k, v := range q.base {
		m[k] = v
	}
	if q.orderByID {
		m["order"] = map[string]any{"ID": "ASC"}
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
		m["start"] = -1
	} else {
		m["start"] = q.start
	}
	return m
}

// advance moves past a page of rows.
func (q *listQuery) advance(rows []json.RawMessage, next int64, hasNext bool) error {
	q.pages++
	if q.keyset {
		if len(rows) == 0 {
			q.done = true
			return nil
		}
		max := q.last
		for i, raw := range rows {
			f, err := newFields(raw)
			if err != nil {
				return &DecodeError{Method: q.method, Where: fmt.Sprintf("row %d", i), Err: err}
			}
			id := f.id("ID")
			if f.err != nil {
				return &DecodeError{Method: q.method, Where: fmt.Sprintf("row %d", i), Err: f.err}
			}
			if id > max {
				max = id
			}
		}
		if max <= q.last {
			return &DecodeError{Method: q.method, Err: fmt.Errorf("keyset paging did not get past ID %d", q.last)}
		}
		q.last = max
		q.done = len(rows) < PageSize
		return nil
	}
	if !hasNext {
		q.done = true
		return nil
	}
	if next <= q.start {
		return &DecodeError{Method: q.method, Err: fmt.Errorf("offset paging: next %d after start %d", next, q.start)}
	}
	q.start = next
	return nil
}

// list reads every page of q, calling fn with the rows of each.
func (c *Client) list(ctx context.Context, q *listQuery, fn func(rows []json.RawMessage) error) error {
	for !q.done {
		r, err := c.call(ctx, q.method, q.request())
		if err != nil {
			return err
		}
		if q.pages == 0 {
			q.began = r.start
		}
		rows, err := rowsOf(r.result, q.member)
		if err != nil {
			return &DecodeError{Method: q.method, Status: r.status, Where: "result", Err: err}
		}
		if err := fn(rows); err != nil {
			return err
		}
		if err := q.advance(rows, r.next, r.hasNext); err != nil {
			return err
		}
	}
	return nil
}

// listMany reads several lists at once: while more than one has pages left,
// their next pages go out together in one batch call (at most 50 commands).
// A command refused by a limit is repeated in a later batch after a backoff.
func (c *Client) listMany(ctx context.Context, qs []*listQuery, fn func(q *listQuery, rows []json.RawMessage) error) error {
	retry := 0
	for {
		var pending []*listQuery
		for _, q := range qs {
			if !q.done {
				pending = append(pending, q)
			}
		}
		switch len(pending) {
		case 0:
			return nil
		case 1:
			q := pending[0]
			return c.list(ctx, q, func(rows []json.RawMessage) error { return fn(q, rows) })
		}
		if len(pending) > MaxBatch {
			pending = pending[:MaxBatch]
		}
		cmds := make([]BatchCommand, len(pending))
		for i, q := range pending {
			cmds[i] = BatchCommand{Key: fmt.Sprintf("q%d", i), Method: q.method, Params: q.request()}
		}
		res, err := c.Batch(ctx, false, cmds)
		if err != nil {
			return err
		}
		var limited *APIError
		for i, q := range pending {
			key := cmds[i].Key
			if err := res.Err(key); err != nil {
				if ae, ok := err.(*APIError); ok && ae.retryable() {
					limited = ae
					continue
				}
				return err
			}
			rows, err := rowsOf(res.Results[key], q.member)
			if err != nil {
				return &DecodeError{Method: q.method, Where: "batch command " + key + " result", Err: err}
			}
			if err := fn(q, rows); err != nil {
				return err
			}
			next, hasNext := res.Next[key]
			if err := q.advance(rows, next, hasNext); err != nil {
				return err
			}
		}
		if limited == nil {
			retry = 0
		} else {
			if retry >= c.cfg.retries {
				return limited
			}
			d := c.delay(retry, limited.Method, limited.Code, 0)
			retry++
			c.cfg.log.Warn("bitrix24 retry", "method", limited.Method, "batch", true, "code", limited.Code, "retry", retry, "delay", d)
			if err := c.cfg.sleep(ctx, d); err != nil {
				return c.ctxErr(ctx, ctx, "batch", err)
			}
		}
	}
}

// mustJSON encodes a value known to be encodable.
func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage("null")
	}
	return b
}
