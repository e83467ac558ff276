package sqlcore

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/shopspring/decimal"
)

// encodeAttrs writes attributes as a JSON object: strings, bools and numbers
// as themselves (numbers exactly), times as {"$time": RFC 3339}.
func encodeAttrs(attrs map[string]any) (string, error) {
	if len(attrs) == 0 {
		return "", nil
	}
	names := make([]string, 0, len(attrs))
	for k := range attrs {
		names = append(names, k)
	}
	sort.Strings(names)
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		switch v := attrs[k].(type) {
		case string:
			if err := checkText(k, v); err != nil {
				return "", err
			}
			vb, _ := json.Marshal(v)
			b.Write(vb)
		case bool:
			b.WriteString(strconv.FormatBool(v))
		case int:
			b.WriteString(strconv.Itoa(v))
		case int32:
			b.WriteString(strconv.FormatInt(int64(v), 10))
		case int64:
			b.WriteString(strconv.FormatInt(v, 10))
		case decimal.Decimal:
			b.WriteString(textWithPlaces(v))
		case *decimal.Decimal:
			b.WriteString(textWithPlaces(*v))
		case time.Time:
			ts, err := timeText(k, v)
			if err != nil {
				return "", err
			}
			b.WriteString(`{"$time":"` + ts + `"}`)
		default:
			return "", fmt.Errorf("attribute %s: unsupported value of type %T (want string, int64, decimal.Decimal, bool or time.Time)", display.QuoteID(k), v)
		}
	}
	b.WriteByte('}')
	return b.String(), nil
}

// textWithPlaces writes d as the text of a number that reads back with its
// exponent where a database can hold it, an event's amount (SQLite's text,
// PostgreSQL's NUMERIC) and a decimal attribute's JSON number alike: one
// below zero as that many places, trailing zeros kept (1500.00, 1.10, 0.0,
// which String wrote 1500, 1.1 and 0, read back as another value than the
// one applied); one above zero as the whole number it is (1e3 as 1000,
// exponent 0: NUMERIC and PostgreSQL's jsonb keep no positive exponent,
// and SQLite's JSON reads 1e3 as a float). No exponent letter, so that
// SQLite's JSON reads a whole number without places as an integer.
func textWithPlaces(d decimal.Decimal) string {
	x := d.Exponent()
	if x > 0 {
		return d.String()
	}
	if x < -18 || d.NumDigits() > 18 {
		return d.StringFixed(-x)
	}
	// The common case, a coefficient of at most 18 digits and at most 18
	// places, in one buffer: without big.Int's conversion and the
	// concatenation of its parts.
	c := d.CoefficientInt64()
	var buf [40]byte
	b := buf[:0]
	if c < 0 {
		b = append(b, '-')
		c = -c
	}
	var digits [20]byte
	ds := strconv.AppendInt(digits[:0], c, 10)
	places := int(-x)
	if places == 0 {
		return string(append(b, ds...))
	}
	if n := len(ds); n > places {
		b = append(b, ds[:n-places]...)
		b = append(b, '.')
		b = append(b, ds[n-places:]...)
	} else {
		b = append(b, '0', '.')
		for range places - n {
			b = append(b, '0')
		}
		b = append(b, ds...)
	}
	return string(b)
}

// checkText refuses a string value of attribute k that JSON cannot carry:
// bytes that are not UTF-8 would come back as U+FFFD, another value.
func checkText(k, v string) error {
	if !utf8.ValidString(v) {
		return fmt.Errorf("attribute %s: %s is not valid UTF-8", display.QuoteID(k), display.QuoteID(v))
	}
	return nil
}

// timeText writes t, the value of attribute k, in RFC 3339 as the same
// instant: in its own offset when that is whole minutes within a day, else
// in UTC (RFC 3339 has no seconds of offset: a local mean time's +00:19:32
// would lose 32 seconds; nor an offset of a day or more, which time.Parse
// refuses). A year RFC 3339 cannot write is refused, not stored beyond
// reading back.
func timeText(k string, t time.Time) (string, error) {
	if _, off := t.Zone(); off%60 != 0 || off <= -24*3600 || off >= 24*3600 {
		t = t.UTC()
	}
	if y := t.Year(); y < 0 || y > 9999 {
		return "", fmt.Errorf("attribute %s: time %s is outside the years 0000–9999", display.QuoteID(k), t.UTC().Format(time.RFC3339Nano))
	}
	return t.Format(time.RFC3339Nano), nil
}

// jsonbText refuses a string attribute holding U+0000, which a valid event
// may carry but PostgreSQL's jsonb cannot store (its text has no NUL): the
// first such attribute by name.
func jsonbText(attrs map[string]any) error {
	names := make([]string, 0, len(attrs))
	for k, v := range attrs {
		if s, ok := v.(string); ok && strings.IndexByte(s, 0) >= 0 {
			names = append(names, k)
		}
	}
	if len(names) == 0 {
		return nil
	}
	k := slices.Min(names)
	return fmt.Errorf("attribute %s: %s holds U+0000, which PostgreSQL cannot store in JSON", display.QuoteID(k), display.QuoteID(attrs[k].(string)))
}

// decodeAttrs reads a JSON object of attributes (encodeAttrs). It refuses
// a value it cannot read and, with a value, a name no event's attribute
// may have (empty, a control character: kpi.Event.Validate). Of several
// it names the least name, whatever order the map gives them in, so that
// one row gives one error. A name the object holds
// twice has its first value when first is set, as SQLite reads a host's
// JSON (json_extract, by which a push filters and sums, takes the first),
// and its last otherwise (goalkit's own attributes hold each name once,
// and PostgreSQL's jsonb keeps the last).
func decodeAttrs(s string, first bool) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	var raw map[string]any
	if first {
		var err error
		if raw, err = firstValues(dec); err != nil {
			return nil, err
		}
	} else if err := dec.Decode(&raw); err != nil {
		return nil, err
	}
	// Text after the object (a host's text column): not one object, which
	// a scan read as its first part and dropped the rest of.
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("text after the JSON object of attributes")
	}
	if len(raw) == 0 {
		return nil, nil
	}
	out := make(map[string]any, len(raw))
	var (
		badKey string
		bad    error
	)
	for k, v := range raw {
		var err error
		switch x := v.(type) {
		case nil:
			// an absent value
		case string, bool:
			out[k] = x
		case json.Number:
			var d decimal.Decimal
			if d, err = decimal.NewFromString(x.String()); err == nil {
				err = exponentProblem(d)
				out[k] = d
			}
		case map[string]any:
			ts, ok := x["$time"].(string)
			if !ok || len(x) != 1 {
				err = errors.New("unsupported object")
				break
			}
			var t time.Time
			if t, err = time.Parse(time.RFC3339Nano, ts); err == nil {
				out[k] = t
			}
		default:
			err = fmt.Errorf("unsupported value of type %T", x)
		}
		if err != nil {
			err = fmt.Errorf("%s: %w", display.QuoteID(k), err)
		}
		// A name no attribute of an event may have (kpi.Event.Validate),
		// refused here, where the row and table are named, rather than by
		// the engine after the scan. An absent value never reaches it.
		if v != nil {
			if k == "" {
				err = errors.New("an attribute without a name")
			} else if p := display.IDProblem(k); p != "" {
				err = fmt.Errorf("attribute name %s %s", display.QuoteID(k), p)
			}
		}
		if err != nil && (bad == nil || k < badKey) {
			badKey, bad = k, err
		}
	}
	if bad != nil {
		return nil, bad
	}
	return out, nil
}

// firstValues reads a JSON object (or null) from dec into a map, keeping
// the first value of a name it holds twice; dec uses numbers.
func firstValues(dec *json.Decoder) (map[string]any, error) {
	t, err := dec.Token()
	if err != nil || t == nil {
		return nil, err
	}
	if d, ok := t.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("json: %v is not an object of attributes", t)
	}
	raw := map[string]any{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		k, _ := t.(string)
		var v any
		if _, seen := raw[k]; seen {
			var later json.RawMessage
			err = dec.Decode(&later)
		} else if err = dec.Decode(&v); err == nil {
			raw[k] = v
		}
		if err != nil {
			return nil, err
		}
	}
	_, err = dec.Token() // the closing brace
	return raw, err
}

// exponentProblem is the error of a decimal attribute whose exponent is past
// ±colstore.MaxExponent (kpi.Event.Validate refuses it), else nil.
func exponentProblem(d decimal.Decimal) error {
	if x := d.Exponent(); x < -colstore.MaxExponent || x > colstore.MaxExponent {
		return fmt.Errorf("exponent %d is outside ±%d", x, colstore.MaxExponent)
	}
	return nil
}
