package b24cmd_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/bitrix24/b24cmd"
	"github.com/goalkit/goalkit/adapters/bitrix24/internal/fakeb24"
	"github.com/goalkit/goalkit/internal/isodate/isodatetest"
	"github.com/shopspring/decimal"
)

const fixtures = "../testdata/fixtures"

func newServer(t *testing.T) *fakeb24.Server {
	t.Helper()
	return fakeb24.Start(t, fixtures)
}

// event is a line of the output, read strictly: unknown fields are errors,
// the amount must be a JSON string.
type event struct {
	ID       string                     `json:"id"`
	Deleted  bool                       `json:"deleted"`
	Kind     string                     `json:"kind"`
	Time     string                     `json:"time"`
	Actor    string                     `json:"actor"`
	Amount   *string                    `json:"amount"`
	Currency string                     `json:"currency"`
	Attrs    map[string]json.RawMessage `json:"attrs"`
}

func readEvents(t *testing.T, data []byte) []event {
	t.Helper()
	var out []event
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		var e event
		if err := dec.Decode(&e); err != nil {
			t.Fatalf("line %d: %v: %s", n, err, sc.Text())
		}
		if e.Deleted {
			if e.Kind != "" || e.Time != "" || e.Actor != "" || e.Amount != nil || e.Attrs != nil {
				t.Fatalf("line %d: a retraction with more than its id: %s", n, sc.Text())
			}
		} else if e.ID == "" || e.Kind == "" || e.Actor == "" {
			t.Fatalf("line %d: incomplete: %s", n, sc.Text())
		}
		out = append(out, e)
	}
	return out
}

// apply keeps the last line of each id and drops retracted ones.
func apply(s map[string]event, evs []event) {
	for _, e := range evs {
		if e.Deleted {
			delete(s, e.ID)
		} else {
			s[e.ID] = e
		}
	}
}

func TestSync(t *testing.T) {
	srv := newServer(t)
	t.Setenv(b24cmd.EnvURL, srv.WebhookURL())
	dir := t.TempDir()
	out := filepath.Join(dir, "events.ndjson")
	var stdout, stderr bytes.Buffer
	err := b24cmd.Sync(context.Background(), []string{"-tz", "Europe/Moscow", "-o", out, "-min-interval", "0"}, &stdout, &stderr)
	if err != nil {
		t.Fatal(err, stderr.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	evs := readEvents(t, data)
	if !strings.Contains(stderr.String(), "events (2 retractions) written to "+out) || stdout.Len() != 0 {
		t.Errorf("stdout %q, stderr %q", stdout.String(), stderr.String())
	}
	if strings.Contains(stderr.String()+string(data), fakeb24.WebhookCode) {
		t.Error("the webhook secret was printed")
	}
	// The March totals of EXPECTED.md, from the file alone.
	s := map[string]event{}
	apply(s, evs)
	var x struct {
		Total struct {
			DealsCreated int                        `json:"deals_created"`
			DealsWon     int                        `json:"deals_won"`
			WonSum       map[string]decimal.Decimal `json:"won_sum"`
			Calls        int                        `json:"calls"`
		} `json:"total"`
	}
	b, _ := os.ReadFile(filepath.Join(fixtures, "expected.json"))
	if err := json.Unmarshal(b, &x); err != nil {
		t.Fatal(err)
	}
	created, won, calls := 0, 0, 0
	sums := map[string]decimal.Decimal{}
	for _, e := range s {
		tm, err := time.Parse(time.RFC3339, e.Time)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(e.Time, "+03:00") {
			t.Errorf("time %s not in -tz Europe/Moscow", e.Time)
		}
		if tm.Format("2006-01") != "2024-03" {
			continue
		}
		switch e.Kind {
		case "deal.created":
			created++
		case "deal.won":
			won++
			sums[e.Currency] = sums[e.Currency].Add(decimal.RequireFromString(*e.Amount))
		case "call":
			calls++
		}
	}
	if created != x.Total.DealsCreated || won != x.Total.DealsWon || calls != x.Total.Calls {
		t.Errorf("created %d won %d calls %d, want %+v", created, won, calls, x.Total)
	}
	for cur, want := range x.Total.WonSum {
		if !sums[cur].Equal(want) {
			t.Errorf("won %s %s, want %s", cur, sums[cur], want)
		}
	}
	// A line as FORMATS.md has it: exact amount string, typed attributes.
	wantLine := `{"id":"b24:deal:1099:won","kind":"deal.won","time":"2024-03-23T19:19:19+03:00","actor":"3","amount":"22000.00","currency":"USD","attrs":{`
	if !strings.Contains(string(data), wantLine) || !strings.Contains(string(data), `"pipeline":1,`) || !strings.Contains(string(data), `{"id":"b24:deal:1058:won","deleted":true}`) {
		t.Errorf("output lacks the expected lines")
	}
}

func TestSyncState(t *testing.T) {
	srv := newServer(t)
	dir := t.TempDir()
	state := filepath.Join(dir, "state.json")
	run := stateRun(t, srv.WebhookURL(), state)
	first := run(filepath.Join(dir, "1.ndjson"))
	st, err := os.ReadFile(state)
	if err != nil || !strings.Contains(string(st), `"deal_history": `) {
		t.Fatalf("state %s, %v", st, err)
	}
	_ = srv.Update("deal", 1037, func(r map[string]any) {
		r["STAGE_ID"], r["STAGE_SEMANTIC_ID"], r["CLOSED"], r["DATE_MODIFY"], r["MOVED_TIME"] = "FINAL_INVOICE", "P", "N", "2030-01-01T00:00:00+03:00", "2030-01-01T00:00:00+03:00"
	})
	second := run(filepath.Join(dir, "2.ndjson"))
	if len(second) >= len(first)/2 {
		t.Errorf("the second run wrote %d lines, the first %d", len(second), len(first))
	}
	s := map[string]event{}
	apply(s, first)
	if _, ok := s["b24:deal:1037:won"]; !ok {
		t.Fatal("1037 not won at first")
	}
	apply(s, second)
	if _, ok := s["b24:deal:1037:won"]; ok {
		t.Error("1037 still won after the second run")
	}
	// -since overrides the state.
	third := run(filepath.Join(dir, "3.ndjson"))
	var stderr bytes.Buffer
	out := filepath.Join(dir, "4.ndjson")
	if err := b24cmd.Sync(context.Background(), []string{"-url", srv.WebhookURL(), "-since", "2024-01-01", "-o", out, "-min-interval", "0"}, nil, &stderr); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(out)
	if all := readEvents(t, b); len(all) <= len(third) {
		t.Errorf("-since 2024-01-01 wrote %d lines, the state run %d", len(all), len(third))
	}
}

// With -deletions the state keeps the ids listed, and the next run with it
// retracts a deal deleted since.
func TestSyncDeletions(t *testing.T) {
	srv := newServer(t)
	dir := t.TempDir()
	state := filepath.Join(dir, "state.json")
	run := stateRun(t, srv.WebhookURL(), state, "-deletions")
	s := map[string]event{}
	apply(s, run(filepath.Join(dir, "1.ndjson")))
	if _, ok := s["b24:deal:1037:won"]; !ok {
		t.Fatal("1037 not won at first")
	}
	if st, err := os.ReadFile(state); err != nil || !strings.Contains(string(st), `"deal_ids": "`) {
		t.Fatalf("state %s, %v", st, err)
	}
	if err := srv.Remove("deal", 1037); err != nil {
		t.Fatal(err)
	}
	apply(s, run(filepath.Join(dir, "2.ndjson")))
	for _, id := range []string{"b24:deal:1037:won", "b24:deal:1037:created"} {
		if _, ok := s[id]; ok {
			t.Errorf("%s still there after the deal was deleted", id)
		}
	}
}

// stateRun returns a sync of the portal with the state file and the extra
// flags into the file out, returning the events written.
func stateRun(t *testing.T, url, state string, extra ...string) func(out string) []event {
	return func(out string) []event {
		t.Helper()
		var stderr bytes.Buffer
		args := append([]string{"-url", url, "-state", state, "-o", out, "-min-interval", "0"}, extra...)
		if err := b24cmd.Sync(context.Background(), args, nil, &stderr); err != nil {
			t.Fatal(err, stderr.String())
		}
		b, _ := os.ReadFile(out)
		return readEvents(t, b)
	}
}

func TestSyncStdoutAndFailure(t *testing.T) {
	srv := newServer(t)
	var stdout, stderr bytes.Buffer
	if err := b24cmd.Sync(context.Background(), []string{"-url", srv.WebhookURL(), "-no-history", "-paging", "offset", "-prefix", "vt", "-min-interval", "0"}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	evs := readEvents(t, stdout.Bytes())
	if len(evs) == 0 || !strings.HasPrefix(evs[0].ID, "vt:deal:") || !strings.Contains(stderr.String(), "written to stdout") {
		t.Errorf("%d events, stderr %s", len(evs), stderr.String())
	}

	// A failing sync leaves an existing output file as it was.
	dir := t.TempDir()
	out := filepath.Join(dir, "events.ndjson")
	if err := os.WriteFile(out, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	srv.Inject("crm.activity.list", fakeb24.ErrorFault("error.crm_access_denied.400.json"))
	err := b24cmd.Sync(context.Background(), []string{"-url", srv.WebhookURL(), "-o", out, "-min-interval", "0"}, nil, &stderr)
	if want := "sync bitrix24: bitrix24: crm.activity.list: Access denied. (http 400)"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	if b, _ := os.ReadFile(out); string(b) != "old\n" {
		t.Errorf("output changed: %q", b)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("left %d files", len(ents))
	}
}

func TestUsage(t *testing.T) {
	t.Setenv(b24cmd.EnvURL, "")
	const url = "https://portal.example/rest/1/s3cr3t/"
	for _, tc := range []struct {
		cmd  string
		args []string
		msg  string
		help bool
	}{
		{"sync", nil, "sync bitrix24: -url or $GOALKIT_BITRIX24_URL is required", false},
		{"sync", []string{"-nope"}, "sync bitrix24: flag provided but not defined: -nope", false},
		{"sync", []string{"-url", url, "-since", "March"}, `sync bitrix24: -since: want YYYY-MM-DD or an RFC 3339 instant, got "March"`, false},
		{"sync", []string{"-url", url, "-tz", "Mars/Olympus"}, `sync bitrix24: -tz: unknown time zone "Mars/Olympus"`, false},
		{"sync", []string{"-url", url, "-paging", "cursor"}, `sync bitrix24: -paging: want keyset or offset, got "cursor"`, false},
		{"sync", []string{"-url", url, "extra"}, `sync bitrix24: unexpected argument "extra"`, false},
		{"sync", []string{"-url", "https://portal.example/rest/x/s3cr3t/"}, "sync bitrix24: bitrix24: webhook url: want https://PORTAL/rest/USER_ID/CODE/", false},
		{"sync", []string{"-url", url, "-min-interval", "-1s"}, "sync bitrix24: -min-interval: negative", false},
		{"sync", []string{"-h"}, "sync bitrix24: flag: help requested", true},
		{"directory", nil, "directory bitrix24: -url or $GOALKIT_BITRIX24_URL is required", false},
		{"directory", []string{"-since", "2024-01-01"}, "directory bitrix24: flag provided but not defined: -since", false},
		{"directory", []string{"-help"}, "directory bitrix24: flag: help requested", true},
	} {
		t.Run(strings.Join(append([]string{tc.cmd}, tc.args...), " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			run := b24cmd.Sync
			if tc.cmd == "directory" {
				run = b24cmd.Directory
			}
			err := run(context.Background(), tc.args, &stdout, &stderr)
			if err == nil || err.Error() != tc.msg {
				t.Fatalf("got %v, want %s", err, tc.msg)
			}
			if tc.help != errors.Is(err, flag.ErrHelp) || tc.help == errors.Is(err, b24cmd.ErrUsage) {
				t.Errorf("ErrHelp %v, ErrUsage %v", errors.Is(err, flag.ErrHelp), errors.Is(err, b24cmd.ErrUsage))
			}
			if strings.Contains(err.Error()+stderr.String()+stdout.String(), "s3cr3t") {
				t.Error("secret printed")
			}
		})
	}
}

func TestDirectory(t *testing.T) {
	srv := newServer(t)
	t.Setenv(b24cmd.EnvURL, srv.WebhookURL())
	out := filepath.Join(t.TempDir(), "org.json")
	var stderr bytes.Buffer
	if err := b24cmd.Directory(context.Background(), []string{"-o", out}, nil, &stderr); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var org struct {
		Units []struct {
			ID, Name, Parent, Head string
		} `json:"units"`
		Memberships []struct{ User, Unit string } `json:"memberships"`
		Users       []struct {
			ID     string `json:"id"`
			Active bool   `json:"active"`
		} `json:"users"`
	}
	if err := json.Unmarshal(b, &org); err != nil {
		t.Fatal(err)
	}
	if len(org.Units) != 4 || org.Units[2].Head != "4" || len(org.Memberships) != 11 || len(org.Users) != 10 || org.Users[8].Active {
		t.Errorf("org %+v", org)
	}
	if want := "bitrix24: 4 departments, 11 memberships, 10 users written to " + out + "\n"; stderr.String() != want {
		t.Errorf("stderr %q", stderr.String())
	}
}

// -since refuses a date that does not exist rather than moving it onto a
// real one, and says why in the words of every other date reader.
func TestSinceRefusesImpossibleDates(t *testing.T) {
	t.Setenv(b24cmd.EnvURL, "")
	cases := map[string]string{"2025-02-30T11:25:00+03:00": "February 2025 has 28 days"}
	for _, d := range isodatetest.Impossible {
		cases[d.In] = d.Why
	}
	for s, why := range cases {
		err := b24cmd.Sync(context.Background(), []string{"-url", "https://portal.example/rest/1/code/", "-since", s}, &bytes.Buffer{}, &bytes.Buffer{})
		want := fmt.Sprintf("sync bitrix24: -since: %q is not a real date: %s", s, why)
		if err == nil || err.Error() != want {
			t.Errorf("-since %s: %v, want %s", s, err, want)
		}
	}
}
