package bitrix24_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path"
	"strconv"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/adapters/bitrix24"
)

// upperStart renames the offset of department.get's requests, direct or in
// a batch, to START, the name department.get's reference page writes.
type upperStart struct{}

func (upperStart) RoundTrip(r *http.Request) (*http.Response, error) {
	method := strings.TrimSuffix(path.Base(r.URL.Path), ".json")
	if r.Body != nil && (method == "department.get" || method == "batch") {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		var p map[string]any
		if err := json.Unmarshal(b, &p); err != nil {
			return nil, err
		}
		if v, ok := p["start"]; ok && method == "department.get" {
			delete(p, "start")
			p["START"] = v
		}
		if cmds, ok := p["cmd"].(map[string]any); ok {
			for k, c := range cmds {
				if s, ok := c.(string); ok && strings.HasPrefix(s, "department.get?") {
					s = strings.Replace(s, "?start=", "?START=", 1)
					cmds[k] = strings.Replace(s, "&start=", "&START=", 1)
				}
			}
		}
		if b, err = json.Marshal(p); err != nil {
			return nil, err
		}
		r = r.Clone(r.Context())
		r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
	}
	return http.DefaultTransport.RoundTrip(r)
}

// department.get pages on start, as every list method does: the portal
// takes the offset from start before the method reads its parameters, so
// START (as department.get's reference page writes it) is ignored and
// every page is the first. The fake portal read either, so a client that
// sent START passed its tests and would read the first page forever on a
// portal; now the fake ignores START too, and the adapter, which sends
// start, reads every department once, and fails on a page that repeats
// (next no further than its start) instead of looping or keeping it twice.
func TestDepartmentPagingStart(t *testing.T) {
	t.Parallel()
	const extra = 60 // the fixture's 4 and these: two pages
	grow := func(t *testing.T, opts ...bitrix24.Option) (*bitrix24.Client, func() []string) {
		srv := newServer(t)
		for i := range extra {
			srv.AddRow("department", "ID", map[string]any{"ID": strconv.Itoa(100 + i), "NAME": "D" + strconv.Itoa(i), "SORT": 500, "PARENT": "1"})
		}
		c, _ := newClient(t, srv, append([]bitrix24.Option{bitrix24.WithMinInterval(0)}, opts...)...)
		return c, func() []string {
			var starts []string
			for _, r := range srv.Requests() {
				if r.Method == "department.get" {
					b, _ := json.Marshal(r.Params)
					starts = append(starts, string(b))
				}
			}
			return starts
		}
	}

	t.Run("start", func(t *testing.T) {
		c, requests := grow(t)
		deps, err := c.Departments(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		seen := map[int64]bool{}
		for _, d := range deps {
			if seen[d.ID] {
				t.Errorf("department %d read twice", d.ID)
			}
			seen[d.ID] = true
		}
		if len(seen) != 4+extra {
			t.Errorf("%d departments, want %d", len(seen), 4+extra)
		}
		for i, r := range requests() {
			if !strings.Contains(r, `"start":`+strconv.Itoa(50*i)) || strings.Contains(r, "START") {
				t.Errorf("request %d: %s, want start %d", i, r, 50*i)
			}
		}
		bd, err := c.Directory(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		units, err := bd.Units(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n := len(units); n != 4+extra {
			t.Errorf("the directory has %d units, want %d", n, 4+extra)
		}
	})

	t.Run("START is ignored", func(t *testing.T) {
		c, requests := grow(t, bitrix24.WithHTTPClient(&http.Client{Transport: upperStart{}}))
		_, err := c.Departments(context.Background())
		if err == nil || !strings.Contains(err.Error(), "department.get") || !strings.Contains(err.Error(), "next 50 after start 50") {
			t.Errorf("Departments: got %v, want department.get's repeated page refused", err)
		}
		if n := len(requests()); n != 2 {
			t.Errorf("%d requests of department.get, want 2", n)
		}
		if _, err := c.Directory(context.Background()); err == nil || !strings.Contains(err.Error(), "department.get") || !strings.Contains(err.Error(), "next 50 after start 50") {
			t.Errorf("Directory: got %v, want department.get's repeated page refused", err)
		}
	})
}
