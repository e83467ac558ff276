package bitrix24

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/goalkit/goalkit/adapters/bitrix24/internal/rest"
)

// errHalted: a command of a batch did not run because an earlier command
// failed and the batch was sent with halt.
var errHalted = errors.New("bitrix24: batch halted before the command")

// batchResult is the answer of a batch call. Every command is either in
// Results, in Errors, or (after a halt) in neither; Err tells which.
type batchResult struct {
	// Results holds each successful command's "result" member.
	Results map[string]json.RawMessage
	// Errors holds each failed command's error.
	Errors map[string]*APIError
	// Total and Next hold the list commands' "total" and "next".
	Total map[string]int64
	Next  map[string]int64

	methods map[string]string
}

// Err returns nil if the command succeeded, its *APIError if it failed, and an
// error matching errHalted if it did not run.
func (r *batchResult) Err(key string) error {
	if e, ok := r.Errors[key]; ok {
		return e
	}
	if _, ok := r.Results[key]; ok {
		return nil
	}
	m, ok := r.methods[key]
	if !ok {
		return fmt.Errorf("bitrix24: batch: no command %q", key)
	}
	return fmt.Errorf("bitrix24: batch command %q (%s): not run: %w", key, m, errHalted)
}

// batch runs up to 50 commands in one HTTP request. With halt, the portal
// stops at the first failing command and the later ones do not run. The
// returned error is about the batch call itself; each command's outcome is in
// the batchResult. The portal answers HTTP 200 even when commands fail.
func (c *Client) batch(ctx context.Context, halt bool, cmds []rest.BatchCommand) (*batchResult, error) {
	if len(cmds) == 0 {
		return nil, errors.New("bitrix24: batch: no commands")
	}
	if len(cmds) > rest.MaxBatch {
		return nil, fmt.Errorf("bitrix24: batch: %d commands, at most %d: %w", len(cmds), rest.MaxBatch, ErrInvalidRequest)
	}
	cmd := make(rest.Commands, 0, len(cmds))
	methods := make(map[string]string, len(cmds))
	for _, bc := range cmds {
		if !rest.ValidKey(bc.Key) {
			return nil, fmt.Errorf("bitrix24: batch: invalid command key %q: %w", bc.Key, ErrInvalidRequest)
		}
		if _, dup := methods[bc.Key]; dup {
			return nil, fmt.Errorf("bitrix24: batch: duplicate command key %q: %w", bc.Key, ErrInvalidRequest)
		}
		if !validMethod(bc.Method) || strings.EqualFold(bc.Method, "batch") {
			return nil, fmt.Errorf("bitrix24: batch: command %q: invalid method %q: %w", bc.Key, bc.Method, ErrInvalidRequest)
		}
		q, err := rest.EncodeQuery(bc.Params)
		if err != nil {
			return nil, fmt.Errorf("bitrix24: batch: command %q: %w", bc.Key, err)
		}
		text := bc.Method
		if q != "" {
			text += "?" + q
		}
		cmd = append(cmd, [2]string{bc.Key, text})
		methods[bc.Key] = bc.Method
	}
	h := 0
	if halt {
		h = 1
	}
	r, err := c.call(ctx, "batch", map[string]any{"halt": h, "cmd": cmd})
	if err != nil {
		return nil, err
	}
	ans, err := rest.DecodeBatch(r.Result)
	if err != nil {
		return nil, &DecodeError{Method: "batch", Status: r.Status, Err: err}
	}
	res := &batchResult{Results: ans.Results, Errors: map[string]*APIError{}, Total: ans.Total, Next: ans.Next, methods: methods}
	for k, e := range ans.Errors {
		m := methods[k]
		if m == "" {
			m = "batch"
		}
		res.Errors[k] = &APIError{Method: m, Command: k, Code: c.redact(e.Code), Description: c.redact(e.Description)}
	}
	// Each command reports when its method's operating time resets, on
	// the portal's clock.
	for k, reset := range ans.Resets {
		if m := methods[k]; m != "" {
			reset = c.onClientClock(reset, r.Start)
			c.st.mu.Lock()
			c.st.reset[m] = reset
			c.st.mu.Unlock()
		}
	}
	return res, nil
}
