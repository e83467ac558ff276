package b24cmd

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// ndjsonWriter writes events as FORMATS.md NDJSON lines. It is a stand-in until
// the core has a shared event writer.
type ndjsonWriter struct {
	w          io.Writer
	loc        *time.Location // nil: keep each time's own offset
	buf        bytes.Buffer
	n, deleted int
}

func newNDJSONWriter(w io.Writer, loc *time.Location) *ndjsonWriter {
	return &ndjsonWriter{w: w, loc: loc}
}

// line is one event, its fields in the order of FORMATS.md.
type line struct {
	ID       string         `json:"id"`
	Deleted  bool           `json:"deleted,omitempty"`
	Kind     string         `json:"kind,omitempty"`
	Time     string         `json:"time,omitempty"`
	Actor    string         `json:"actor,omitempty"`
	Amount   string         `json:"amount,omitempty"`
	Currency string         `json:"currency,omitempty"`
	Attrs    map[string]any `json:"attrs,omitempty"`
}

// Write writes one event; a retraction is {"id": …, "deleted": true}.
func (nw *ndjsonWriter) Write(e kpi.Event) error {
	if e.ID == "" {
		return errors.New("event without an id")
	}
	l := line{ID: e.ID}
	if e.Deleted {
		l.Deleted = true
	} else {
		if e.Kind == "" || e.Actor == "" || e.Time.IsZero() {
			return fmt.Errorf("event %s: kind, time and actor are required", e.ID)
		}
		t := e.Time
		if nw.loc != nil {
			t = t.In(nw.loc)
		}
		l.Kind, l.Time, l.Actor = e.Kind, t.Format(time.RFC3339Nano), e.Actor
		if e.Amount.Valid {
			l.Amount, l.Currency = exact(e.Amount.Decimal), e.Currency
		}
		if len(e.Attrs) > 0 {
			l.Attrs = make(map[string]any, len(e.Attrs))
			for k, v := range e.Attrs {
				jv, err := attrJSON(v)
				if err != nil {
					return fmt.Errorf("event %s: attribute %s: %w", e.ID, k, err)
				}
				l.Attrs[k] = jv
			}
		}
	}
	nw.buf.Reset()
	enc := json.NewEncoder(&nw.buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(l); err != nil {
		return fmt.Errorf("event %s: %w", e.ID, err)
	}
	if _, err := nw.w.Write(nw.buf.Bytes()); err != nil {
		return err
	}
	nw.n++
	if e.Deleted {
		nw.deleted++
	}
	return nil
}

// exact writes a decimal with the scale it was read with: "1500000.00".
func exact(d decimal.Decimal) string {
	if e := d.Exponent(); e < 0 {
		return d.StringFixed(-e)
	}
	return d.String()
}

// attrJSON maps an attribute to its JSON value: strings, numbers (exact),
// bools, and times as RFC 3339 strings.
func attrJSON(v any) (any, error) {
	switch x := v.(type) {
	case string, bool, int64:
		return x, nil
	case int:
		return int64(x), nil
	case decimal.Decimal:
		return json.Number(exact(x)), nil
	case time.Time:
		return x.Format(time.RFC3339Nano), nil
	}
	return nil, fmt.Errorf("unsupported type %T", v)
}
