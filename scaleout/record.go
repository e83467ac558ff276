package scaleout

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// wireEvent is an event version as a log record holds it: JSON whose
// attribute values name their type, so that an integer, a decimal and a
// time come back as they went in.
type wireEvent struct {
	ID       string               `json:"id"`
	Kind     string               `json:"kind,omitempty"`
	Time     *time.Time           `json:"time,omitempty"`
	Actor    string               `json:"actor,omitempty"`
	Amount   *wireDecimal         `json:"amount,omitempty"`
	Currency string               `json:"currency,omitempty"`
	Attrs    map[string]wireValue `json:"attrs,omitempty"`
	Deleted  bool                 `json:"deleted,omitempty"`
	Known    *time.Time           `json:"known,omitempty"`
}

// wireValue is an attribute value: exactly one field is set.
type wireValue struct {
	S *string      `json:"s,omitempty"`
	I *int64       `json:"i,omitempty"`
	D *wireDecimal `json:"d,omitempty"`
	B *bool        `json:"b,omitempty"`
	T *time.Time   `json:"t,omitempty"`
}

// wireDecimal is a decimal as a JSON string that keeps its places
// ("1.50" stays 1.50), so that a decoded amount is the one encoded.
type wireDecimal decimal.Decimal

func (d wireDecimal) MarshalJSON() ([]byte, error) {
	x := decimal.Decimal(d)
	return json.Marshal(x.StringFixed(max(0, -x.Exponent())))
}

func (d *wireDecimal) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("decimal: want a string, got %s", b)
	}
	x, err := decimal.NewFromString(s)
	if err != nil {
		return err
	}
	*d = wireDecimal(x)
	return nil
}

// wireTime is t as JSON writes it the same instant: RFC 3339 has no
// seconds of offset, so a time whose zone has them (a local mean time,
// Amsterdam's +00:19:32 before 1937) goes in UTC.
func wireTime(t time.Time) time.Time {
	if _, off := t.Zone(); off%60 != 0 {
		return t.UTC()
	}
	return t
}

// EncodeEvent encodes a valid event version as a record's data. A time
// attribute outside the years 0 to 9999, which RFC 3339 cannot write, is
// an error naming the event and the attribute.
func EncodeEvent(e *kpi.Event) ([]byte, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	w := wireEvent{ID: e.ID, Deleted: e.Deleted}
	if !e.Known.IsZero() {
		k := wireTime(e.Known)
		w.Known = &k
	}
	if !e.Deleted {
		t := wireTime(e.Time)
		w.Kind, w.Time, w.Actor, w.Currency = e.Kind, &t, e.Actor, e.Currency
		if e.Amount.Valid {
			a := wireDecimal(e.Amount.Decimal)
			w.Amount = &a
		}
		// Of several attributes refused the least name is told, whatever
		// the map's order.
		var badName string
		var bad error
		refuse := func(name string, err error) {
			if bad == nil || name < badName {
				badName, bad = name, err
			}
		}
		for name, v := range e.Attrs {
			var wv wireValue
			switch x := v.(type) {
			case string:
				// JSON would carry other bytes as U+FFFD: another value.
				if !utf8.ValidString(x) {
					refuse(name, fmt.Errorf("event %s: attribute %s: %s is not valid UTF-8", display.QuoteID(e.ID), display.QuoteID(name), display.QuoteID(x)))
					continue
				}
				wv.S = &x
			case int64:
				wv.I = &x
			case int:
				y := int64(x)
				wv.I = &y
			case int32:
				y := int64(x)
				wv.I = &y
			case decimal.Decimal:
				d := wireDecimal(x)
				wv.D = &d
			case bool:
				wv.B = &x
			case time.Time:
				// JSON writes the years 0 to 9999 (RFC 3339).
				if yr := x.Year(); yr < 0 || yr > 9999 {
					refuse(name, fmt.Errorf("event %s: attribute %s: time %s is outside the years 0 to 9999 a record holds", display.QuoteID(e.ID), display.QuoteID(name), x.Format(time.RFC3339Nano)))
					continue
				}
				y := wireTime(x)
				wv.T = &y
			}
			if w.Attrs == nil {
				w.Attrs = map[string]wireValue{}
			}
			w.Attrs[name] = wv
		}
		if bad != nil {
			return nil, bad
		}
	}
	return json.Marshal(&w)
}

// DecodeEvent decodes a record's data into a valid event version.
func DecodeEvent(data []byte) (kpi.Event, error) {
	var w wireEvent
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return kpi.Event{}, fmt.Errorf("event record: %w", err)
	}
	// More is false before a stray ']' or '}': only the end of the data
	// ends the record.
	if _, err := dec.Token(); err != io.EOF {
		return kpi.Event{}, fmt.Errorf("event record: data after the event")
	}
	e := kpi.Event{ID: w.ID, Kind: w.Kind, Actor: w.Actor, Currency: w.Currency, Deleted: w.Deleted}
	if w.Time != nil {
		e.Time = *w.Time
	}
	if w.Known != nil {
		e.Known = *w.Known
	}
	if w.Amount != nil {
		e.Amount = decimal.NullDecimal{Decimal: decimal.Decimal(*w.Amount), Valid: true}
	}
	// Of several attributes refused the least name is told, whatever the
	// map's order.
	badName, bad := "", false
	for name, wv := range w.Attrs {
		var v any
		n := 0
		if wv.S != nil {
			v, n = *wv.S, n+1
		}
		if wv.I != nil {
			v, n = *wv.I, n+1
		}
		if wv.D != nil {
			v, n = decimal.Decimal(*wv.D), n+1
		}
		if wv.B != nil {
			v, n = *wv.B, n+1
		}
		if wv.T != nil {
			v, n = *wv.T, n+1
		}
		if n != 1 {
			if !bad || name < badName {
				badName, bad = name, true
			}
			continue
		}
		if e.Attrs == nil {
			e.Attrs = map[string]any{}
		}
		e.Attrs[name] = v
	}
	if bad {
		return kpi.Event{}, fmt.Errorf("event record %s: attribute %s: want exactly one of s, i, d, b, t", display.QuoteID(w.ID), display.QuoteID(badName))
	}
	if err := e.Validate(); err != nil {
		return kpi.Event{}, fmt.Errorf("event record: %w", err)
	}
	return e, nil
}

// recordID is the idempotency ID of an encoded version: a hash of the
// batch name, the version's index in the batch and the version itself.
func recordID(batch string, i int, id string, data []byte) string {
	h := sha256.New()
	h.Write([]byte(batch))
	h.Write([]byte{0})
	h.Write(strconv.AppendInt(nil, int64(i), 10))
	h.Write([]byte{0})
	h.Write(data)
	return id + "/" + hex.EncodeToString(h.Sum(nil)[:12])
}

// Records encodes event versions as records: each in the partition of its
// ID among partitions, with an idempotency ID derived from the name of the
// batch, the version's index in it and the version as given. Encoding the
// same batch again gives the same IDs, so a log that drops duplicate IDs
// drops a second publish of it (a producer's retry, a command run twice on
// one file); a batch of other versions must have another name.
//
// A version without Known is stamped with at plus its index in the batch
// in nanoseconds (unless at is zero): workers order the versions of one ID
// by Known, so versions stamped by one publish keep their order even when
// a failed publish is retried and the log stores some of its records after
// others. A retry must pass the same at.
//
// Known orders an ID's versions, and a version whose Known equals that of
// one applied before is dropped (it is taken for a copy): a host that
// sets Known must give each version of an ID its own instant. A Known of
// whole seconds loses a correction made within the second of the version
// it corrects. Two versions of one ID in the batch that differ but are
// known at the same instant fail the call, naming both; an identical copy
// is taken (a worker drops it), also one whose times are written in
// other zones. Versions in different batches cannot be
// compared here: the later one is dropped without a word.
//
// Every event is checked before any is encoded: an invalid one fails the
// whole call, naming its index and ID, and so does a number of partitions
// below 1, an at outside the years a Known may be in, and an at so near
// their end that an event's stamp (at plus its index) passes it.
func Records(batch string, at time.Time, events []kpi.Event, partitions int) ([]Record, error) {
	if partitions < 1 {
		return nil, fmt.Errorf("records: %d partitions, want at least 1", partitions)
	}
	// The stamp is a Known: the instant must be one a Known may be.
	if stamp := (kpi.Event{ID: "-", Deleted: true, Known: at}); !at.IsZero() && stamp.Validate() != nil {
		return nil, fmt.Errorf("records: the publish's instant %s is outside the years 1678 to 2261 that a version's Known may be in", at.Format(time.RFC3339Nano))
	}
	for i := range events {
		if err := events[i].Validate(); err != nil {
			return nil, fmt.Errorf("event %d: %w", i, err)
		}
	}
	out := make([]Record, len(events))
	// The version of each ID and Known given: a second one that differs
	// would be dropped by every worker.
	type idKnown struct {
		id    string
		known int64
	}
	var seen map[idKnown]int
	for i := range events {
		e := events[i]
		data, err := EncodeEvent(&e)
		if err != nil {
			return nil, fmt.Errorf("event %d: %w", i, err)
		}
		id := recordID(batch, i, e.ID, data)
		if e.Known.IsZero() && !at.IsZero() {
			e.Known = at.Add(time.Duration(i))
			if data, err = EncodeEvent(&e); err != nil {
				// The event encoded without it: the stamp is what fails.
				return nil, fmt.Errorf("records: event %d: the publish's instant %s plus the event's index in the batch (%d ns), the Known it is stamped with, is past the years 1678 to 2261 that a version's Known may be in: %w", i, at.Format(time.RFC3339Nano), i, err)
			}
		}
		if !e.Known.IsZero() {
			if seen == nil {
				seen = map[idKnown]int{}
			}
			k := idKnown{e.ID, e.Known.UnixNano()}
			if j, ok := seen[k]; ok && !bytes.Equal(out[j].Data, data) && !sameVersion(out[j].Data, data) {
				return nil, fmt.Errorf("events %d and %d: two versions of event %s known at the same instant %s: a worker applies the first and drops the second; give each version of an ID its own Known", j, i, display.QuoteID(e.ID), e.Known.Format(time.RFC3339Nano))
			} else if !ok {
				seen[k] = i
			}
		}
		out[i] = Record{Partition: Partition(e.ID, partitions), ID: id, Key: e.ID, Data: data}
	}
	return out, nil
}

// sameVersion reports whether two encoded versions are one version with
// its times written in other zones: the engine keeps instants, so a
// worker that takes the first and drops the second loses nothing.
func sameVersion(a, b []byte) bool {
	ea, err1 := DecodeEvent(a)
	eb, err2 := DecodeEvent(b)
	if err1 != nil || err2 != nil {
		return false
	}
	da, err1 := EncodeEvent(inUTC(&ea))
	db, err2 := EncodeEvent(inUTC(&eb))
	return err1 == nil && err2 == nil && bytes.Equal(da, db)
}

// inUTC sets a decoded event's times, its time attributes' too, in UTC.
func inUTC(e *kpi.Event) *kpi.Event {
	e.Time, e.Known = e.Time.UTC(), e.Known.UTC()
	for name, v := range e.Attrs {
		if t, ok := v.(time.Time); ok {
			e.Attrs[name] = t.UTC()
		}
	}
	return e
}

// Publish appends a batch of event versions to a log (Records).
func Publish(ctx context.Context, log Log, batch string, at time.Time, events []kpi.Event) error {
	if log == nil {
		return errors.New("scaleout.Publish: no Log to append to")
	}
	recs, err := Records(batch, at, events, log.Partitions())
	if err != nil {
		return err
	}
	return log.Append(ctx, recs)
}
