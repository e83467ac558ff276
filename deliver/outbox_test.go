package deliver_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/deliver/delivertest"
	"github.com/goalkit/goalkit/goalkittest"
)

func TestSQLiteOutbox(t *testing.T) {
	delivertest.TestOutbox(t, func(t *testing.T) deliver.Outbox { return openOutbox(t, t.TempDir()) })
}

// An outbox without a path would be SQLite's temporary database, one per
// connection and gone at close: not durable, so refused. Open, given a
// configuration built in Go without Outbox, uses the documented default
// file, goalkit-outbox.db.
func TestOutboxPath(t *testing.T) {
	ctx := context.Background()
	if o, err := deliver.OpenOutbox(ctx, ""); err == nil || err.Error() != "outbox: no file path" {
		if o != nil {
			o.Close()
		}
		t.Fatalf("no path: %v", err)
	}
	t.Chdir(t.TempDir())
	plan := goalkittest.CompilePlan(t, testPlan)
	cfg := &deliver.Config{Recipients: []deliver.Recipient{{User: "anna"}}}
	d, err := deliver.Open(ctx, plan, track(t, plan, salesEvents()...), cfg, deliver.ChannelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := os.Stat("goalkit-outbox.db"); err != nil {
		t.Fatalf("the default outbox file: %v", err)
	}
}

// An outbox's file is the path as written: one that starts with two
// slashes (a path joined onto "/") is the same file as with one, not a
// URI's authority, and one with the characters a URI treats apart (a
// space, #, ?, %, ;) is a file of that name.
func TestOutboxPathsAsWritten(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, p := range []string{"/" + filepath.Join(dir, "slashes.db"), filepath.Join(dir, "a b#c?d%20e;f.db")} {
		o, err := deliver.OpenOutbox(ctx, p)
		if err != nil {
			t.Errorf("open %s: %v", p, err)
			continue
		}
		err = o.Add(ctx, []deliver.RoutedKey{{Key: "k"}}, nil)
		o.Close()
		if err != nil {
			t.Errorf("%s: %v", p, err)
		}
		if _, err := os.Stat(p); err != nil {
			t.Errorf("open %s: %v", p, err)
		}
	}
}
