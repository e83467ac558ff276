package main

import (
	"os"
	"path/filepath"
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
