package bitrix24_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/org"
)

// The directory file the adapter writes (the org's JSON, as `goalkit
// directory bitrix24` saves it) is read by memory.ParseDirectory with its
// units, memberships and users' names: a user named by the first name, by
// the last name alone, by text with quotes and a backslash, or by nothing.
func TestDirectoryFileNames(t *testing.T) {
	t.Parallel()
	srv, c := newPortal(t)
	changes := map[int64]map[string]any{
		3:  {"NAME": "", "LAST_NAME": "Смирнова"},
		4:  {"NAME": "Дмитрий", "LAST_NAME": ""},
		5:  {"NAME": `Екатерина "Катя"`, "LAST_NAME": `Орлова\2`},
		12: {"NAME": "", "LAST_NAME": ""},
	}
	for id, ch := range changes {
		if err := srv.Update("user", id, func(r map[string]any) {
			for k, v := range ch {
				r[k] = v
			}
		}); err != nil {
			t.Fatal(err)
		}
	}
	bd, err := c.Directory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(bd)
	if err != nil {
		t.Fatal(err)
	}
	d, err := memory.ParseDirectory("org.json", js)
	if err != nil {
		t.Fatalf("the directory file does not read back: %v\n%s", err, js)
	}
	// The names, from the fixture with the changes above: the first name
	// and the last, whichever are set, joined by a space.
	var us struct {
		Result []struct{ ID, NAME, LAST_NAME string }
	}
	readFixture(t, "user.get.json", &us)
	if len(us.Result) == 0 {
		t.Fatal("no users in the fixture")
	}
	for _, u := range us.Result {
		first, last := u.NAME, u.LAST_NAME
		for id, ch := range changes {
			if u.ID == strconv.FormatInt(id, 10) {
				first, last = ch["NAME"].(string), ch["LAST_NAME"].(string)
			}
		}
		want := strings.TrimSpace(first + " " + last)
		got, ok := d.UserName(u.ID)
		if got != want || ok != (want != "") {
			t.Errorf("user %s: UserName %q, %v; want %q, %v", u.ID, got, ok, want, want != "")
		}
	}
	ctx := context.Background()
	for _, pair := range []struct {
		what      string
		got, want func(context.Context) (any, error)
	}{
		{"units", func(ctx context.Context) (any, error) { return d.Units(ctx) }, func(ctx context.Context) (any, error) { return bd.Units(ctx) }},
		{"memberships", func(ctx context.Context) (any, error) { return d.Memberships(ctx) }, func(ctx context.Context) (any, error) { return bd.Memberships(ctx) }},
	} {
		got, err1 := pair.got(ctx)
		want, err2 := pair.want(ctx)
		if err1 != nil || err2 != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s read back: %v (%v), want %v (%v)", pair.what, got, err1, want, err2)
		}
	}
	var _ org.Directory = d
}
