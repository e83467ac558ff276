package bitrix24_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/adapters/bitrix24/internal/fakeb24"
	"github.com/goalkit/goalkit/org"
)

func TestDirectory(t *testing.T) {
	t.Parallel()
	srv, c := newPortal(t)
	bd, err := c.Directory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var dir org.Directory = bd
	units, err := dir.Units(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// The units and heads as department.get.json has them.
	var deps struct {
		Result []struct {
			ID, NAME, PARENT, UF_HEAD string
		}
	}
	readFixture(t, "department.get.json", &deps)
	if len(units) != len(deps.Result) {
		t.Fatalf("%d units, want %d", len(units), len(deps.Result))
	}
	for i, d := range deps.Result {
		want := org.Unit{ID: d.ID, Name: d.NAME, Parent: d.PARENT, Head: d.UF_HEAD}
		if units[i] != want {
			t.Errorf("unit %d: %+v, want %+v", i, units[i], want)
		}
	}
	members, err := dir.Memberships(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range members {
		if m.From != 0 || m.To != 0 {
			t.Errorf("membership with dates: %+v", m)
		}
		got = append(got, m.User+"@"+m.Unit)
	}
	// From user.get.json: UF_DEPARTMENT of each user, user 7 in two, the
	// dismissed user 10 still in 7.
	var us struct {
		Result []struct {
			ID            string
			UF_DEPARTMENT []int
		}
	}
	readFixture(t, "user.get.json", &us)
	var want []string
	for _, u := range us.Result {
		for _, d := range u.UF_DEPARTMENT {
			want = append(want, fmt.Sprintf("%s@%d", u.ID, d))
		}
	}
	if strings.Join(got, " ") != strings.Join(want, " ") || !strings.Contains(strings.Join(got, " "), "10@7") {
		t.Errorf("memberships\n got: %v\nwant: %v", got, want)
	}
	users := bd.Users()
	if len(users) != 10 || users[8].ID != "10" || users[8].Active || users[8].Name != "Максим Соколов" ||
		users[8].Position != "Менеджер по ключевым клиентам" || strings.Join(users[8].Departments, ",") != "7" {
		t.Errorf("users %+v", users)
	}
	// One batch call brought both lists.
	if r := srv.Requests(); len(r) != 3 || r[0].Method != "batch" {
		t.Errorf("requests %+v", r)
	}
	js, err := json.Marshal(bd)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"units":[{"id":"1","name":"ООО «Вектор Трейд»","head":"1"}`, `{"user":"7","unit":"5"},{"user":"7","unit":"7"}`,
		`{"id":"10","name":"Максим Соколов","active":false,"position":"Менеджер по ключевым клиентам","departments":["7"]}`} {
		if !strings.Contains(string(js), s) {
			t.Errorf("org.json lacks %s:\n%s", s, js)
		}
	}
}

func TestDirectoryErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		entity string
		id     int64
		change func(map[string]any)
		msg    string
	}{
		{"missing parent", "department", 5, func(r map[string]any) { r["PARENT"] = "9" }, "bitrix24: department 5: parent 9 is not in department.get"},
		{"cycle", "department", 1, func(r map[string]any) { r["PARENT"] = "7" }, "bitrix24: department 1: parents form a cycle"},
		{"unknown department", "user", 4, func(r map[string]any) { r["UF_DEPARTMENT"] = []any{5, 11} }, "bitrix24: user 4: department 11 is not in department.get"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t)
			if err := srv.Update(tc.entity, tc.id, tc.change); err != nil {
				t.Fatal(err)
			}
			c, _ := newClient(t, srv)
			_, err := c.Directory(context.Background())
			if err == nil || err.Error() != tc.msg {
				t.Errorf("got %v, want %s", err, tc.msg)
			}
		})
	}
	srv, c := newPortal(t)
	srv.Inject("batch", fakeb24.ErrorFault("error.insufficient_scope.403.json"))
	_, err := c.Directory(context.Background())
	checkIs(t, err, "ErrAccessDenied")
}

// TestDirectoryLimitInBatch: a command of the batch refused by a limit is
// repeated after a backoff; the rest of the batch is kept.
func TestDirectoryLimitInBatch(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c, clk := newClient(t, srv, bitrix24.WithMinInterval(0))
	srv.Inject("user.get", fakeb24.ErrorFault("error.OPERATION_TIME_LIMIT.429.json"))
	bd, err := c.Directory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	units, _ := bd.Units(context.Background())
	if len(units) != 4 || len(bd.Users()) != 10 {
		t.Errorf("%d units, %d users", len(units), len(bd.Users()))
	}
	if got := fmt.Sprint(clk.Slept()); got != "[1s]" {
		t.Errorf("waits %s, want [1s]", got)
	}
	var methods []string
	for _, r := range srv.Requests() {
		methods = append(methods, fmt.Sprintf("%s/%v", r.Method, r.InBatch))
	}
	if got := strings.Join(methods, " "); got != "batch/false department.get/true user.get/true user.get/false" {
		t.Errorf("requests %s", got)
	}
}

// TestBatchLimitPastTheDeadline: a command of a batch refused by a limit is
// not waited for when the wait would run past the caller's deadline; the
// caller gets the refusal at once, with the wait, as a single call's
// refusal is answered. The batch slept into the deadline and answered only
// that the context ended.
func TestBatchLimitPastTheDeadline(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		timeout time.Duration
		slept   string
	}{
		{time.Minute, "[]"},
		{time.Hour, "[5m0s]"},
	} {
		srv := newServer(t)
		c, clk := newClient(t, srv, bitrix24.WithMinInterval(0), bitrix24.WithBackoff(5*time.Minute, 5*time.Minute))
		srv.Inject("user.get", fakeb24.ErrorFault("error.QUERY_LIMIT_EXCEEDED.503.json"))
		ctx, cancel := context.WithTimeout(context.Background(), tc.timeout)
		_, err := c.Directory(ctx)
		cancel()
		if got := fmt.Sprint(clk.Slept()); got != tc.slept {
			t.Errorf("deadline in %v: waits %s, want %s", tc.timeout, got, tc.slept)
		}
		if tc.slept != "[]" {
			if err != nil {
				t.Errorf("deadline in %v: %v", tc.timeout, err)
			}
			continue
		}
		// The portal asked for no wait of its own (no Retry-After).
		if !errors.Is(err, bitrix24.ErrRateLimited) || portalWait(err) != 0 {
			t.Errorf("deadline in %v: got %v (wait %v), want the refusal with the portal's wait, none", tc.timeout, err, portalWait(err))
		}
	}
}
