package bitrix24

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
		if r == nil || !r.hasResult {
			t.Fatal("no error and no result")
		}
		for _, member := range []string{"", "items", "categories"} {
			rows, err := rowsOf(r.result, member)
			if err != nil {
				continue
			}
			check := func(err error) {
				if err != nil && !errors.Is(err, ErrMalformed) {
					t.Fatalf("row error is not ErrMalformed: %v", err)
				}
			}
			_, err = decodeRows("m", rows, 0, decodeDeal)
			check(err)
			_, err = decodeRows("m", rows, 0, decodeLead)
			check(err)
			_, err = decodeRows("m", rows, 0, decodeActivity)
			check(err)
			_, err = decodeRows("m", rows, 0, decodeHistory)
			check(err)
			_, err = decodeRows("m", rows, 0, decodeUser)
			check(err)
			_, err = decodeRows("m", rows, 0, decodeDepartment)
			check(err)
			_, err = decodeRows("m", rows, 0, decodeStatus)
			check(err)
			_, err = decodeRows("m", rows, 0, decodeCategory)
			check(err)
			_, err = decodeRows("m", rows, 0, decodeCurrency)
			check(err)
			q := &listQuery{method: "m", keyset: true}
			_ = q.advance(rows, r.next, r.hasNext)
		}
		_, _ = c.decodeBatch(r.result, map[string]string{"a": "crm.deal.list"})
	})
}

// FuzzEncodeQuery: the PHP query encoding of any JSON parameters succeeds and
// is stable.
func FuzzEncodeQuery(f *testing.F) {
	f.Add(`{"filter":{">=DATE_MODIFY":"2024-03-01T00:00:00+03:00","@ID":[1,2]},"select":["ID"],"start":-1}`)
	f.Add(`{"a":{"b":{"c":[true,false,null,"x y&z"]}}}`)
	f.Fuzz(func(t *testing.T, js string) {
		var p map[string]any
		if json.Unmarshal([]byte(js), &p) != nil {
			return
		}
		a, err := encodeQuery(p)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := encodeQuery(p)
		if a != b {
			t.Fatalf("unstable: %q vs %q", a, b)
		}
	})
}

func TestEncodeQuery(t *testing.T) {
	t.Parallel()
	got, err := encodeQuery(map[string]any{
		"filter": map[string]any{">=DATE_MODIFY": "2024-03-01T00:00:00+03:00", "@ID": []int64{1037, 1043}, "CLOSED": true},
		"order":  map[string]any{"ID": "ASC"},
		"select": []string{"ID", "STAGE_ID"},
		"start":  -1,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "filter[%3E%3DDATE_MODIFY]=2024-03-01T00%3A00%3A00%2B03%3A00&filter[%40ID][0]=1037&filter[%40ID][1]=1043&filter[CLOSED]=1" +
		"&order[ID]=ASC&select[0]=ID&select[1]=STAGE_ID&start=-1"
	if got != want {
		t.Errorf("\n got: %s\nwant: %s", got, want)
	}
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
