package bitrix24

import (
	"encoding/json"
	"errors"
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
		for _, member := range []string{"", "items", "categories"} {
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
	})
}

// rowDecoders decode rows as each row type of the REST layer.
var rowDecoders = []func([]json.RawMessage) error{
	decodeAs[rest.Deal], decodeAs[rest.Lead], decodeAs[rest.Activity],
	decodeAs[rest.StageHistoryRow], decodeAs[rest.User], decodeAs[rest.Department],
	decodeAs[rest.Status], decodeAs[rest.Category], decodeAs[rest.Currency],
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
}
