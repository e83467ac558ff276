package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// goalkit notify -once -as-of past the years the outbox keeps instants
// in failed in the dispatcher's words ("deliver: Dispatcher.Tick: asOf
// … (a clock that reads so is set wrong)"), of a clock, though the
// instant was the user's. It is a usage error naming the flag, before the
// outbox is opened.
func TestNotifyAsOfOutsideTheYears(t *testing.T) {
	for _, asOf := range []string{"2300-01-02T00:00:00Z", "1600-01-02T00:00:00+03:00", "2262-04-12T00:00:00Z"} {
		hook := newWebhookReceiver(t)
		dir := t.TempDir()
		cfg := hook.channels(t, dir, "anna", "boris")
		code, _, errs := runCLI(t, "notify", "-plan", "testdata/notify-plan.yaml", "-events", "testdata/notify-events.ndjson",
			"-channels", cfg, "-once", "-as-of", asOf)
		want := "goalkit notify: -as-of " + asOf + " is outside the years 1678 to 2261 in which the outbox keeps instants: give one inside them\n"
		if code != 2 || errs != want {
			t.Errorf("-as-of %s: exit %d, stderr:\n%s\nwant:\n%s", asOf, code, errs, want)
		}
		if _, err := os.Stat(filepath.Join(dir, "goalkit-outbox.db")); !os.IsNotExist(err) {
			t.Errorf("-as-of %s: the outbox was opened (%v)", asOf, err)
		}
		if got := hook.received(); len(got) != 0 {
			t.Errorf("-as-of %s: received %v", asOf, got)
		}
	}
}

// goalkit serve -events -as-of past the years a version is known in was
// refused in the server's words ("the server's clock reads …: set the
// host's clock"), though the instant was the user's: a usage error naming
// the flag, before the database is opened.
func TestServeEventsAsOfOutsideTheYears(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "serve.db")
	code, _, errs := runCLI(t, "serve", "-plan", "testdata/notify-plan.yaml", "-events", "testdata/notify-events.ndjson",
		"-source", "sqlite:"+db, "-addr", "127.0.0.1:0", "-as-of", "2300-01-01T00:00:00Z")
	want := "goalkit serve: -as-of 2300-01-01T00:00:00Z is outside the years 1678 to 2261 in which a version is known: -events cannot be applied as of it\n"
	if code != 2 || errs != want {
		t.Errorf("exit %d, stderr:\n%s\nwant:\n%s", code, errs, want)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("the database was opened (%v)", err)
	}
}

// goalkit serve -as-of past the years a version is known in, without
// -events, started in silence: every batch and close posted was refused
// (503) and each tick logged the clock, with no word of the flag. Reads as
// of such an instant answer (a report commits nothing: a demo over a
// database filled before reads it whole), so the start goes on and warns,
// naming the flag and the years.
func TestServeAsOfOutsideTheYearsWarns(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "serve.db")
	seed := filepath.Join(t.TempDir(), "seed.ndjson")
	writeTestFile(t, seed, `{"id":"a1","kind":"deal.won","time":"2025-03-03T10:00:00Z","actor":"n1","amount":"100"}`+"\n"+
		`{"id":"a2","kind":"deal.won","time":"2025-03-04T10:00:00Z","actor":"s2","amount":"23.5"}`+"\n")
	args := []string{"-plan", "../../serve/testdata/plan.yaml", "-directory", "../../serve/testdata/directory.json", "-source", db}
	_, stop := startServe(t, append(args, "-events", seed, "-as-of", "2025-03-20T00:00:00Z")...)
	if code, logs := stop(); code != 0 || strings.Contains(logs, "warning") {
		t.Fatalf("the seeding start: exit %d: %s", code, logs)
	}
	for _, asOf := range []string{"2300-01-02T00:00:00Z", "1600-01-02T00:00:00+03:00"} {
		base, stop := startServe(t, append(args, "-as-of", asOf)...)
		code, body := httpDo(t, "GET", base+"/api/v1/values?period=2025-03&as_of=2025-03-20T00:00:00Z", "", "")
		// 100 + 23.5, the seed's two deals.
		if want := `{"indicator":"revenue","participant":"*","period_end":"2025-04-01","period_start":"2025-03-01","value":"123.5"}`; code != 200 || !strings.Contains(body, want) {
			t.Errorf("-as-of %s: a read: %d, no %s in %.400s", asOf, code, want, body)
		}
		if code, body := httpDo(t, "GET", base+"/api/v1/goals", "", ""); code != 200 {
			t.Errorf("-as-of %s: a read at the clock: %d %.400s", asOf, code, body)
		}
		if code, body := httpDo(t, "POST", base+"/api/v1/events", "",
			`{"id":"a3","kind":"deal.won","time":"2025-03-05T10:00:00Z","actor":"n1","amount":"1"}`); code != 503 {
			t.Errorf("-as-of %s: a batch: %d %s", asOf, code, body)
		}
		code, logs := stop()
		want := "goalkit serve: warning: -as-of " + asOf + " is outside the years 1678 to 2261 in which a version is known and a record or a notification is stamped: the reports are read as of it, but every batch and close posted is refused (503), and no tick moves a goal along\n"
		if code != 0 || strings.Count(logs, want) != 1 {
			t.Errorf("-as-of %s: exit %d, stderr:\n%s\nwant the line once:\n%s", asOf, code, logs, want)
		}
	}
	// Under -log json the warning is a record of its own, at WARN.
	_, stop = startServe(t, append(args, "-as-of", "2300-01-02T00:00:00Z", "-log", "json")...)
	code, logs := stop()
	want := `"level":"WARN","msg":"goalkit serve: warning: -as-of 2300-01-02T00:00:00Z is outside the years 1678 to 2261 in which a version is known and a record or a notification is stamped: the reports are read as of it, but every batch and close posted is refused (503), and no tick moves a goal along"}` + "\n"
	if code != 0 || strings.Count(logs, want) != 1 {
		t.Errorf("-log json: exit %d, stderr:\n%s\nwant a record ending:\n%s", code, logs, want)
	}
	// Inside the years, no warning.
	_, stop = startServe(t, append(args, "-as-of", "2261-12-31T23:59:59Z")...)
	if code, logs := stop(); code != 0 || strings.Contains(logs, "warning") {
		t.Errorf("-as-of 2261-12-31T23:59:59Z: exit %d: %s", code, logs)
	}
}
