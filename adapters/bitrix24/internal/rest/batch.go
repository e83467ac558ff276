package rest

import (
	"bytes"
	"encoding/json"
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

// BatchAnswer is the result member of a batch answer: every command is in
// Results or in Errors, or (after a halt) in neither.
type BatchAnswer struct {
	Results map[string]json.RawMessage // each successful command's result
	Errors  map[string]CommandError    // each failed command's error
	Total   map[string]int64           // the list commands' "total"
	Next    map[string]int64           // the list commands' "next"
	// Resets holds when each command's method's operating time resets.
	Resets map[string]time.Time
}

// CommandError is a failed command's entry in result_error.
type CommandError struct {
	Code        string // "" when the portal sent none (or 0)
	Description string
}

// DecodeBatch decodes the result member of a batch answer. Each of its five
// maps may come as [] when empty.
func DecodeBatch(raw json.RawMessage) (*BatchAnswer, error) {
	top, err := objectOrEmpty(raw)
	if err != nil {
		return nil, fmt.Errorf("result: %w", err)
	}
	res := &BatchAnswer{
		Results: map[string]json.RawMessage{},
		Errors:  map[string]CommandError{},
		Total:   map[string]int64{},
		Next:    map[string]int64{},
		Resets:  map[string]time.Time{},
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
		res.Errors[k] = CommandError{Code: code, Description: desc}
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
	for k, v := range times {
		if _, reset := timeInfo(v); !reset.IsZero() {
			res.Resets[k] = reset
		}
	}
	return res, nil
}

// Commands is the cmd parameter of a batch call: a JSON object that keeps
// its keys in order, since the portal runs a batch's commands in the order
// of the cmd object. Each value is METHOD?QUERY.
type Commands [][2]string

// MarshalJSON writes the object, keys in order.
func (o Commands) MarshalJSON() ([]byte, error) {
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

// ValidKey reports whether k may name a batch command.
func ValidKey(k string) bool {
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

// JSONValue turns a time.Time into the portal's date-time text; other values
// pass through. The text keeps the time's offset when it is whole minutes;
// an offset with seconds (local mean time before a zone's standard time),
// which ±hh:mm cannot carry, is written in UTC so that the text still names
// the same instant.
func JSONValue(v any) any {
	if t, ok := v.(time.Time); ok {
		if _, off := t.Zone(); off%60 != 0 {
			t = t.UTC()
		}
		return t.Format("2006-01-02T15:04:05-07:00")
	}
	return v
}

// EncodeQuery writes params as a PHP-style query string, the form batch
// commands take: nested objects as key[sub]=v, arrays as key[0]=v, keys in
// sorted order so the text is stable.
func EncodeQuery(params map[string]any) (string, error) {
	if len(params) == 0 {
		return "", nil
	}
	norm := make(map[string]any, len(params))
	for k, v := range params {
		norm[k] = JSONValue(v)
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
