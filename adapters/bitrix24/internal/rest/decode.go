package rest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/goalkit/goalkit/internal/display"

	"github.com/shopspring/decimal"
)

// Response is a decoded answer envelope:
// {"result": …, "total": N, "next": N, "time": {…}} or
// {"error": CODE, "error_description": TEXT}.
type Response struct {
	Status    int // the HTTP status; DecodeEnvelope leaves it to the caller
	Result    json.RawMessage
	HasResult bool
	Total     int64
	HasTotal  bool
	Next      int64
	HasNext   bool
	Reset     time.Time // time.operating_reset_at
	Start     time.Time // time.start: the portal's clock when it began the call
	HasError  bool
	Code      string
	Desc      string
}

// DecodeEnvelope decodes the top level of an answer. It accepts the lenient
// shapes the portal sends: numbers as strings, an error code that is a number,
// operating_reset_at as a number or an ISO string.
func DecodeEnvelope(data []byte) (*Response, error) {
	var top map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&top); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty body")
		}
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, errors.New("truncated JSON")
		}
		return nil, fmt.Errorf("not a JSON object: %w", err)
	}
	if top == nil {
		return nil, errors.New("not a JSON object")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("data after the JSON object")
	}
	r := &Response{}
	if raw, ok := top["result"]; ok {
		r.Result, r.HasResult = raw, true
	}
	if raw, ok := top["error"]; ok {
		code, err := scalar(raw)
		if err != nil {
			return nil, fmt.Errorf("error: %w", err)
		}
		if code == "0" {
			code = "" // {"error": 0, "error_description": …} in the stage history docs
		}
		r.Code = code
	}
	if raw, ok := top["error_description"]; ok {
		d, err := scalar(raw)
		if err != nil {
			return nil, fmt.Errorf("error_description: %w", err)
		}
		r.Desc = d
	}
	r.HasError = r.Code != "" || r.Desc != ""
	if raw, ok := top["total"]; ok && !isNull(raw) {
		n, err := intOf(raw)
		if err != nil {
			return nil, fmt.Errorf("total: %w", err)
		}
		r.Total, r.HasTotal = n, true
	}
	if raw, ok := top["next"]; ok && !isNull(raw) {
		n, err := intOf(raw)
		if err != nil {
			return nil, fmt.Errorf("next: %w", err)
		}
		r.Next, r.HasNext = n, true
	}
	if raw, ok := top["time"]; ok {
		r.Start, r.Reset = timeInfo(raw)
	}
	return r, nil
}

// timeInfo reads the time block leniently: start (unix seconds, or
// date_start) and operating_reset_at (unix seconds as a number or a string, or
// an ISO date). What cannot be read is zero.
func timeInfo(raw json.RawMessage) (start, reset time.Time) {
	var t map[string]json.RawMessage
	if json.Unmarshal(raw, &t) != nil {
		return time.Time{}, time.Time{}
	}
	return instant(t["start"], t["date_start"]), instant(t["operating_reset_at"], nil)
}

// instant reads unix seconds (a number or a numeric string, fractions
// dropped) or else an RFC 3339 date-time, from the first value that has one.
func instant(raws ...json.RawMessage) time.Time {
	for _, v := range raws {
		if v == nil {
			continue
		}
		s, err := scalar(v)
		if err != nil || s == "" {
			continue
		}
		whole, _, _ := strings.Cut(s, ".")
		if n, err := strconv.ParseInt(whole, 10, 64); err == nil {
			if n > 0 && n < 1e11 {
				return time.Unix(n, 0)
			}
			continue
		}
		if ts, err := time.Parse(time.RFC3339, s); err == nil {
			return ts
		}
	}
	return time.Time{}
}

// kind is the JSON kind of a raw value, by its first byte.
func kind(raw json.RawMessage) byte {
	b := bytes.TrimLeft(raw, " \t\r\n")
	if len(b) == 0 {
		return 0
	}
	switch c := b[0]; c {
	case '"', '{', '[', 'n', 't', 'f':
		return c
	default:
		return '0'
	}
}

func isNull(raw json.RawMessage) bool { return kind(raw) == 'n' }

// isEmpty reports null, "", {} and [].
func isEmpty(raw json.RawMessage) bool {
	switch kind(raw) {
	case 'n', 0:
		return true
	case '"':
		var s string
		return json.Unmarshal(raw, &s) == nil && s == ""
	case '{', '[':
		t := bytes.TrimSpace(raw)
		if len(t) < 2 {
			return false
		}
		inner := bytes.TrimSpace(t[1 : len(t)-1])
		return len(inner) == 0
	}
	return false
}

// scalar returns a string, number or bool as text; null and an empty object or
// array (the portal's "no value") as "".
func scalar(raw json.RawMessage) (string, error) {
	switch kind(raw) {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", err
		}
		return s, nil
	case 'n':
		return "", nil
	case 't':
		return "true", nil
	case 'f':
		return "false", nil
	case '0':
		var n json.Number
		if err := json.Unmarshal(raw, &n); err != nil {
			return "", err
		}
		return n.String(), nil
	case '{', '[':
		if isEmpty(raw) {
			return "", nil
		}
		return "", errors.New("want a scalar, got an object or array")
	}
	return "", errors.New("missing value")
}

// intOf reads an integer given as a JSON number or a numeric string; null and
// "" are 0.
func intOf(raw json.RawMessage) (int64, error) {
	k := kind(raw)
	if k != '"' && k != '0' && k != 'n' {
		return 0, errors.New("want an integer")
	}
	s, err := scalar(raw)
	if err != nil {
		return 0, err
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("want an integer, got %q", Clip(s))
	}
	return n, nil
}

// fields reads one row (a JSON object) leniently, remembering the first error.
type fields struct {
	m   map[string]json.RawMessage
	err error
}

func newFields(raw json.RawMessage) (*fields, error) {
	if kind(raw) != '{' {
		return nil, errors.New("row is not a JSON object")
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	return &fields{m: m}, nil
}

func (f *fields) fail(key string, err error) {
	if f.err == nil {
		f.err = fmt.Errorf("%s: %w", key, err)
	}
}

func (f *fields) has(key string) bool {
	raw, ok := f.m[key]
	return ok && !isNull(raw)
}

func (f *fields) str(key string) string {
	raw, ok := f.m[key]
	if !ok {
		return ""
	}
	s, err := scalar(raw)
	if err != nil {
		f.fail(key, err)
	}
	return s
}

func (f *fields) id(key string) int64 {
	raw, ok := f.m[key]
	if !ok {
		return 0
	}
	n, err := intOf(raw)
	if err != nil {
		f.fail(key, err)
	}
	return n
}

func (f *fields) ids(key string) []int64 {
	raw, ok := f.m[key]
	if !ok || isEmpty(raw) || kind(raw) == 'f' {
		return nil
	}
	if kind(raw) != '[' {
		n, err := intOf(raw)
		if err != nil {
			f.fail(key, err)
			return nil
		}
		return []int64{n}
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		f.fail(key, err)
		return nil
	}
	out := make([]int64, 0, len(items))
	for _, it := range items {
		n, err := intOf(it)
		if err != nil {
			f.fail(key, err)
			return nil
		}
		out = append(out, n)
	}
	return out
}

// flag reads "Y"/"N", a JSON boolean, or "1"/"0".
func (f *fields) flag(key string) bool {
	raw, ok := f.m[key]
	if !ok {
		return false
	}
	s, err := scalar(raw)
	if err != nil {
		f.fail(key, err)
		return false
	}
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "Y", "TRUE", "1":
		return true
	case "N", "FALSE", "0", "":
		return false
	}
	f.fail(key, fmt.Errorf("want Y or N, got %q", Clip(s)))
	return false
}

// time reads an ISO 8601 date-time with an offset; "", null and {} are zero.
func (f *fields) time(key string) time.Time {
	raw, ok := f.m[key]
	if !ok || isEmpty(raw) {
		return time.Time{}
	}
	if kind(raw) != '"' {
		f.fail(key, errors.New("want a date-time string"))
		return time.Time{}
	}
	s, _ := scalar(raw)
	t, err := parseTime(s)
	if err != nil {
		f.fail(key, err)
	}
	return t
}

// dec reads a decimal from a string ("15000.00") or a JSON number, never
// through float64; "" and null are null.
func (f *fields) dec(key string) decimal.NullDecimal {
	raw, ok := f.m[key]
	if !ok || isEmpty(raw) {
		return decimal.NullDecimal{}
	}
	if k := kind(raw); k != '"' && k != '0' {
		f.fail(key, errors.New("want a decimal"))
		return decimal.NullDecimal{}
	}
	s, err := scalar(raw)
	if err != nil {
		f.fail(key, err)
		return decimal.NullDecimal{}
	}
	d, err := parseDecimal(s)
	if err != nil {
		f.fail(key, err)
		return decimal.NullDecimal{}
	}
	return decimal.NullDecimal{Decimal: d, Valid: true}
}

func parseDecimal(s string) (decimal.Decimal, error) {
	s = strings.TrimSpace(s)
	if len(s) > 64 || strings.ContainsAny(s, "eE") {
		return decimal.Decimal{}, fmt.Errorf("want a plain decimal, got %q", Clip(s))
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("want a decimal, got %q", Clip(s))
	}
	return d, nil
}

// parseTime parses the portal's date-times: RFC 3339 with an offset, with or
// without fractional seconds.
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("want an ISO 8601 date-time with an offset, got %q", Clip(s))
	}
	return t, nil
}

// Clip shortens a value quoted in an error as the engine's event errors
// shorten theirs: to at most display.MaxQuoted bytes, cut between
// characters, and an ellipsis.
func Clip(s string) string { return display.Clip(s, display.MaxQuoted) }

// RowsOf returns the rows of a list answer: the result array, or the array in
// result.items (crm.stagehistory.list, crm.item.list) or result.categories
// (crm.category.list). An empty result ([], {}, null) has no rows.
func RowsOf(result json.RawMessage, member string) ([]json.RawMessage, error) {
	if isEmpty(result) {
		return nil, nil
	}
	if member != "" && kind(result) == '{' {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(result, &obj); err != nil {
			return nil, err
		}
		inner, ok := obj[member]
		if !ok {
			return nil, fmt.Errorf("result has no %q member", member)
		}
		result = inner
		if isEmpty(result) {
			return nil, nil
		}
	}
	if kind(result) != '[' {
		return nil, errors.New("result is not a list")
	}
	var rows []json.RawMessage
	if err := json.Unmarshal(result, &rows); err != nil {
		return nil, err
	}
	return rows, nil
}

// objectOrEmpty decodes a map that the portal sends as [] when it is empty
// (the members of a batch answer, SETTINGS, PROVIDER_PARAMS).
func objectOrEmpty(raw json.RawMessage) (map[string]json.RawMessage, error) {
	if isEmpty(raw) {
		return map[string]json.RawMessage{}, nil
	}
	if kind(raw) != '{' {
		return nil, errors.New("want an object or an empty array")
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// Malformed is a part of an answer that could not be decoded: Where says
// which ("row 3 (ID 1042)"; "" for the answer as a whole), Err why.
type Malformed struct {
	Where string
	Err   error
}

func (e *Malformed) Error() string {
	if e.Where == "" {
		return e.Err.Error()
	}
	return e.Where + ": " + e.Err.Error()
}

func (e *Malformed) Unwrap() error { return e.Err }

// rowErr is the error of a row that could not be decoded, with its place:
// its number in the list and its id, the member ID (the CRM's lists) or id
// (the camelCase members of tasks.task.list).
func rowErr(i int, f *fields, err error) error {
	where := fmt.Sprintf("row %d", i)
	if f != nil {
		for _, name := range [...]string{"ID", "id"} {
			if id, ok := f.m[name]; ok {
				if s, e := scalar(id); e == nil && s != "" {
					where += " (ID " + Clip(s) + ")"
					break
				}
			}
		}
	}
	return &Malformed{Where: where, Err: err}
}

// Row is a row type of a list. Each of its fields that has a b24 tag is read
// from the row's member of that name, in the order of the fields: an int64
// as an id, a bool as a flag, a time.Time as a date-time, a
// decimal.NullDecimal (or a decimal.Decimal, zero when null) as a decimal, an
// []int64 as a list of ids, and a string as it is.
type Row interface {
	Deal | Lead | Activity | StageHistoryRow | User | Department | Status | Category | Currency |
		Task | ElapsedItem | CalendarEvent | CalendarSection
}

// fixer is a row that reads more of the row after its tagged fields.
type fixer interface{ fix(*fields) }

// DecodeRows decodes rows, the first of which is row first of the list,
// naming the row of an error (a *Malformed).
func DecodeRows[T Row](rows []json.RawMessage, first int) ([]T, error) {
	keys := keysOf(reflect.TypeFor[T]())
	out := make([]T, 0, len(rows))
	for i, raw := range rows {
		f, err := newFields(raw)
		if err != nil {
			return nil, rowErr(first+i, nil, err)
		}
		var v T
		f.decode(reflect.ValueOf(&v).Elem(), keys)
		if x, ok := any(&v).(fixer); ok {
			x.fix(f)
		}
		if f.err != nil {
			return nil, rowErr(first+i, f, f.err)
		}
		out = append(out, v)
	}
	return out, nil
}

// keysOf returns the member name of each field of the struct type t: its
// b24 tag, "" for a field without one.
func keysOf(t reflect.Type) []string {
	keys := make([]string, t.NumField())
	for i := range keys {
		keys[i] = t.Field(i).Tag.Get("b24")
	}
	return keys
}

// decode reads the fields of the struct v that have a key.
func (f *fields) decode(v reflect.Value, keys []string) {
	for i, key := range keys {
		if key == "" {
			continue
		}
		switch p := v.Field(i).Addr().Interface().(type) {
		case *int64:
			*p = f.id(key)
		case *string:
			*p = f.str(key)
		case *bool:
			*p = f.flag(key)
		case *time.Time:
			*p = f.time(key)
		case *decimal.NullDecimal:
			*p = f.dec(key)
		case *decimal.Decimal:
			if d := f.dec(key); d.Valid {
				*p = d.Decimal
			}
		case *[]int64:
			*p = f.ids(key)
		default:
			panic(fmt.Sprintf("rest: %s.%s: no decoding for %T", v.Type(), v.Type().Field(i).Name, p))
		}
	}
}

// semantic checks a stage semantics read from key: P, S, F, or "" when the
// portal sent none. Any other value (a lower-case "s", a code the API does
// not list) fails the row: kept, it would be no outcome at all, and the
// item's earlier win or loss would be retracted without a word.
func (f *fields) semantic(key, v string) {
	switch v {
	case "", SemanticProcess, SemanticSuccess, SemanticFailure:
	default:
		f.fail(key, fmt.Errorf("want P, S or F, got %q", Clip(v)))
	}
}

// fix checks the deal's STAGE_SEMANTIC_ID.
func (d *Deal) fix(f *fields) { f.semantic("STAGE_SEMANTIC_ID", d.StageSemantic) }

// fix checks the lead's STATUS_SEMANTIC_ID.
func (l *Lead) fix(f *fields) { f.semantic("STATUS_SEMANTIC_ID", l.StatusSemantic) }

// fix reads a lead's STATUS_ID and STATUS_SEMANTIC_ID into StageID and
// Semantic, and checks the semantics.
func (r *StageHistoryRow) fix(f *fields) {
	key := "STAGE_SEMANTIC_ID"
	if f.has("STATUS_ID") || f.has("STATUS_SEMANTIC_ID") {
		r.StageID, r.Semantic = f.str("STATUS_ID"), f.str("STATUS_SEMANTIC_ID")
		key = "STATUS_SEMANTIC_ID"
	}
	f.semantic(key, r.Semantic)
}

// fix sets the semantics of a stage whose SEMANTICS is null, and checks it.
func (s *Status) fix(f *fields) {
	if s.Semantics == "" {
		if x, ok := f.m["EXTRA"]; ok && kind(x) == '{' {
			// Stage dictionaries carry EXTRA.SEMANTICS; a null SEMANTICS is P there.
			s.Semantics = SemanticProcess
		}
	}
	f.semantic("SEMANTICS", s.Semantics)
}
