package b24cmd_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/adapters/bitrix24/b24cmd"
)

// -o and -state naming one file (the same path, another spelling of it,
// or a link to it) is refused before anything is read or written: the
// state was written over the events, the run said the events were written
// there, and the next run, reading the state, synced only what changed
// since, so that the events were lost for good.
func TestSyncOutputIsState(t *testing.T) {
	srv := newServer(t)
	dir := t.TempDir()
	state := filepath.Join(dir, "state.json")
	link := filepath.Join(dir, "link.json")
	if err := os.WriteFile(state, []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	outs := []string{state, filepath.Join(dir, "x", "..", "state.json")}
	if err := os.Symlink(state, link); err == nil {
		outs = append(outs, link)
	} else {
		t.Log("no link:", err)
	}
	for _, out := range outs {
		var stderr bytes.Buffer
		err := b24cmd.Sync(context.Background(), []string{"-url", srv.WebhookURL(), "-state", state, "-o", out, "-min-interval", "0"}, nil, &stderr)
		if !errors.Is(err, b24cmd.ErrUsage) || !strings.Contains(err.Error(), "-o and -state name the same file") {
			t.Errorf("-o %s: got %v, want a usage error", out, err)
		}
		if b, _ := os.ReadFile(state); string(b) != "{}\n" {
			t.Errorf("-o %s: the state file holds %q", out, b)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests", n)
	}
}
