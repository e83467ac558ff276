package bitrix24

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/goalkit/goalkit/adapters/bitrix24/internal/rest"
)

// Paging is how a sync reads the portal's lists.
type Paging uint8

const (
	// Keyset reads a list the way the docs recommend for large exports:
	// start=-1 (no row count), order by ID ascending, and a ">ID" filter on
	// the last ID seen, until a page has fewer than 50 rows. It is the default.
	Keyset Paging = iota
	// Offset reads a list with start=0, 50, 100… following the "next" the
	// portal returns, as long as it returns one. A row deleted while it
	// pages moves every later row a place up, so the next page begins a
	// row late and that row is not read: in an incremental sync its
	// change is missed, and the watermark moves past it, until it changes
	// again or a full sync reads it (a listing of SyncOptions.Deletions
	// reads again by id the rows it lacks). Keyset paging has no such gap.
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

// decodeErr turns an error of the rest package into a *DecodeError of
// method; where names the part of the answer when the error does not.
func decodeErr(method string, status int, where string, err error) error {
	if m, ok := err.(*rest.Malformed); ok {
		if m.Where != "" {
			where = m.Where
		}
		err = m.Err
	}
	return &DecodeError{Method: method, Status: status, Where: where, Err: err}
}

// decodeRows decodes a page of q's rows, the first of which is row first of
// the list; an error is q's *DecodeError naming the row.
func decodeRows[T rest.Row](q *rest.ListQuery, rows []json.RawMessage, first int) ([]T, error) {
	vs, err := rest.DecodeRows[T](rows, first)
	if err != nil {
		return nil, decodeErr(q.Method, 0, "", err)
	}
	return vs, nil
}

// list reads every page of q, calling fn with the rows of each.
func (c *Client) list(ctx context.Context, q *rest.ListQuery, fn func(rows []json.RawMessage) error) error {
	for !q.Done {
		r, err := c.call(ctx, q.Method, q.Request())
		if err != nil {
			return err
		}
		if q.Pages() == 0 {
			q.Began = r.Start
		}
		rows, err := rest.RowsOf(r.Result, q.Member)
		if err != nil {
			return &DecodeError{Method: q.Method, Status: r.Status, Where: "result", Err: err}
		}
		if err := fn(rows); err != nil {
			return err
		}
		if err := q.Advance(rows, r.Next, r.HasNext); err != nil {
			return decodeErr(q.Method, 0, "", err)
		}
	}
	return nil
}

// listMany reads several lists at once: while more than one has pages left,
// their next pages go out together in one batch call (at most 50 commands).
// A command refused by a limit is repeated in a later batch after a backoff,
// unless the wait would run past ctx's deadline: the refusal is then
// returned at once, as a single call's is.
func (c *Client) listMany(ctx context.Context, qs []*rest.ListQuery, fn func(q *rest.ListQuery, rows []json.RawMessage) error) error {
	retry := 0
	for {
		var pending []*rest.ListQuery
		for _, q := range qs {
			if !q.Done {
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
		if len(pending) > rest.MaxBatch {
			pending = pending[:rest.MaxBatch]
		}
		cmds := make([]rest.BatchCommand, len(pending))
		for i, q := range pending {
			cmds[i] = rest.BatchCommand{Key: fmt.Sprintf("q%d", i), Method: q.Method, Params: q.Request()}
		}
		res, err := c.batch(ctx, false, cmds)
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
			rows, err := rest.RowsOf(res.Results[key], q.Member)
			if err != nil {
				return &DecodeError{Method: q.Method, Where: "batch command " + key + " result", Err: err}
			}
			if err := fn(q, rows); err != nil {
				return err
			}
			next, hasNext := res.Next[key]
			if err := q.Advance(rows, next, hasNext); err != nil {
				return decodeErr(q.Method, 0, "", err)
			}
		}
		if limited == nil {
			retry = 0
		} else {
			limited.wait = c.portalWait(limited.Method, limited.Code, 0)
			if retry >= c.cfg.retries {
				return limited
			}
			d := c.delay(retry, limited.wait)
			if outlasts(ctx, d) {
				// As a single call's refusal: at once, with the
				// portal's wait, not a sleep into the deadline.
				return limited
			}
			retry++
			c.cfg.log.Warn("bitrix24 retry", "method", limited.Method, "batch", true, "code", limited.Code, "retry", retry, "delay", d)
			if err := c.cfg.sleep(ctx, d); err != nil {
				return c.ctxErr(ctx, ctx, "batch", err)
			}
		}
	}
}
