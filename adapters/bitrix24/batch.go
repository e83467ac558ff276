package bitrix24

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// MaxBatch is the most commands one batch call may carry.
const MaxBatch = 50

// BatchCommand is one call inside a batch.
type BatchCommand struct {
	// Key names the command in the answer: letters, digits, '_' and '-'.
	Key string
	// Method is the REST method, e.g. "crm.deal.list"; never "batch".
	Method string
	// Params are the method's parameters, sent as a PHP-style query string
	// (filter[>=DATE_MODIFY]=…).
	Params map[string]any
}

// BatchResult is the answer of a batch call. Every command is either in
// Results, in Errors, or (after a halt) in neither; Err tells which.
type BatchResult struct {
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
// error matching ErrHalted if it did not run.
func (r *BatchResult) Err(key string) error {
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
	return fmt.Errorf("bitrix24: batch command %q (%s): not run: %w", key, m, ErrHalted)
}

// Batch runs up to 50 commands in one HTTP request. With halt, the portal
// stops at the first failing command and the later ones do not run. The
// returned error is about the batch call itself; each command's outcome is in
// the BatchResult. The portal answers HTTP 200 even when commands fail.
func (c *Client) Batch(ctx context.Context, halt bool, cmds []BatchCommand) (*BatchResult, error) {
	if len(cmds) == 0 {
		return nil, errors.New("bitrix24: batch: no commands")
	}
	if len(cmds) > MaxBatch {
		return nil, fmt.Errorf("bitrix24: batch: %d commands, at most %d: %w", len(cmds), MaxBatch, ErrInvalidRequest)
	}
	cmd := make(orderedStrings, 0, len(cmds))
	methods := make(map[string]string, len(cmds))
	for _, bc := range cmds {
		if !validKey(bc.Key) {
			return nil, fmt.Errorf("bitrix24: batch: invalid command key %q: %w", bc.Key, ErrInvalidRequest)
		}
		if _, dup := methods[bc.Key]; dup {
			return nil, fmt.Errorf("bitrix24: batch: duplicate command key %q: %w", bc.Key, ErrInvalidRequest)
		}
		if !validMethod(bc.Method) || strings.EqualFold(bc.Method, "batch") {
			return nil, fmt.Errorf("bitrix24: batch: command %q: invalid method %q: %w", bc.Key, bc.Method, ErrInvalidRequest)
		}
		q, err := encodeQuery(bc.Params)
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
	res, err := c.decodeBatch(r.result, methods)
	if err != nil {
		return nil, &DecodeError{Method: "batch", Status: r.status, Err: err}
	}
	return res, nil
}

// decodeBatch decodes the result member of a batch answer. Each of its five
// maps may come as [] when empty.
func (c *Client) decodeBatch(raw json.RawMessage, methods map[string]string) (*BatchResult, error) {
	top, err := objectOrEmpty(raw)
	if err != nil {
		return nil, fmt.Errorf("result: %w", err)
	}
	res := &BatchResult{
		Results: map[string]json.RawMessage{},
		Errors:  map[string]*APIError{},
		Total:   map[string]int64{},
		Next:    map[string]int64{},
		methods: methods,
	}
	part := func(name string) (map[string]json.RawMessage, error) {
		m, err := objectOrEmpty(top[name])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return m, nil
	}
	results, err := part("result")
	if err != nil {
		return nil, err
	}
	for k, v := range results {
		res.Results[k] = v
	}
	errs, err := part("result_error")
	if err != nil {
		return nil, err
	}
	for k, v := range errs {
		f, err := newFields(v)
		if err != nil {
			return nil, fmt.Errorf("result_error[%q]: %w", k, err)
		}
		code, desc := f.str("error"), f.str("error_description")
		if f.err != nil {
			return nil, fmt.Errorf("result_error[%q]: %w", k, f.err)
		}
		if code == "0" {
			code = ""
		}
		m := methods[k]
		if m == "" {
			m = "batch"
		}
		res.Errors[k] = &APIError{Method: m, Command: k, Code: c.redact(code), Description: c.redact(desc)}
		delete(res.Results, k)
	}
	for _, p := range []struct {
		name string
		into map[string]int64
	}{{"result_total", res.Total}, {"result_next", res.Next}} {
		m, err := part(p.name)
		if err != nil {
			return nil, err
		}
		for k, v := range m {
			n, err := intOf(v)
			if err != nil {
				return nil, fmt.Errorf("%s[%q]: %w", p.name, k, err)
			}
			p.into[k] = n
		}
	}
	times, err := part("result_time")
	if err != nil {
		return nil, err
	}
	// Each command reports when its method's operating time resets.
	for k, v := range times {
		if _, reset := timeInfo(v); !reset.IsZero() && methods[k] != "" {
			c.st.mu.Lock()
			c.st.reset[methods[k]] = reset
			c.st.mu.Unlock()
		}
	}
	return res, nil
}

// orderedStrings is a JSON object that keeps its keys in order: the portal
// runs a batch's commands in the order of the cmd object.
type orderedStrings [][2]string

func (o orderedStrings) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, kv := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(kv[0])
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(kv[1])
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func validKey(k string) bool {
	if k == "" || len(k) > 64 {
		return false
	}
	for _, r := range k {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-':
		default:
			return false
		}
	}
	return true
}

// jsonValue turns a time.Time into the portal's date-time text; other values
// pass through.
func jsonValue(v any) any {
	if t, ok := v.(time.Time); ok {
		return t.Format("2006-01-02T15:04:05-07:00")
	}
	return v
}

// encodeQuery writes params as a PHP-style query string, the form batch
// commands take: nested objects as key[sub]=v, arrays as key[0]=v, keys in
// sorted order so the text is stable.
func encodeQuery(params map[string]any) (string, error) {
	if len(params) == 0 {
		return "", nil
	}
	norm := make(map[string]any, len(params))
	for k, v := range params {
		norm[k] = jsonValue(v)
	}
	b, err := json.Marshal(norm)
	if err != nil {
		return "", fmt.Errorf("encode parameters: %w", err)
	}
	var tree any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&tree); err != nil {
		return "", fmt.Errorf("encode parameters: %w", err)
	}
	var parts []string
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch x := v.(type) {
		case map[string]any:
			ks := make([]string, 0, len(x))
			for k := range x {
				ks = append(ks, k)
			}
			sort.Strings(ks)
			for _, k := range ks {
				sub := url.QueryEscape(k)
				if key != "" {
					sub = key + "[" + sub + "]"
				}
				walk(sub, x[k])
			}
		case []any:
			for i, e := range x {
				walk(key+"["+strconv.Itoa(i)+"]", e)
			}
		case nil:
			parts = append(parts, key+"=")
		case bool:
			if x {
				parts = append(parts, key+"=1")
			} else {
				parts = append(parts, key+"=0")
			}
		case json.Number:
			parts = append(parts, key+"="+x.String())
		case string:
			parts = append(parts, key+"="+url.QueryEscape(x))
		}
	}
	walk("", tree)
	return strings.Join(parts, "&"), nil
}
