package bitrix24

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/adapters/bitrix24/internal/rest"
)

// FuzzDecodeResponse feeds arbitrary bodies to the response decoder and to the
// row decoders of every entity: they return an error or a value, never panic,
// and every decoding error is an ErrMalformed or an *APIError.
func FuzzDecodeResponse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "fixtures", "*.json"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil && len(b) < 30000 {
			f.Add(b)
		}
	}
	for _, s := range []string{
		``, `null`, `[]`, `{}`, `{"result":null}`, `{"result":[]}`, `{"result":{}}`, `{"result":{"items":[]}}`,
		`{"result":[{"ID":"1","OPPORTUNITY":"1.50","DATE_CREATE":"2024-03-01T00:00:00+03:00"}],"total":"1","next":50}`,
		`{"error":0,"error_description":"Not found"}`, `{"error":"","error_description":""}`,
		`{"result":[],"time":{"operating_reset_at":"2024-04-02T10:10:00+03:00","start":"x"}}`,
		`{"result":{"result":[],"result_error":{"a":{"error":"x"}},"result_total":{"a":"7"},"result_next":[],"result_time":[]}}`,
		`{"result":[{"ID":{"a":1},"UF_DEPARTMENT":[1,"2",null],"ACTIVE":true,"TIMESTAMP_X":{}}]}`,
		`{"result":[{"OPPORTUNITY":"1e999999999"}]}`, `{"result":[{"ID":"9223372036854775808"}]}`,
		`{"result":[{"DATE_CREATE":"9999-12-31T00:00:00+03:00","CLOSEDATE":"0000-01-01T00:00:00Z"}]}`,
		`{"result":[]}garbage`, `{"result":[] `, `{"result":{"categories":[{"id":1,"isDefault":"Y"}]}}`,
		`{"result":{"tasks":[{"id":"8017","status":"5","closedDate":"2025-06-04T16:15:55+02:00","deadline":null,"groupId":"0","UF_GOALKIT_GOAL":"revenue"}]},"total":1}`,
		`{"result":[{"ID":"1","TASK_ID":"691","USER_ID":"1","SECONDS":"3600","MINUTES":"60","CREATED_DATE":"2024-05-16T10:33:00+02:00"}],"total":1}`,
		`{"result":{"task":{"id":"3711","xmlId":null,"responsibleId":"1"}}}`, `{"result":12345}`, `{"result":false}`, `{"result":"-3"}`,
	} {
		f.Add([]byte(s))
	}
	c, err := New(Webhook("https://portal.example/rest/1/secret-code/"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := c.decode("crm.deal.list", 200, data)
		if err != nil {
			var ae *APIError
			if !errors.Is(err, ErrMalformed) && !errors.As(err, &ae) {
				t.Fatalf("unexpected error type %T: %v", err, err)
			}
			if strings.Contains(err.Error(), "secret-code") {
				t.Fatalf("secret in %v", err)
			}
			return
		}
		if r == nil || !r.HasResult {
			t.Fatal("no error and no result")
		}
		check := func(err error) {
			if err != nil && !errors.Is(decodeErr("m", 0, "", err), ErrMalformed) {
				t.Fatalf("row error is not ErrMalformed: %v", err)
			}
		}
		for _, member := range []string{"", "items", "categories", "tasks"} {
			rows, err := rest.RowsOf(r.Result, member)
			if err != nil {
				continue
			}
			for _, decode := range rowDecoders {
				check(decode(rows))
			}
			q, err := rest.DealQuery(rest.ListParams{})
			if err != nil {
				t.Fatal(err)
			}
			check(q.Advance(rows, r.Next, r.HasNext))
		}
		_, _ = rest.DecodeBatch(r.Result)
		// The answers of the methods that create: an id, or a task.
		if id, err := rest.CreatedID(r.Result); err == nil && id < 0 {
			t.Fatalf("negative id %d", id)
		}
		if task, err := rest.CreatedTask(r.Result); err == nil && task.ID <= 0 {
			t.Fatalf("a created task without an id: %+v", task)
		}
		if rows, err := rest.RowsOf(r.Result, "tasks"); err == nil {
			for _, row := range rows {
				_, _ = rest.StringMember(row, "UF_GOALKIT_GOAL")
			}
		}
	})
}

// FuzzEncodeParams: parameters sent in a method's positional order are the
// same JSON object as when sent in any order.
func FuzzEncodeParams(f *testing.F) {
	f.Add("task.elapseditem.getlist", ">ID", int64(7), "CREATED_DATE")
	f.Add("crm.deal.list", "ID", int64(-1), "")
	f.Fuzz(func(t *testing.T, method, key string, n int64, field string) {
		params := map[string]any{"ORDER": map[string]any{"ID": "ASC"}, "FILTER": map[string]any{key: n},
			"SELECT": []string{field}, "PARAMS": map[string]any{"NAV_PARAMS": map[string]any{"iNumPage": 1}}, "auth": key}
		b, err := rest.EncodeParams(method, params)
		if err != nil {
			t.Fatal(err)
		}
		var got, want map[string]any
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("%v: %s", err, b)
		}
		wb, _ := json.Marshal(params)
		_ = json.Unmarshal(wb, &want)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("got %v, want %v", got, want)
		}
		if method == "task.elapseditem.getlist" && !bytes.HasPrefix(b, []byte(`{"ORDER":`)) {
			t.Fatalf("not in the method's order: %s", b)
		}
	})
}

// rowDecoders decode rows as each row type of the REST layer.
var rowDecoders = []func([]json.RawMessage) error{
	decodeAs[rest.Deal], decodeAs[rest.Lead], decodeAs[rest.Activity],
	decodeAs[rest.StageHistoryRow], decodeAs[rest.User], decodeAs[rest.Department],
	decodeAs[rest.Status], decodeAs[rest.Category], decodeAs[rest.Currency],
	decodeAs[rest.Task], decodeAs[rest.ElapsedItem], decodeAs[rest.CalendarEvent], decodeAs[rest.CalendarSection],
}

func decodeAs[T rest.Row](rows []json.RawMessage) error {
	_, err := rest.DecodeRows[T](rows, 0)
	return err
}

func TestClassify(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		status     int
		code, desc string
		want       error
	}{
		{400, "", "Not found", ErrNotFound},
		{400, "", "Access denied", ErrAccessDenied},
		{400, "", "Something odd", ErrInvalidRequest},
		{503, "", "", ErrServer},
		{429, "", "", ErrRateLimited},
		{404, "", "", ErrNotFound},
		{403, "allowed_only_intranet_user", "", ErrAccessDenied},
		{400, "ENTITY_TYPE_NOT_SUPPORTED", "", ErrInvalidRequest},
		{500, "PORTAL_DELETED", "", ErrNotFound},
	} {
		e := &APIError{Status: tc.status, Code: tc.code, Description: tc.desc}
		if !errors.Is(e, tc.want) {
			t.Errorf("%d %q %q: not %v", tc.status, tc.code, tc.desc, tc.want)
		}
	}
	if !(&APIError{Code: "QUERY_LIMIT_EXCEEDED"}).retryable() || (&APIError{Code: "OVERLOAD_LIMIT"}).retryable() {
		t.Error("retryable")
	}
	// retryable reads the code as classify does, case aside: a code that
	// classify calls a rate limit is retried however the portal spells it.
	for _, code := range []string{"query_limit_exceeded", "Operation_Time_Limit"} {
		if !(&APIError{Code: code}).retryable() {
			t.Errorf("%q: not retryable", code)
		}
	}
}
