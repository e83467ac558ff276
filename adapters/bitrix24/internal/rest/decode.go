package rest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

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
		return 0, fmt.Errorf("want an integer, got %q", clip(s))
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
	f.fail(key, fmt.Errorf("want Y or N, got %q", clip(s)))
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
		return decimal.Decimal{}, fmt.Errorf("want a plain decimal, got %q", clip(s))
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("want a decimal, got %q", clip(s))
	}
	return d, nil
}

// parseTime parses the portal's date-times: RFC 3339 with an offset, with or
// without fractional seconds.
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("want an ISO 8601 date-time with an offset, got %q", clip(s))
	}
	return t, nil
}

// clip shortens a value quoted in an error.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

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

// rowErr is the error of a row that could not be decoded, with its place.
func rowErr(i int, f *fields, err error) error {
	where := fmt.Sprintf("row %d", i)
	if f != nil {
		if id, ok := f.m["ID"]; ok {
			if s, e := scalar(id); e == nil && s != "" {
				where += " (ID " + clip(s) + ")"
			}
		}
	}
	return &Malformed{Where: where, Err: err}
}

// A Decoder decodes one row of a list.
type Decoder[T any] func(*fields) T

// DecodeRows decodes rows, the first of which is row first of the list,
// naming the row of an error (a *Malformed).
func DecodeRows[T any](rows []json.RawMessage, first int, one Decoder[T]) ([]T, error) {
	out := make([]T, 0, len(rows))
	for i, raw := range rows {
		f, err := newFields(raw)
		if err != nil {
			return nil, rowErr(first+i, nil, err)
		}
		v := one(f)
		if f.err != nil {
			return nil, rowErr(first+i, f, f.err)
		}
		out = append(out, v)
	}
	return out, nil
}

// DecodeDeal decodes a row of crm.deal.list.
func DecodeDeal(f *fields) Deal {
	return Deal{
		ID:               f.id("ID"),
		Title:            f.str("TITLE"),
		TypeID:           f.str("TYPE_ID"),
		CategoryID:       f.id("CATEGORY_ID"),
		StageID:          f.str("STAGE_ID"),
		StageSemantic:    f.str("STAGE_SEMANTIC_ID"),
		Closed:           f.flag("CLOSED"),
		Opportunity:      f.dec("OPPORTUNITY"),
		CurrencyID:       f.str("CURRENCY_ID"),
		AssignedByID:     f.id("ASSIGNED_BY_ID"),
		CreatedByID:      f.id("CREATED_BY_ID"),
		LeadID:           f.id("LEAD_ID"),
		CompanyID:        f.id("COMPANY_ID"),
		ContactID:        f.id("CONTACT_ID"),
		SourceID:         f.str("SOURCE_ID"),
		IsReturnCustomer: f.flag("IS_RETURN_CUSTOMER"),
		DateCreate:       f.time("DATE_CREATE"),
		DateModify:       f.time("DATE_MODIFY"),
		MovedTime:        f.time("MOVED_TIME"),
		CloseDate:        f.time("CLOSEDATE"),
	}
}

// DecodeLead decodes a row of crm.lead.list.
func DecodeLead(f *fields) Lead {
	return Lead{
		ID:               f.id("ID"),
		Title:            f.str("TITLE"),
		StatusID:         f.str("STATUS_ID"),
		StatusSemantic:   f.str("STATUS_SEMANTIC_ID"),
		Opportunity:      f.dec("OPPORTUNITY"),
		CurrencyID:       f.str("CURRENCY_ID"),
		AssignedByID:     f.id("ASSIGNED_BY_ID"),
		CompanyID:        f.id("COMPANY_ID"),
		ContactID:        f.id("CONTACT_ID"),
		SourceID:         f.str("SOURCE_ID"),
		IsReturnCustomer: f.flag("IS_RETURN_CUSTOMER"),
		DateCreate:       f.time("DATE_CREATE"),
		DateModify:       f.time("DATE_MODIFY"),
		MovedTime:        f.time("MOVED_TIME"),
		DateClosed:       f.time("DATE_CLOSED"),
	}
}

// DecodeActivity decodes a row of crm.activity.list.
func DecodeActivity(f *fields) Activity {
	return Activity{
		ID:            f.id("ID"),
		OwnerID:       f.id("OWNER_ID"),
		OwnerTypeID:   f.id("OWNER_TYPE_ID"),
		TypeID:        f.id("TYPE_ID"),
		ProviderID:    f.str("PROVIDER_ID"),
		Direction:     f.id("DIRECTION"),
		Completed:     f.flag("COMPLETED"),
		Status:        f.id("STATUS"),
		ResponsibleID: f.id("RESPONSIBLE_ID"),
		Subject:       f.str("SUBJECT"),
		Created:       f.time("CREATED"),
		LastUpdated:   f.time("LAST_UPDATED"),
		StartTime:     f.time("START_TIME"),
		EndTime:       f.time("END_TIME"),
	}
}

// DecodeHistory decodes a row of crm.stagehistory.list.
func DecodeHistory(f *fields) StageHistoryRow {
	r := StageHistoryRow{
		ID:          f.id("ID"),
		TypeID:      f.id("TYPE_ID"),
		OwnerID:     f.id("OWNER_ID"),
		CreatedTime: f.time("CREATED_TIME"),
		CategoryID:  f.id("CATEGORY_ID"),
		StageID:     f.str("STAGE_ID"),
		Semantic:    f.str("STAGE_SEMANTIC_ID"),
	}
	if f.has("STATUS_ID") || f.has("STATUS_SEMANTIC_ID") {
		r.StageID, r.Semantic = f.str("STATUS_ID"), f.str("STATUS_SEMANTIC_ID")
	}
	return r
}

// DecodeUser decodes a row of user.get.
func DecodeUser(f *fields) User {
	return User{
		ID:           f.id("ID"),
		Active:       f.flag("ACTIVE"),
		Name:         f.str("NAME"),
		LastName:     f.str("LAST_NAME"),
		SecondName:   f.str("SECOND_NAME"),
		Email:        f.str("EMAIL"),
		WorkPosition: f.str("WORK_POSITION"),
		UserType:     f.str("USER_TYPE"),
		Departments:  f.ids("UF_DEPARTMENT"),
	}
}

// DecodeDepartment decodes a row of department.get.
func DecodeDepartment(f *fields) Department {
	return Department{
		ID:     f.id("ID"),
		Name:   f.str("NAME"),
		Sort:   f.id("SORT"),
		Parent: f.id("PARENT"),
		Head:   f.id("UF_HEAD"),
	}
}

// DecodeStatus decodes a row of crm.status.list.
func DecodeStatus(f *fields) Status {
	s := Status{
		EntityID:   f.str("ENTITY_ID"),
		StatusID:   f.str("STATUS_ID"),
		Name:       f.str("NAME"),
		Sort:       f.id("SORT"),
		CategoryID: f.id("CATEGORY_ID"),
		Semantics:  f.str("SEMANTICS"),
	}
	if s.Semantics == "" {
		if x, ok := f.m["EXTRA"]; ok && kind(x) == '{' {
			// Stage dictionaries carry EXTRA.SEMANTICS; a null SEMANTICS is P there.
			s.Semantics = SemanticProcess
		}
	}
	return s
}

// DecodeCategory decodes a row of crm.category.list.
func DecodeCategory(f *fields) Category {
	return Category{
		ID:           f.id("id"),
		Name:         f.str("name"),
		Sort:         f.id("sort"),
		EntityTypeID: f.id("entityTypeId"),
		IsDefault:    f.flag("isDefault"),
	}
}

// DecodeCurrency decodes a row of crm.currency.list.
func DecodeCurrency(f *fields) Currency {
	c := Currency{
		Currency:  f.str("CURRENCY"),
		AmountCnt: f.id("AMOUNT_CNT"),
		Base:      f.flag("BASE"),
		Sort:      f.id("SORT"),
		FullName:  f.str("FULL_NAME"),
		Decimals:  f.id("DECIMALS"),
	}
	if a := f.dec("AMOUNT"); a.Valid {
		c.Amount = a.Decimal
	}
	return c
}
