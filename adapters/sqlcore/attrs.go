package sqlcore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"time"

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
			b.WriteString(v.String())
		case *decimal.Decimal:
			b.WriteString(v.String())
		case time.Time:
			b.WriteString(`{"$time":"` + v.Format(time.RFC3339Nano) + `"}`)
		default:
			return "", fmt.Errorf("attribute %q: unsupported value of type %T (want string, int64, decimal.Decimal, bool or time.Time)", k, v)
		}
	}
	b.WriteByte('}')
	return b.String(), nil
}

func decodeAttrs(s string) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil {
		return nil, err
	}
	if len(raw) == 0 {
		return nil, nil
	}
	out := make(map[string]any, len(raw))
	for k, v := range raw {
		switch x := v.(type) {
		case nil:
			// an absent value
		case string, bool:
			out[k] = x
		case json.Number:
			d, err := decimal.NewFromString(x.String())
			if err != nil {
				return nil, fmt.Errorf("%q: %w", k, err)
			}
			out[k] = d
		case map[string]any:
			ts, ok := x["$time"].(string)
			if !ok || len(x) != 1 {
				return nil, fmt.Errorf("%q: unsupported object", k)
			}
			t, err := time.Parse(time.RFC3339Nano, ts)
			if err != nil {
				return nil, fmt.Errorf("%q: %w", k, err)
			}
			out[k] = t
		default:
			return nil, fmt.Errorf("%q: unsupported value of type %T", k, x)
		}
	}
	return out, nil
}
